"""JAX backend: activation primitives (`jax.nn`)."""

import jax

from lamina.backend.jax.core import _t
from lamina.backend.jax.math import _float


def relu(x):
    return jax.nn.relu(_t(x))


def sigmoid(x):
    return jax.nn.sigmoid(_float(x))


def softplus(x):
    return jax.nn.softplus(_float(x))


def silu(x):
    return jax.nn.silu(_float(x))


def gelu(x, approximate=True):
    return jax.nn.gelu(_float(x), approximate=approximate)


def elu(x, alpha=1.0):
    return jax.nn.elu(_float(x), alpha=alpha)


def selu(x):
    return jax.nn.selu(_float(x))


def leaky_relu(x, negative_slope=0.2):
    return jax.nn.leaky_relu(_float(x), negative_slope=negative_slope)


def log_sigmoid(x):
    return jax.nn.log_sigmoid(_float(x))


def softmax(x, axis=-1):
    return jax.nn.softmax(_float(x), axis=axis)


def log_softmax(x, axis=-1):
    return jax.nn.log_softmax(_float(x), axis=axis)

