"""`UpSampling1D`, `UpSampling2D`, `UpSampling3D`: enlarge spatial axes.

The three share one file because they differ only in their rank (and
UpSampling2D's interpolation choice).
"""

from lamina import backend, ops
from lamina.layers.convolutional import _arguments as args
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.legacy import arguments as legacy

_INTERPOLATIONS = ("nearest", "bilinear", "bicubic", "lanczos3", "lanczos5")


class _UpSampling(Layer):
    """Repeats each position `size[i]` times along spatial axis i."""

    def __init__(self, rank, size, data_format, **kwargs):
        super().__init__(**kwargs)
        self.rank = rank
        self.size = args.standardize_tuple(size, rank, "size")
        self.data_format = backend.standardize_data_format(data_format)
        self._axes = args.spatial_axes(rank, self.data_format)
        self.input_spec = InputSpec(ndim=rank + 2)
        self.built = True

    def call(self, inputs):
        for axis, factor in zip(self._axes, self.size):
            if factor > 1:
                inputs = ops.repeat(inputs, factor, axis=axis)
        return inputs

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        for axis, factor in zip(self._axes, self.size):
            if shape[axis] is not None:
                shape[axis] *= factor
        return tuple(shape)

    def get_config(self):
        return {**super().get_config(), "size": self.size,
                "data_format": self.data_format}


class UpSampling1D(_UpSampling):
    """Repeats each step of `(batch, steps, features)` `size` times.

    Args:
        size: the upsampling factor.

    Example:

    >>> import numpy as np
    >>> from lamina import ops
    >>> from lamina.layers.reshaping import UpSampling1D
    >>> y = UpSampling1D(2)(np.array([[[1.0], [2.0]]]))
    >>> ops.convert_to_numpy(y)[0, :, 0].tolist()
    [1.0, 1.0, 2.0, 2.0]
    """

    @legacy.legacy_arguments({"length": "size"})
    def __init__(self, size=2, **kwargs):
        super().__init__(1, size, "channels_last", **kwargs)

    def get_config(self):
        config = super().get_config()
        del config["data_format"]
        config["size"] = self.size[0]
        return config


class UpSampling2D(_UpSampling):
    """Enlarges images by `size` (rows, cols).

    Args:
        size: an int or 2 ints, the factors for rows and columns.
        data_format: 'channels_last' or 'channels_first'.
        interpolation: 'nearest' (repeat rows and columns), or 'bilinear',
            'bicubic', 'lanczos3', 'lanczos5' (through `ops.resize`).
    """

    @legacy.legacy_arguments(legacy.DATA_FORMAT_ARGUMENTS)
    def __init__(self, size=(2, 2), data_format=None,
                 interpolation="nearest", **kwargs):
        super().__init__(2, size, data_format, **kwargs)
        self.interpolation = str(interpolation).lower()
        if self.interpolation not in _INTERPOLATIONS:
            raise ValueError(f"UpSampling2D: `interpolation` must be one of "
                             f"{_INTERPOLATIONS}, got {interpolation!r}.")

    def call(self, inputs):
        if self.interpolation == "nearest":
            return super().call(inputs)
        shape = ops.shape(inputs)
        size = tuple(shape[a] * f for a, f in zip(self._axes, self.size))
        return ops.resize(inputs, size, interpolation=self.interpolation,
                          data_format=self.data_format)

    def get_config(self):
        return {**super().get_config(), "interpolation": self.interpolation}


class UpSampling3D(_UpSampling):
    """Enlarges volumes by repeating along the three spatial axes.

    Args:
        size: an int or 3 ints, the factors for the three axes.
        data_format: 'channels_last' or 'channels_first'.
    """

    @legacy.legacy_arguments(legacy.DATA_FORMAT_ARGUMENTS)
    def __init__(self, size=(2, 2, 2), data_format=None, **kwargs):
        super().__init__(3, size, data_format, **kwargs)
