"""`MaxPooling1D`, `MaxPooling2D`, `MaxPooling3D`.

The three share one file because they differ only in their rank and
default `pool_size`; everything else is `BasePooling`.
"""

from lamina.layers.pooling.base_pooling import BasePooling
from lamina.legacy import arguments as legacy


class MaxPooling1D(BasePooling):
    """1D max pooling over temporal data: the maximum of each window.

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
    """

    @legacy.legacy_arguments(legacy.POOLING1D_ARGUMENTS)
    def __init__(self, pool_size=2, strides=None, padding="valid",
                 data_format=None, **kwargs):
        super().__init__(1, pool_size, "max", strides=strides,
                         padding=padding, data_format=data_format, **kwargs)


class MaxPooling2D(BasePooling):
    """2D max pooling over images: the maximum of each window.

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

    Example:

    >>> import numpy as np
    >>> from lamina import ops
    >>> from lamina.layers.pooling import MaxPooling2D
    >>> x = np.arange(16.0).reshape(1, 4, 4, 1)
    >>> ops.convert_to_numpy(MaxPooling2D()(x))[0, :, :, 0].tolist()
    [[5.0, 7.0], [13.0, 15.0]]
    """

    @legacy.legacy_arguments(legacy.POOLING_ARGUMENTS)
    def __init__(self, pool_size=(2, 2), strides=None, padding="valid",
                 data_format=None, **kwargs):
        super().__init__(2, pool_size, "max", strides=strides,
                         padding=padding, data_format=data_format, **kwargs)


class MaxPooling3D(BasePooling):
    """3D max pooling over volumes: the maximum of each window.

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
        super().__init__(3, pool_size, "max", strides=strides,
                         padding=padding, data_format=data_format, **kwargs)


# Keras 3 exports these spellings as the same classes.
MaxPool1D = MaxPooling1D
MaxPool2D = MaxPooling2D
MaxPool3D = MaxPooling3D
