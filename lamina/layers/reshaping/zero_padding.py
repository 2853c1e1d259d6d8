"""`ZeroPadding1D`, `ZeroPadding2D`, `ZeroPadding3D`: pad spatial axes.

The three share one file because they differ only in their rank and in how
`padding` is written.
"""

from lamina import backend, ops
from lamina.layers.convolutional import _arguments as args
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.legacy import arguments as legacy


class _ZeroPadding(Layer):
    """Adds `(before, after)` zeros to each spatial axis."""

    def __init__(self, rank, pairs, data_format, **kwargs):
        super().__init__(**kwargs)
        self.rank = rank
        self._pairs = pairs
        self.data_format = backend.standardize_data_format(data_format)
        self._axes = args.spatial_axes(rank, self.data_format)
        self.input_spec = InputSpec(ndim=rank + 2)
        self.built = True

    def call(self, inputs):
        widths = [(0, 0)] * (self.rank + 2)
        for axis, pair in zip(self._axes, self._pairs):
            widths[axis] = pair
        return ops.pad(inputs, widths)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        for axis, (before, after) in zip(self._axes, self._pairs):
            if shape[axis] is not None:
                shape[axis] += before + after
        return tuple(shape)

    def get_config(self):
        return {**super().get_config(), "padding": self.padding,
                "data_format": self.data_format}


class ZeroPadding1D(_ZeroPadding):
    """Pads `(batch, steps, features)` with zeros along the steps axis.

    Args:
        padding: an int (both ends) or a pair `(start, end)`.
        data_format: 'channels_last' or 'channels_first'.

    Example:

    >>> import numpy as np
    >>> from lamina import ops
    >>> from lamina.layers.reshaping import ZeroPadding1D
    >>> y = ZeroPadding1D((1, 2))(np.ones((1, 2, 1)))
    >>> ops.convert_to_numpy(y)[0, :, 0].tolist()
    [0.0, 1.0, 1.0, 0.0, 0.0]
    """

    def __init__(self, padding=1, data_format=None, **kwargs):
        self.padding = args.standardize_tuple(padding, 2, "padding",
                                              allow_zero=True)
        super().__init__(1, (self.padding,), data_format, **kwargs)


class ZeroPadding2D(_ZeroPadding):
    """Pads the rows and columns of images with zeros.

    Args:
        padding: an int (every side), a pair `(rows, cols)` (both ends of
            each), or `((top, bottom), (left, right))`.
        data_format: 'channels_last' or 'channels_first'.
    """

    @legacy.legacy_arguments(legacy.DATA_FORMAT_ARGUMENTS)
    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        self.padding = args.standardize_pairs(padding, 2, "padding")
        super().__init__(2, self.padding, data_format, **kwargs)


class ZeroPadding3D(_ZeroPadding):
    """Pads the three spatial axes of volumes with zeros.

    Args:
        padding: an int (every side), three ints (both ends of each axis),
            or three `(before, after)` pairs.
        data_format: 'channels_last' or 'channels_first'.
    """

    @legacy.legacy_arguments(legacy.DATA_FORMAT_ARGUMENTS)
    def __init__(self, padding=((1, 1), (1, 1), (1, 1)), data_format=None,
                 **kwargs):
        self.padding = args.standardize_pairs(padding, 3, "padding")
        super().__init__(3, self.padding, data_format, **kwargs)
