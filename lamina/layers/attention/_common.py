"""Helpers shared by the attention layers: masked softmax, causal masks.

Private to `lamina.layers.attention`; written with `lamina.ops` only.
"""

from lamina import ops
from lamina.backend.common.symbolic import SymbolicTensor


def large_negative(dtype):
    """The score given to masked positions before the softmax.

    -1e9 underflows `exp` to exactly 0 in float32/float64; float16 can only
    hold about 6.5e4, so it gets -3e4 (as Keras's `Softmax` layer does).
    """
    return -3e4 if str(dtype) == "float16" else -1e9


def as_tensor(x, dtype):
    """`x` as a backend tensor (symbolic tensors pass through); floating
    NumPy data takes `dtype`."""
    if x is None or isinstance(x, SymbolicTensor) or ops.is_tensor(x):
        return x
    converted = ops.convert_to_tensor(x)
    if str(ops.dtype(converted)).startswith("float"):
        converted = ops.cast(converted, dtype)
    return converted


def causal_mask(query_length, key_length):
    """A `(1, Tq, Tv)` boolean mask: query `i` may attend to keys `j <= i`.

    Example:

    >>> from lamina import ops
    >>> ops.convert_to_numpy(causal_mask(2, 3)).astype(int).tolist()
    [[[1, 0, 0], [1, 1, 0]]]
    """
    rows = ops.expand_dims(ops.arange(query_length, dtype="int32"), -1)
    cols = ops.expand_dims(ops.arange(key_length, dtype="int32"), 0)
    return ops.expand_dims(ops.greater_equal(rows, cols), 0)


def masked_softmax(scores, mask=None, axis=-1):
    """Softmax of `scores` over `axis` (an int or a tuple of axes), where
    positions with a False `mask` (broadcast to `scores`) get a large
    negative score first, so they receive (almost exactly) zero weight.

    A row masked everywhere becomes a uniform distribution, as in Keras.
    """
    dtype = ops.dtype(scores)
    if mask is not None:
        dropped = ops.subtract(1.0, ops.cast(mask, dtype))
        scores = ops.add(scores,
                         ops.multiply(dropped, large_negative(dtype)))
    if isinstance(axis, (tuple, list)):
        if len(axis) == 1:
            return ops.softmax(scores, axis=axis[0])
        return ops.exp(ops.subtract(
            scores, ops.logsumexp(scores, axis=tuple(axis), keepdims=True)))
    return ops.softmax(scores, axis=axis)
