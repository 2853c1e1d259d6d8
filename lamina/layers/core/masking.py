"""`Masking`: marks timesteps whose features all equal `mask_value`."""

from lamina import ops
from lamina.layers.layer import Layer


class Masking(Layer):
    """Masks timesteps (for downstream RNNs) where every feature equals
    `mask_value`.

    For inputs `(batch, timesteps, features)` the output mask is
    `any(inputs != mask_value, axis=-1)`; the masked timesteps' outputs
    are set to zero, and layers that support masks (RNNs) skip them.

    Args:
        mask_value: the padding value.

    Example:

    >>> import numpy as np, lamina
    >>> x = np.array([[[1.0], [0.0], [2.0]]], "float32")
    >>> mask = lamina.layers.Masking().compute_mask(x)
    >>> lamina.ops.convert_to_numpy(mask).tolist()
    [[True, False, True]]
    """

    def __init__(self, mask_value=0.0, **kwargs):
        super().__init__(**kwargs)
        self.mask_value = mask_value
        self.supports_masking = True
        self.built = True

    def _keep(self, inputs, keepdims):
        return ops.any(ops.not_equal(inputs, self.mask_value), axis=-1,
                       keepdims=keepdims)

    def call(self, inputs):
        keep = ops.cast(self._keep(inputs, True), ops.dtype(inputs))
        return ops.multiply(inputs, keep)

    def compute_mask(self, inputs, mask=None):
        return self._keep(inputs, False)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "mask_value": self.mask_value}
