"""`Cropping1D`, `Cropping2D`, `Cropping3D`: trim the spatial axes.

The three share one file because they differ only in their rank and in how
`cropping` is written.
"""

from lamina import backend, ops
from lamina.layers.convolutional import _arguments as args
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.legacy import arguments as legacy


class _Cropping(Layer):
    """Removes `(before, after)` positions from each spatial axis."""

    def __init__(self, rank, pairs, data_format, **kwargs):
        super().__init__(**kwargs)
        self.rank = rank
        self._pairs = pairs
        self.data_format = backend.standardize_data_format(data_format)
        self._axes = args.spatial_axes(rank, self.data_format)
        self.input_spec = InputSpec(ndim=rank + 2)
        self.built = True

    def _cropped(self, input_shape):
        shape = list(input_shape)
        for axis, (before, after) in zip(self._axes, self._pairs):
            if shape[axis] is None:
                continue
            if before + after >= shape[axis]:
                raise ValueError(
                    f"Layer '{self.name}': cropping {(before, after)} "
                    f"leaves nothing of axis {axis} of size {shape[axis]} "
                    f"(input shape {tuple(input_shape)}).")
            shape[axis] -= before + after
        return tuple(shape)

    def call(self, inputs):
        shape = ops.shape(inputs)
        start = [0] * len(shape)
        for axis, (before, _) in zip(self._axes, self._pairs):
            start[axis] = before
        return ops.slice(inputs, start, self._cropped(shape))

    def compute_output_shape(self, input_shape):
        return self._cropped(input_shape)


class Cropping1D(_Cropping):
    """Crops `(batch, steps, features)` along the steps axis.

    Args:
        cropping: an int (both ends) or a pair `(start, end)`.

    Example:

    >>> import numpy as np
    >>> from lamina.layers.reshaping import Cropping1D
    >>> tuple(Cropping1D((1, 2))(np.zeros((2, 6, 3))).shape)
    (2, 3, 3)
    """

    def __init__(self, cropping=(1, 1), **kwargs):
        self.cropping = args.standardize_tuple(cropping, 2, "cropping",
                                               allow_zero=True)
        super().__init__(1, (self.cropping,), "channels_last", **kwargs)

    def get_config(self):
        return {**super().get_config(), "cropping": self.cropping}


class Cropping2D(_Cropping):
    """Crops the rows and columns of images.

    Args:
        cropping: an int (every side), a pair `(rows, cols)` (both ends of
            each), or `((top, bottom), (left, right))`.
        data_format: 'channels_last' or 'channels_first'.
    """

    @legacy.legacy_arguments(legacy.DATA_FORMAT_ARGUMENTS)
    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None,
                 **kwargs):
        self.cropping = args.standardize_pairs(cropping, 2, "cropping")
        super().__init__(2, self.cropping, data_format, **kwargs)

    def get_config(self):
        return {**super().get_config(), "cropping": self.cropping,
                "data_format": self.data_format}


class Cropping3D(_Cropping):
    """Crops the three spatial axes of volumes.

    Args:
        cropping: an int (every side), three ints (both ends of each
            axis), or three `(before, after)` pairs.
        data_format: 'channels_last' or 'channels_first'.
    """

    @legacy.legacy_arguments(legacy.DATA_FORMAT_ARGUMENTS)
    def __init__(self, cropping=((1, 1), (1, 1), (1, 1)), data_format=None,
                 **kwargs):
        self.cropping = args.standardize_pairs(cropping, 3, "cropping")
        super().__init__(3, self.cropping, data_format, **kwargs)

    def get_config(self):
        return {**super().get_config(), "cropping": self.cropping,
                "data_format": self.data_format}
