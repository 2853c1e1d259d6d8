"""Activation functions, written once over `lamina.ops`.

Names, arguments and defaults follow Keras 3's `keras.activations`; each
function takes a tensor (or array-like) and returns a tensor of the same
shape.
"""

from lamina import ops


def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """Rectified linear unit, with Keras's optional slope, cap and threshold.

    `f(x) = max_value` for `x >= max_value`, `x` for
    `threshold < x < max_value`, and `negative_slope * (x - threshold)`
    otherwise.

    Args:
        x: input tensor.
        negative_slope: slope for values below `threshold`.
        max_value: the largest value returned (None: no cap).
        threshold: values at or below it are zeroed (or scaled by
            `negative_slope`).

    Returns:
        A tensor shaped like `x`.

    Example:

    >>> from lamina import activations, ops
    >>> ops.convert_to_numpy(activations.relu([-1.0, 0.5, 3.0],
    ...                                       max_value=1.0)).tolist()
    [0.0, 0.5, 1.0]
    """
    if negative_slope == 0.0 and max_value is None and threshold == 0.0:
        return ops.relu(x)
    if max_value is None and threshold == 0.0:
        return ops.leaky_relu(x, negative_slope=negative_slope)
    x = ops.convert_to_tensor(x)
    if threshold != 0.0:
        below = ops.relu(ops.subtract(threshold, x))
        out = ops.multiply(x, ops.cast(ops.greater(x, threshold),
                                       ops.dtype(x)))
    else:
        below = ops.relu(ops.negative(x))
        out = ops.relu(x)
    if max_value is not None:
        out = ops.minimum(out, max_value)
    if negative_slope != 0.0:
        out = ops.subtract(out, ops.multiply(below, negative_slope))
    return out


def leaky_relu(x, negative_slope=0.2):
    """`x` for positive values, `negative_slope * x` otherwise."""
    return ops.leaky_relu(x, negative_slope=negative_slope)


def relu6(x):
    """`min(max(x, 0), 6)`."""
    return ops.relu6(x)


def elu(x, alpha=1.0):
    """Exponential linear unit: `x` if `x > 0` else `alpha * (exp(x) - 1)`.

    Reference: Clevert et al., 2016 (https://arxiv.org/abs/1511.07289).
    """
    return ops.elu(x, alpha=alpha)


def selu(x):
    """Scaled ELU (Klambauer et al., 2017, https://arxiv.org/abs/1706.02515).

    `scale * elu(x, alpha)` with `alpha = 1.67326324` and
    `scale = 1.05070098`. Use with `LecunNormal` initialization.
    """
    return ops.selu(x)


def celu(x, alpha=1.0):
    """Continuously differentiable ELU:
    `max(x, 0) + min(0, alpha * (exp(x / alpha) - 1))`."""
    return ops.celu(x, alpha=alpha)


def sigmoid(x):
    """`1 / (1 + exp(-x))`."""
    return ops.sigmoid(x)


def hard_sigmoid(x):
    """Piecewise-linear sigmoid: `relu6(x + 3) / 6`, i.e.
    `clip(x / 6 + 0.5, 0, 1)` (the Keras 3 formula)."""
    return ops.hard_sigmoid(x)


def log_sigmoid(x):
    """`log(sigmoid(x))`, computed stably."""
    return ops.log_sigmoid(x)


def tanh(x):
    """Hyperbolic tangent."""
    return ops.tanh(x)


def hard_tanh(x):
    """`clip(x, -1, 1)`."""
    return ops.hard_tanh(x)


def softmax(x, axis=-1):
    """`exp(x) / sum(exp(x))` along `axis` (an int or a tuple of ints).

    Args:
        x: input tensor.
        axis: the axis (or axes) the probabilities sum to one over.

    Returns:
        A tensor shaped like `x`.
    """
    if isinstance(axis, int):
        return ops.softmax(x, axis=axis)
    axis = tuple(axis)
    x = ops.convert_to_tensor(x)
    shifted = ops.subtract(x, ops.stop_gradient(
        ops.max(x, axis=axis, keepdims=True)))
    e = ops.exp(shifted)
    return ops.divide(e, ops.sum(e, axis=axis, keepdims=True))


def log_softmax(x, axis=-1):
    """`log(softmax(x))` along `axis` (an int or a tuple), computed
    stably."""
    if isinstance(axis, int):
        return ops.log_softmax(x, axis=axis)
    axis = tuple(axis)
    x = ops.convert_to_tensor(x)
    return ops.subtract(x, ops.logsumexp(x, axis=axis, keepdims=True))


def softplus(x):
    """`log(1 + exp(x))`."""
    return ops.softplus(x)


def softsign(x):
    """`x / (1 + |x|)`."""
    return ops.softsign(x)


def sparse_plus(x):
    """0 for `x <= -1`, `(x + 1) ** 2 / 4` for `-1 < x < 1`, `x` above."""
    x = ops.convert_to_tensor(x)
    middle = ops.multiply(ops.square(ops.add(x, 1.0)), 0.25)
    return ops.where(ops.less_equal(x, -1.0), ops.zeros_like(x),
                     ops.where(ops.less(x, 1.0), middle, x))


def squareplus(x, b=4):
    """`(x + sqrt(x ** 2 + b)) / 2` (So, 2021,
    https://arxiv.org/abs/2112.11687)."""
    return ops.multiply(
        ops.add(x, ops.sqrt(ops.add(ops.square(x), float(b)))), 0.5)


def gelu(x, approximate=False):
    """Gaussian error linear unit: `x * P(X <= x)` for `X ~ N(0, 1)`.

    Args:
        x: input tensor.
        approximate: use the tanh approximation instead of the exact erf
            form (Keras defaults to the exact form).

    Reference: Hendrycks and Gimpel, 2016 (https://arxiv.org/abs/1606.08415).
    """
    return ops.gelu(x, approximate=approximate)


def silu(x):
    """Sigmoid linear unit (swish): `x * sigmoid(x)`."""
    return ops.silu(x)


swish = silu


def hard_silu(x):
    """`x * hard_sigmoid(x)` (hard swish)."""
    return ops.hard_silu(x)


hard_swish = hard_silu


def mish(x):
    """`x * tanh(softplus(x))` (Misra, 2019,
    https://arxiv.org/abs/1908.08681)."""
    return ops.mish(x)


def glu(x, axis=-1):
    """Gated linear unit: `a * sigmoid(b)`, where `x` splits into halves
    `a`, `b` along `axis` (whose size must be even)."""
    return ops.glu(x, axis=axis)


def hard_shrink(x, threshold=0.5):
    """`x` where `|x| > threshold`, else 0."""
    x = ops.convert_to_tensor(x)
    return ops.where(ops.greater(ops.abs(x), threshold), x,
                     ops.zeros_like(x))


def soft_shrink(x, threshold=0.5):
    """`x - threshold` above `threshold`, `x + threshold` below
    `-threshold`, else 0."""
    x = ops.convert_to_tensor(x)
    return ops.multiply(ops.sign(x),
                        ops.relu(ops.subtract(ops.abs(x), threshold)))


def tanh_shrink(x):
    """`x - tanh(x)`."""
    return ops.subtract(x, ops.tanh(x))


def threshold(x, threshold, default_value):
    """`x` where `x > threshold`, else `default_value`."""
    x = ops.convert_to_tensor(x)
    return ops.where(ops.greater(x, threshold), x,
                     ops.full_like(x, default_value))


def exponential(x):
    """`exp(x)`."""
    return ops.exponential(x)


def linear(x):
    """The identity: returns `x` unchanged (the 'no activation' choice)."""
    return x
