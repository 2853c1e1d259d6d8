"""NumPy backend: elementwise math, reductions and linear algebra."""

import builtins as _builtins
import math as _math

import numpy as np

from lamina.backend.numpy.core import _pair, _t, to_numpy_dtype


def add(x1, x2):
    x1, x2 = _pair(x1, x2)
    return np.add(x1, x2)


def subtract(x1, x2):
    x1, x2 = _pair(x1, x2)
    return np.subtract(x1, x2)


def multiply(x1, x2):
    x1, x2 = _pair(x1, x2)
    return np.multiply(x1, x2)


def _is_int(x):
    return np.asarray(x).dtype.kind in "biu"


def divide(x1, x2):
    x1, x2 = _pair(x1, x2)
    if _is_int(x1) and _is_int(x2):  # int / int is float32, as in torch
        x1, x2 = np.float32(x1), np.float32(x2)
    return np.true_divide(x1, x2)


def floor_divide(x1, x2):
    x1, x2 = _pair(x1, x2)
    return np.floor_divide(x1, x2)


def mod(x1, x2):
    x1, x2 = _pair(x1, x2)
    return np.mod(x1, x2)


def power(x1, x2):
    x1, x2 = _pair(x1, x2)
    return np.power(x1, x2)


def negative(x):
    return np.negative(_t(x))


def abs(x):
    return np.abs(_t(x))


def sign(x):
    return np.sign(_t(x))


def _float(x):
    """`x` as a float array (ints and bools become float32, as in torch)."""
    x = _t(x)
    return x if x.dtype.kind in "fc" or x.dtype.name == "bfloat16" \
        else x.astype(np.float32)


def exp(x):
    return np.exp(_float(x))


def log(x):
    return np.log(_float(x))


def log1p(x):
    return np.log1p(_float(x))


def expm1(x):
    return np.expm1(_float(x))


def sqrt(x):
    return np.sqrt(_float(x))


def rsqrt(x):
    x = _float(x)
    return (1 / np.sqrt(x)).astype(x.dtype)


def square(x):
    return np.square(_t(x))


def sin(x):
    return np.sin(_float(x))


def cos(x):
    return np.cos(_float(x))


def tan(x):
    return np.tan(_float(x))


def arctan(x):
    return np.arctan(_float(x))


def arctan2(x1, x2):
    x1, x2 = _pair(_float(x1), x2)
    return np.arctan2(x1, _float(x2))


def sinh(x):
    return np.sinh(_float(x))


def cosh(x):
    return np.cosh(_float(x))


def tanh(x):
    return np.tanh(_float(x))


def _erf_scalar():
    try:
        from scipy.special import erf
        return erf
    except ModuleNotFoundError:  # NumPy has no erf: one value at a time
        return np.frompyfunc(_math.erf, 1, 1)


_erf = None


def erf(x):
    global _erf
    if _erf is None:
        _erf = _erf_scalar()
    x = _float(x)
    return np.asarray(_erf(x)).astype(x.dtype)


def floor(x):
    x = _t(x)
    return np.floor(x) if x.dtype.kind in "fc" else x


def ceil(x):
    x = _t(x)
    return np.ceil(x) if x.dtype.kind in "fc" else x


def round(x, decimals=0):
    x = _t(x)
    return np.round(x, decimals) if x.dtype.kind in "fc" or decimals < 0 \
        else x


def maximum(x1, x2):
    x1, x2 = _pair(x1, x2)
    return np.maximum(x1, x2)


def minimum(x1, x2):
    x1, x2 = _pair(x1, x2)
    return np.minimum(x1, x2)


def clip(x, x_min, x_max):
    x = _t(x)
    if x.dtype.kind in "biu" and _builtins.any(isinstance(v, float)
                                     for v in (x_min, x_max)):
        x = x.astype(np.float32)
    return np.clip(x, x_min, x_max).astype(x.dtype, copy=False)


def _axes(axis):
    return tuple(axis) if isinstance(axis, (list, tuple)) else axis


def _accumulator(x, dtype):
    """Sums and products of small ints and bools accumulate in int64, as in
    torch."""
    if dtype is not None:
        return to_numpy_dtype(dtype)
    if x.dtype.kind == "b" or (x.dtype.kind in "iu" and
                               x.dtype.itemsize < 8):
        return np.dtype(np.int64)
    return None


def sum(x, axis=None, keepdims=False):
    x = _t(x)
    return np.sum(x, axis=_axes(axis), keepdims=keepdims,
                  dtype=_accumulator(x, None))


def mean(x, axis=None, keepdims=False):
    x = _float(x)
    return np.mean(x, axis=_axes(axis), keepdims=keepdims)


def prod(x, axis=None, keepdims=False, dtype=None):
    x = _t(x)
    return np.prod(x, axis=_axes(axis), keepdims=keepdims,
                   dtype=_accumulator(x, dtype))


def max(x, axis=None, keepdims=False, initial=None):
    kwargs = {} if initial is None else {"initial": initial}
    return np.max(_t(x), axis=_axes(axis), keepdims=keepdims, **kwargs)


def min(x, axis=None, keepdims=False, initial=None):
    kwargs = {} if initial is None else {"initial": initial}
    return np.min(_t(x), axis=_axes(axis), keepdims=keepdims, **kwargs)


def var(x, axis=None, keepdims=False):
    return np.var(_float(x), axis=_axes(axis), keepdims=keepdims)


def std(x, axis=None, keepdims=False):
    return np.std(_float(x), axis=_axes(axis), keepdims=keepdims)


def logsumexp(x, axis=None, keepdims=False):
    x = _float(x)
    axis = _axes(axis)
    top = np.max(x, axis=axis, keepdims=True)
    top = np.where(np.isfinite(top), top, 0)
    out = np.log(np.sum(np.exp(x - top), axis=axis, keepdims=True)) + top
    return out if keepdims else np.squeeze(out, axis=axis)


def all(x, axis=None, keepdims=False):
    return np.all(_t(x), axis=_axes(axis), keepdims=keepdims)


def any(x, axis=None, keepdims=False):
    return np.any(_t(x), axis=_axes(axis), keepdims=keepdims)


def argmax(x, axis=None, keepdims=False):
    return np.argmax(_t(x), axis=axis, keepdims=keepdims)


def argmin(x, axis=None, keepdims=False):
    return np.argmin(_t(x), axis=axis, keepdims=keepdims)


def argsort(x, axis=-1):
    return np.argsort(_t(x), axis=axis, kind="stable")


def sort(x, axis=-1):
    return np.sort(_t(x), axis=axis, kind="stable")


def top_k(x, k, sorted=True):
    x = _t(x)
    key = -x.astype(np.int64) if x.dtype.kind in "bu" else -x
    indices = np.argsort(key, axis=-1, kind="stable")[..., :k]
    return np.take_along_axis(x, indices, axis=-1), indices


def cumsum(x, axis=None, dtype=None):
    x = _t(x)
    return np.cumsum(x, axis=axis, dtype=_accumulator(x, dtype))


def cumprod(x, axis=None, dtype=None):
    x = _t(x)
    return np.cumprod(x, axis=axis, dtype=_accumulator(x, dtype))


def equal(x1, x2):
    x1, x2 = _pair(x1, x2)
    return np.equal(x1, x2)


def not_equal(x1, x2):
    x1, x2 = _pair(x1, x2)
    return np.not_equal(x1, x2)


def greater(x1, x2):
    x1, x2 = _pair(x1, x2)
    return np.greater(x1, x2)


def greater_equal(x1, x2):
    x1, x2 = _pair(x1, x2)
    return np.greater_equal(x1, x2)


def less(x1, x2):
    x1, x2 = _pair(x1, x2)
    return np.less(x1, x2)


def less_equal(x1, x2):
    x1, x2 = _pair(x1, x2)
    return np.less_equal(x1, x2)


def logical_and(x1, x2):
    return np.logical_and(_t(x1), _t(x2))


def logical_or(x1, x2):
    return np.logical_or(_t(x1), _t(x2))


def logical_not(x):
    return np.logical_not(_t(x))


def isnan(x):
    return np.isnan(_t(x))


def isinf(x):
    return np.isinf(_t(x))


def isfinite(x):
    return np.isfinite(_t(x))


def matmul(x1, x2):
    return np.matmul(_t(x1), _t(x2))


def tensordot(x1, x2, axes=2):
    return np.tensordot(_t(x1), _t(x2), axes=axes)


def einsum(subscripts, *operands):
    return np.einsum(subscripts, *[_t(o) for o in operands])


def norm(x, ord=None, axis=None, keepdims=False):
    # With `ord` and `axis` both None: the 2-norm of all elements (any rank).
    x = _float(x)
    out = np.linalg.norm(x, ord=ord, axis=_axes(axis), keepdims=keepdims)
    return np.asarray(out).astype(x.dtype, copy=False)
