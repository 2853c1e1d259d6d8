"""`AveragePooling1D`, `AveragePooling2D`, `AveragePooling3D`.

The three share one file because they differ only in their rank and
default `pool_size`; everything else is `BasePooling`.
"""

from lamina.layers.pooling.base_pooling import BasePooling
from lamina.legacy import arguments as legacy


class AveragePooling1D(BasePooling):
    """1D average pooling over temporal data: the mean of each window.

    Args:
        pool_size: an int or a tuple of 1 int, the window size.
        strides: an int or a tuple of 1 int; None means `pool_size`.
        padding: 'valid' or 'same'.
        data_format: 'channels_last' or 'channels_first'.

    Input shape:
        `(batch, steps, channels)` (channels_last) or
        `(batch, channels, steps)` (channels_first).

    Output shape:
        `(batch, new_steps, channels)` (or channels first).

    Example:

    >>> import numpy as np
    >>> from lamina import ops
    >>> from lamina.layers.pooling import AveragePooling1D
    >>> x = np.array([[[1.0], [3.0], [5.0]]])
    >>> y = AveragePooling1D(2, strides=1, padding="same")(x)
    >>> ops.convert_to_numpy(y)[0, :, 0].tolist()
    [2.0, 4.0, 5.0]
    """

    @legacy.legacy_arguments(legacy.POOLING1D_ARGUMENTS)
    def __init__(self, pool_size=2, strides=None, padding="valid",
                 data_format=None, **kwargs):
        super().__init__(1, pool_size, "average", strides=strides,
                         padding=padding, data_format=data_format, **kwargs)


class AveragePooling2D(BasePooling):
    """2D average pooling over images: the mean of each window.

    Args:
        pool_size: an int or 2 ints, the window size.
        strides: an int or 2 ints; None means `pool_size`.
        padding: 'valid' or 'same'.
        data_format: 'channels_last' or 'channels_first'.

    Input shape:
        `(batch, rows, cols, channels)` (channels_last) or
        `(batch, channels, rows, cols)` (channels_first).

    Output shape:
        `(batch, new_rows, new_cols, channels)` (or channels first).
    """

    @legacy.legacy_arguments(legacy.POOLING_ARGUMENTS)
    def __init__(self, pool_size=(2, 2), strides=None, padding="valid",
                 data_format=None, **kwargs):
        super().__init__(2, pool_size, "average", strides=strides,
                         padding=padding, data_format=data_format, **kwargs)


class AveragePooling3D(BasePooling):
    """3D average pooling over volumes: the mean of each window.

    Args:
        pool_size: an int or 3 ints, the window size.
        strides: an int or 3 ints; None means `pool_size`.
        padding: 'valid' or 'same'.
        data_format: 'channels_last' or 'channels_first'.

    Input shape:
        `(batch, dim1, dim2, dim3, channels)` (channels_last) or
        `(batch, channels, dim1, dim2, dim3)` (channels_first).

    Output shape:
        `(batch, new_dim1, new_dim2, new_dim3, channels)` (or channels first).
    """

    @legacy.legacy_arguments(legacy.POOLING_ARGUMENTS)
    def __init__(self, pool_size=(2, 2, 2), strides=None, padding="valid",
                 data_format=None, **kwargs):
        super().__init__(3, pool_size, "average", strides=strides,
                         padding=padding, data_format=data_format, **kwargs)


# Keras 3 exports these spellings as the same classes.
AvgPool1D = AveragePooling1D
AvgPool2D = AveragePooling2D
AvgPool3D = AveragePooling3D
