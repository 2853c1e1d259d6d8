"""Torch backend: elementwise math, reductions and linear algebra."""

import torch

from lamina.backend.torch.core import (_pair, _t, convert_to_tensor,
                                       to_torch_dtype)


def _operands(x1, x2):
    """Operands for a Python operator: tensors and numbers pass through,
    anything else (arrays, Variables, lists) becomes a tensor."""
    if not isinstance(x1, (torch.Tensor, int, float)):
        x1 = convert_to_tensor(x1)
    if not isinstance(x2, (torch.Tensor, int, float)):
        x2 = convert_to_tensor(x2)
    if not isinstance(x1, torch.Tensor) and not isinstance(x2,
                                                           torch.Tensor):
        x1 = convert_to_tensor(x1)
    return x1, x2


def add(x1, x2):
    x1, x2 = _operands(x1, x2)
    return x1 + x2


def subtract(x1, x2):
    x1, x2 = _operands(x1, x2)
    return x1 - x2


def multiply(x1, x2):
    x1, x2 = _operands(x1, x2)
    return x1 * x2


def divide(x1, x2):
    x1, x2 = _pair(x1, x2)
    if not x1.is_floating_point() and not x2.is_floating_point():
        x1 = x1.float()
    return x1 / x2


def floor_divide(x1, x2):
    x1, x2 = _pair(x1, x2)
    return torch.floor_divide(x1, x2)


def mod(x1, x2):
    x1, x2 = _pair(x1, x2)
    return torch.remainder(x1, x2)


def power(x1, x2):
    if isinstance(x2, (int, float)):
        return torch.pow(_t(x1), x2)
    x1, x2 = _pair(x1, x2)
    return torch.pow(x1, x2)


def negative(x):
    return torch.neg(_t(x))


def abs(x):
    return torch.abs(_t(x))


def sign(x):
    return torch.sign(_t(x))


def _float(x):
    x = _t(x)
    return x if x.is_floating_point() else x.float()


def exp(x):
    return torch.exp(_float(x))


def log(x):
    return torch.log(_float(x))


def log1p(x):
    return torch.log1p(_float(x))


def expm1(x):
    return torch.expm1(_float(x))


def sqrt(x):
    return torch.sqrt(_float(x))


def rsqrt(x):
    return torch.rsqrt(_float(x))


def square(x):
    return torch.square(_t(x))


def sin(x):
    return torch.sin(_float(x))


def cos(x):
    return torch.cos(_float(x))


def tan(x):
    return torch.tan(_float(x))


def arctan(x):
    return torch.arctan(_float(x))


def arctan2(x1, x2):
    x1, x2 = _pair(x1, x2)
    return torch.arctan2(x1, x2)


def sinh(x):
    return torch.sinh(_float(x))


def cosh(x):
    return torch.cosh(_float(x))


def tanh(x):
    return torch.tanh(_float(x))


def erf(x):
    return torch.erf(_float(x))


def floor(x):
    return torch.floor(_t(x))


def ceil(x):
    return torch.ceil(_t(x))


def round(x, decimals=0):
    return torch.round(_t(x), decimals=decimals)


def maximum(x1, x2):
    x1, x2 = _pair(x1, x2)
    return torch.maximum(x1, x2)


def minimum(x1, x2):
    x1, x2 = _pair(x1, x2)
    return torch.minimum(x1, x2)


def clip(x, x_min, x_max):
    return torch.clamp(_t(x), x_min, x_max)


def _axes(axis):
    if axis is None:
        return None
    return axis if isinstance(axis, int) else tuple(axis)


def sum(x, axis=None, keepdims=False):
    x = _t(x)
    if axis is None:
        out = torch.sum(x)
        return out.reshape((1,) * x.ndim) if keepdims else out
    return torch.sum(x, dim=_axes(axis), keepdim=keepdims)


def mean(x, axis=None, keepdims=False):
    x = _float(x)
    if axis is None:
        out = torch.mean(x)
        return out.reshape((1,) * x.ndim) if keepdims else out
    return torch.mean(x, dim=_axes(axis), keepdim=keepdims)


def prod(x, axis=None, keepdims=False, dtype=None):
    x = _t(x)
    if dtype is not None:
        x = x.to(to_torch_dtype(dtype))
    if axis is None:
        out = torch.prod(x)
        return out.reshape((1,) * x.ndim) if keepdims else out
    out = x
    for a in sorted([axis % x.ndim] if isinstance(axis, int) else
                    [a % x.ndim for a in axis], reverse=True):
        out = torch.prod(out, dim=a, keepdim=keepdims)
    return out


def max(x, axis=None, keepdims=False, initial=None):
    x = _t(x)
    out = torch.amax(x, dim=_axes(axis) if axis is not None else
                     tuple(range(x.ndim)), keepdim=keepdims)
    return out if initial is None else torch.clamp(out, min=initial)


def min(x, axis=None, keepdims=False, initial=None):
    x = _t(x)
    out = torch.amin(x, dim=_axes(axis) if axis is not None else
                     tuple(range(x.ndim)), keepdim=keepdims)
    return out if initial is None else torch.clamp(out, max=initial)


def var(x, axis=None, keepdims=False):
    x = _float(x)
    return torch.var(x, dim=_axes(axis), keepdim=keepdims, correction=0)


def std(x, axis=None, keepdims=False):
    x = _float(x)
    return torch.std(x, dim=_axes(axis), keepdim=keepdims, correction=0)


def logsumexp(x, axis=None, keepdims=False):
    x = _float(x)
    dims = tuple(range(x.ndim)) if axis is None else _axes(axis)
    return torch.logsumexp(x, dim=dims, keepdim=keepdims)


def all(x, axis=None, keepdims=False):
    x = _t(x).bool()
    if axis is None:
        out = torch.all(x)
        return out.reshape((1,) * x.ndim) if keepdims else out
    return torch.all(x, dim=_axes(axis), keepdim=keepdims)


def any(x, axis=None, keepdims=False):
    x = _t(x).bool()
    if axis is None:
        out = torch.any(x)
        return out.reshape((1,) * x.ndim) if keepdims else out
    return torch.any(x, dim=_axes(axis), keepdim=keepdims)


def argmax(x, axis=None, keepdims=False):
    return torch.argmax(_t(x), dim=axis, keepdim=keepdims)


def argmin(x, axis=None, keepdims=False):
    return torch.argmin(_t(x), dim=axis, keepdim=keepdims)


def argsort(x, axis=-1):
    return torch.argsort(_t(x), dim=axis, stable=True)


def sort(x, axis=-1):
    return torch.sort(_t(x), dim=axis, stable=True).values


def top_k(x, k, sorted=True):
    out = torch.topk(_t(x), k, dim=-1, sorted=sorted)
    return out.values, out.indices


def cumsum(x, axis=None, dtype=None):
    x = _t(x)
    if axis is None:
        x, axis = x.reshape(-1), 0
    return torch.cumsum(x, dim=axis,
                        dtype=to_torch_dtype(dtype) if dtype else None)


def cumprod(x, axis=None, dtype=None):
    x = _t(x)
    if axis is None:
        x, axis = x.reshape(-1), 0
    return torch.cumprod(x, dim=axis,
                         dtype=to_torch_dtype(dtype) if dtype else None)


def equal(x1, x2):
    x1, x2 = _pair(x1, x2)
    return torch.eq(x1, x2)


def not_equal(x1, x2):
    x1, x2 = _pair(x1, x2)
    return torch.ne(x1, x2)


def greater(x1, x2):
    x1, x2 = _pair(x1, x2)
    return torch.gt(x1, x2)


def greater_equal(x1, x2):
    x1, x2 = _pair(x1, x2)
    return torch.ge(x1, x2)


def less(x1, x2):
    x1, x2 = _pair(x1, x2)
    return torch.lt(x1, x2)


def less_equal(x1, x2):
    x1, x2 = _pair(x1, x2)
    return torch.le(x1, x2)


def logical_and(x1, x2):
    return torch.logical_and(_t(x1), _t(x2))


def logical_or(x1, x2):
    return torch.logical_or(_t(x1), _t(x2))


def logical_not(x):
    return torch.logical_not(_t(x))


def isnan(x):
    return torch.isnan(_t(x))


def isinf(x):
    return torch.isinf(_t(x))


def isfinite(x):
    return torch.isfinite(_t(x))


def matmul(x1, x2):
    return torch.matmul(_t(x1), _t(x2))


def tensordot(x1, x2, axes=2):
    return torch.tensordot(_t(x1), _t(x2), dims=axes)


def einsum(subscripts, *operands):
    return torch.einsum(subscripts, *[_t(o) for o in operands])


def norm(x, ord=None, axis=None, keepdims=False):
    x = _float(x)
    return torch.linalg.norm(x, ord=ord, dim=_axes(axis), keepdim=keepdims)
