"""Composite neural-network ops, written once over the backend primitives."""

from lamina import backend as _settings
from lamina.ops._bind import B

__all__ = [
    "binary_crossentropy",
    "categorical_crossentropy",
    "celu",
    "exponential",
    "glu",
    "hard_sigmoid",
    "hard_silu",
    "hard_swish",
    "hard_tanh",
    "mish",
    "moments",
    "normalize",
    "relu6",
    "softsign",
    "sparse_categorical_crossentropy",
    "swish",
]


def relu6(x):
    return B.clip(x, 0.0, 6.0)


def hard_sigmoid(x):
    """max(0, min(1, x / 6 + 1 / 2)), as in Keras 3."""
    return B.clip(B.add(B.multiply(x, 1.0 / 6.0), 0.5), 0.0, 1.0)


def hard_silu(x):
    return B.multiply(x, hard_sigmoid(x))


hard_swish = hard_silu


def softsign(x):
    return B.divide(x, B.add(B.abs(x), 1.0))


def swish(x):
    return B.silu(x)


def mish(x):
    return B.multiply(x, B.tanh(B.softplus(x)))


def exponential(x):
    return B.exp(x)


def celu(x, alpha=1.0):
    return B.add(B.relu(x), B.minimum(
        B.multiply(B.expm1(B.divide(x, alpha)), alpha), 0.0))


def glu(x, axis=-1):
    a, b = B.split(x, 2, axis=axis)
    return B.multiply(a, B.sigmoid(b))


def hard_tanh(x):
    return B.clip(x, -1.0, 1.0)


def moments(x, axes, keepdims=False):
    """Mean and (population) variance of `x` over `axes`."""
    mean = B.mean(x, axis=axes, keepdims=True)
    variance = B.mean(B.square(B.subtract(x, B.stop_gradient(mean))),
                      axis=axes, keepdims=True)
    if not keepdims:
        mean = B.squeeze(mean, axis=axes)
        variance = B.squeeze(variance, axis=axes)
    return mean, variance


def normalize(x, axis=-1, order=2, epsilon=None):
    """`x` divided by its `order`-norm along `axis`."""
    eps = _settings.epsilon() if epsilon is None else epsilon
    if order == 2:
        sq = B.sum(B.square(x), axis=axis, keepdims=True)
        return B.multiply(x, B.rsqrt(B.maximum(sq, eps * eps)))
    norm = B.norm(x, ord=order, axis=axis, keepdims=True)
    return B.divide(x, B.maximum(norm, eps))


def binary_crossentropy(target, output, from_logits=False):
    """Elementwise binary crossentropy; probabilities are clipped to
    [eps, 1 - eps] as in Keras, logits use the stable softplus form."""
    target = B.convert_to_tensor(target)
    output = B.convert_to_tensor(output)
    if from_logits:
        # max(x, 0) - x * t + log(1 + exp(-|x|))
        return B.add(B.subtract(B.relu(output), B.multiply(output, target)),
                     B.log1p(B.exp(B.negative(B.abs(output)))))
    eps = _settings.epsilon()
    output = B.clip(output, eps, 1.0 - eps)
    return B.negative(B.add(
        B.multiply(target, B.log(output)),
        B.multiply(B.subtract(1.0, target), B.log(B.subtract(1.0, output)))))


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Crossentropy between one-hot (or soft) `target` and `output`."""
    target = B.convert_to_tensor(target)
    output = B.convert_to_tensor(output)
    if B.shape(target) != B.shape(output):
        raise ValueError(
            "categorical_crossentropy: `target` and `output` must have the "
            f"same shape; got target {B.shape(target)} and output "
            f"{B.shape(output)}. For integer labels use "
            "sparse_categorical_crossentropy.")
    if from_logits:
        log_prob = B.log_softmax(output, axis=axis)
    else:
        output = B.divide(output, B.sum(output, axis=axis, keepdims=True))
        eps = _settings.epsilon()
        log_prob = B.log(B.clip(output, eps, 1.0 - eps))
    return B.negative(B.sum(B.multiply(target, log_prob), axis=axis))


def sparse_categorical_crossentropy(target, output, from_logits=False,
                                    axis=-1):
    """Crossentropy between integer labels `target` and `output`."""
    target = B.convert_to_tensor(target)
    output = B.convert_to_tensor(output)
    out_shape = B.shape(output)
    if len(B.shape(target)) == len(out_shape) and B.shape(target)[-1] == 1:
        target = B.squeeze(target, axis=-1)
    if B.shape(target) != out_shape[:-1]:
        raise ValueError(
            "sparse_categorical_crossentropy: `target` must have the shape "
            f"of `output` without its last axis ({out_shape[:-1]}); got "
            f"{B.shape(target)}.")
    if from_logits:
        log_prob = B.log_softmax(output, axis=axis)
    else:
        output = B.divide(output, B.sum(output, axis=axis, keepdims=True))
        eps = _settings.epsilon()
        log_prob = B.log(B.clip(output, eps, 1.0 - eps))
    picked = B.take_along_axis(
        log_prob, B.expand_dims(B.cast(target, "int64"), axis), axis=axis)
    return B.negative(B.squeeze(picked, axis=axis))
