"""NumPy backend: activation primitives, written from their formulas."""

import numpy as np

from lamina.backend.numpy.core import _t
from lamina.backend.numpy.math import _float, erf


def relu(x):
    x = _t(x)
    return np.maximum(x, np.zeros((), x.dtype))


def sigmoid(x):
    x = _float(x)
    # exp of a non-positive number only, so large |x| never overflows.
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + z), z / (1 + z)).astype(x.dtype)


def softplus(x):
    x = _float(x)
    return (np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))).astype(x.dtype)


def silu(x):
    x = _float(x)
    return x * sigmoid(x)


def gelu(x, approximate=True):
    x = _float(x)
    if approximate:
        inner = np.sqrt(2 / np.pi) * (x + 0.044715 * x ** 3)
        out = 0.5 * x * (1 + np.tanh(inner))
    else:
        out = 0.5 * x * (1 + erf(x / np.sqrt(2)))
    return out.astype(x.dtype)


def elu(x, alpha=1.0):
    x = _float(x)
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0))).astype(
        x.dtype)


_SELU_ALPHA = 1.6732632423543772
_SELU_SCALE = 1.0507009873554805


def selu(x):
    return (_SELU_SCALE * elu(x, _SELU_ALPHA)).astype(_float(x).dtype)


def leaky_relu(x, negative_slope=0.2):
    x = _float(x)
    return np.where(x > 0, x, negative_slope * x).astype(x.dtype)


def log_sigmoid(x):
    x = _float(x)
    return -softplus(-x)


def softmax(x, axis=-1):
    x = _float(x)
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(x, axis=-1):
    x = _float(x)
    shifted = x - np.max(x, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis,
                                   keepdims=True))
