"""`GlobalAveragePooling1D`, `GlobalAveragePooling2D`,
`GlobalAveragePooling3D`.

The three share one file because they differ only in their rank (and
GlobalAveragePooling1D's mask).
"""

from lamina import ops
from lamina.layers.pooling.base_global_pooling import BaseGlobalPooling
from lamina.legacy import arguments as legacy


class _GlobalAveragePooling(BaseGlobalPooling):
    def call(self, inputs):
        return ops.mean(inputs, axis=self._axes, keepdims=self.keepdims)


class GlobalAveragePooling1D(BaseGlobalPooling):
    """The mean over the steps of `(batch, steps, features)`.

    With a mask (e.g. from `Embedding(mask_zero=True)`), only the steps
    the mask keeps are averaged. The output carries no mask.

    Args:
        data_format: 'channels_last' or 'channels_first'.
        keepdims: keep the steps axis with size 1.

    Call args:
        inputs: a 3D tensor.
        mask: None, or a boolean `(batch, steps)` tensor.

    Output shape:
        `(batch, features)`, or `(batch, 1, features)` with `keepdims`
        (channels_last).

    Example:

    >>> import numpy as np
    >>> from lamina import ops
    >>> from lamina.layers.pooling import GlobalAveragePooling1D
    >>> x = np.array([[[1.0], [3.0], [8.0]]])
    >>> mask = np.array([[True, True, False]])
    >>> y = GlobalAveragePooling1D()(x, mask=mask)
    >>> ops.convert_to_numpy(y).tolist()
    [[2.0]]
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(1, data_format=data_format, keepdims=keepdims,
                         **kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        axis = self._axes[0]
        if mask is None:
            return ops.mean(inputs, axis=axis, keepdims=self.keepdims)
        weights = ops.cast(mask, inputs.dtype)
        weights = ops.expand_dims(weights, 2 if axis == 1 else 1)
        total = ops.sum(ops.multiply(inputs, weights), axis=axis,
                        keepdims=self.keepdims)
        return ops.divide(total, ops.sum(weights, axis=axis,
                                         keepdims=self.keepdims))

    def compute_mask(self, inputs, mask=None):
        return None


class GlobalAveragePooling2D(_GlobalAveragePooling):
    """The mean over the rows and columns of images.

    Args:
        data_format: 'channels_last' or 'channels_first'.
        keepdims: keep the spatial axes with size 1.

    Output shape:
        `(batch, channels)`, or `(batch, 1, 1, channels)` with `keepdims`
        (channels_last).
    """

    @legacy.legacy_arguments(legacy.DATA_FORMAT_ARGUMENTS)
    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(2, data_format=data_format, keepdims=keepdims,
                         **kwargs)


class GlobalAveragePooling3D(_GlobalAveragePooling):
    """The mean over the three spatial axes of volumes.

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
GlobalAvgPool1D = GlobalAveragePooling1D
GlobalAvgPool2D = GlobalAveragePooling2D
GlobalAvgPool3D = GlobalAveragePooling3D
