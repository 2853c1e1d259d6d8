"""`Softmax`: the softmax activation as a layer, with masking."""

from lamina import activations, ops
from lamina.layers.layer import Layer


def _large_negative(dtype):
    # Added to masked logits: large enough to vanish after `exp`, small
    # enough not to overflow in half precision.
    return -3e4 if dtype in ("float16", "bfloat16") else -1e9


class Softmax(Layer):
    """Softmax along `axis`: `exp(x) / sum(exp(x))`.

    With a `mask` (True = keep), masked positions get zero probability:
    their logits are pushed to a large negative number and the output is
    multiplied by the mask (so an all-masked row is all zeros).

    Args:
        axis: an int or a list of ints, the axes the probabilities sum to
            one over.

    Call arguments:
        inputs: the logits.
        mask: a boolean tensor broadcastable to `inputs`, or shaped
            `inputs.shape[:-1]` (one value per step, applied to all of the
            step's features).

    Example:

    >>> import numpy as np, lamina
    >>> y = lamina.layers.activations.Softmax()(
    ...     np.zeros((1, 3)), mask=np.array([[True, True, False]]))
    >>> lamina.ops.convert_to_numpy(y).tolist()
    [[0.5, 0.5, 0.0]]
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)):
            axis = list(axis)
            bad = not axis or any(isinstance(a, bool) or
                                  not isinstance(a, int) for a in axis)
        else:
            bad = isinstance(axis, bool) or not isinstance(axis, int)
        if bad:
            raise ValueError(f"Softmax: `axis` must be an int or a list of "
                             f"ints, got {axis!r}.")
        self.axis = axis
        self.supports_masking = True
        self.built = True

    def call(self, inputs, mask=None):
        axis = tuple(self.axis) if isinstance(self.axis, list) else self.axis
        if mask is None:
            return activations.softmax(inputs, axis=axis)
        dtype = ops.dtype(inputs)
        mask = ops.cast(mask, dtype)
        if tuple(ops.shape(mask)) == tuple(ops.shape(inputs)[:-1]):
            # A per-step mask (Keras's convention for masks that travel
            # between layers) covers all features of its step.
            mask = ops.expand_dims(mask, -1)
        logits = ops.add(inputs, ops.multiply(ops.subtract(1.0, mask),
                                              _large_negative(dtype)))
        return ops.multiply(activations.softmax(logits, axis=axis), mask)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}
