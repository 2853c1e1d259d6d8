"""Torch backend: activation primitives (the engine's fused kernels)."""

import torch
import torch.nn.functional as F

from lamina.backend.torch.core import _t


def relu(x):
    return F.relu(_t(x))


def sigmoid(x):
    return torch.sigmoid(_t(x))


def softplus(x):
    return F.softplus(_t(x))


def silu(x):
    return F.silu(_t(x))


def gelu(x, approximate=True):
    return F.gelu(_t(x), approximate="tanh" if approximate else "none")


def elu(x, alpha=1.0):
    return F.elu(_t(x), alpha=alpha)


def selu(x):
    return F.selu(_t(x))


def leaky_relu(x, negative_slope=0.2):
    return F.leaky_relu(_t(x), negative_slope=negative_slope)


def log_sigmoid(x):
    return F.logsigmoid(_t(x))


def softmax(x, axis=-1):
    return torch.softmax(_t(x), dim=axis)


def log_softmax(x, axis=-1):
    return torch.log_softmax(_t(x), dim=axis)
