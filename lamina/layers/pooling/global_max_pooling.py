"""`GlobalMaxPooling1D`, `GlobalMaxPooling2D`, `GlobalMaxPooling3D`.

The three share one file because they differ only in their rank.
"""

from lamina import ops
from lamina.layers.pooling.base_global_pooling import BaseGlobalPooling
from lamina.legacy import arguments as legacy


class _GlobalMaxPooling(BaseGlobalPooling):
    def call(self, inputs):
        return ops.max(inputs, axis=self._axes, keepdims=self.keepdims)


class GlobalMaxPooling1D(_GlobalMaxPooling):
    """The maximum over the steps of `(batch, steps, features)`.

    Args:
        data_format: 'channels_last' or 'channels_first'.
        keepdims: keep the steps axis with size 1.

    Output shape:
        `(batch, features)`, or `(batch, 1, features)` with `keepdims`
        (channels_last).
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(1, data_format=data_format, keepdims=keepdims,
                         **kwargs)


class GlobalMaxPooling2D(_GlobalMaxPooling):
    """The maximum over the rows and columns of images.

    Args:
        data_format: 'channels_last' or 'channels_first'.
        keepdims: keep the spatial axes with size 1.

    Output shape:
        `(batch, channels)`, or `(batch, 1, 1, channels)` with `keepdims`
        (channels_last).

    Example:

    >>> import numpy as np
    >>> from lamina import ops
    >>> from lamina.layers.pooling import GlobalMaxPooling2D
    >>> x = np.arange(8.0).reshape(1, 2, 2, 2)
    >>> ops.convert_to_numpy(GlobalMaxPooling2D()(x)).tolist()
    [[6.0, 7.0]]
    """

    @legacy.legacy_arguments(legacy.DATA_FORMAT_ARGUMENTS)
    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(2, data_format=data_format, keepdims=keepdims,
                         **kwargs)


class GlobalMaxPooling3D(_GlobalMaxPooling):
    """The maximum over the three spatial axes of volumes.

    Args:
        data_format: 'channels_last' or 'channels_first'.
        keepdims: keep the spatial axes with size 1.

    Output shape:
        `(batch, channels)`, or `(batch, 1, 1, 1, channels)` with
        `keepdims` (channels_last).
    """

    @legacy.legacy_arguments(legacy.DATA_FORMAT_ARGUMENTS)
    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(3, data_format=data_format, keepdims=keepdims,
                         **kwargs)


# Keras 3 exports these spellings as the same classes.
GlobalMaxPool1D = GlobalMaxPooling1D
GlobalMaxPool2D = GlobalMaxPooling2D
GlobalMaxPool3D = GlobalMaxPooling3D
