"""JAX backend: elementwise math, reductions and linear algebra."""

import builtins as _builtins

import jax
import jax.numpy as jnp

from lamina.backend.jax.core import _pair, _t, to_jax_dtype


def add(x1, x2):
    x1, x2 = _pair(x1, x2)
    return jnp.add(x1, x2)


def subtract(x1, x2):
    x1, x2 = _pair(x1, x2)
    return jnp.subtract(x1, x2)


def multiply(x1, x2):
    x1, x2 = _pair(x1, x2)
    return jnp.multiply(x1, x2)


def _is_int(x):
    return not isinstance(x, float) and (
        isinstance(x, (int, bool)) or x.dtype.kind in "biu")


def divide(x1, x2):
    x1, x2 = _pair(x1, x2)
    if _is_int(x1) and _is_int(x2):
        x1 = _t(x1).astype(jnp.float32)
    return jnp.true_divide(x1, x2)


def floor_divide(x1, x2):
    x1, x2 = _pair(x1, x2)
    return jnp.floor_divide(x1, x2)


def mod(x1, x2):
    x1, x2 = _pair(x1, x2)
    return jnp.mod(x1, x2)


def power(x1, x2):
    x1, x2 = _pair(x1, x2)
    return jnp.power(x1, x2)


def negative(x):
    return jnp.negative(_t(x))


def abs(x):
    return jnp.abs(_t(x))


def sign(x):
    return jnp.sign(_t(x))


def _float(x):
    """`x` as a float array (ints and bools become float32, as in torch)."""
    x = _t(x)
    return x if jnp.issubdtype(x.dtype, jnp.inexact) \
        else x.astype(jnp.float32)


def exp(x):
    return jnp.exp(_float(x))


def log(x):
    return jnp.log(_float(x))


def log1p(x):
    return jnp.log1p(_float(x))


def expm1(x):
    return jnp.expm1(_float(x))


def sqrt(x):
    return jnp.sqrt(_float(x))


def rsqrt(x):
    return jax.lax.rsqrt(_float(x))


def square(x):
    return jnp.square(_t(x))


def sin(x):
    return jnp.sin(_float(x))


def cos(x):
    return jnp.cos(_float(x))


def tan(x):
    return jnp.tan(_float(x))


def arctan(x):
    return jnp.arctan(_float(x))


def arctan2(x1, x2):
    x1, x2 = _pair(_float(x1), x2)
    return jnp.arctan2(x1, _float(x2))


def sinh(x):
    return jnp.sinh(_float(x))


def cosh(x):
    return jnp.cosh(_float(x))


def tanh(x):
    return jnp.tanh(_float(x))


def erf(x):
    return jax.scipy.special.erf(_float(x))


def _is_inexact(x):
    return jnp.issubdtype(x.dtype, jnp.inexact)


def floor(x):
    x = _t(x)
    return jnp.floor(x) if _is_inexact(x) else x


def ceil(x):
    x = _t(x)
    return jnp.ceil(x) if _is_inexact(x) else x


def round(x, decimals=0):
    x = _t(x)
    return jnp.round(x, decimals) if _is_inexact(x) or decimals < 0 else x


def maximum(x1, x2):
    x1, x2 = _pair(x1, x2)
    return jnp.maximum(x1, x2)


def minimum(x1, x2):
    x1, x2 = _pair(x1, x2)
    return jnp.minimum(x1, x2)


def clip(x, x_min, x_max):
    x = _t(x)
    if not _is_inexact(x) and _builtins.any(isinstance(v, float)
                                            for v in (x_min, x_max)):
        x = x.astype(jnp.float32)
    return jnp.clip(x, min=x_min, max=x_max).astype(x.dtype)


def _axes(axis):
    return tuple(axis) if isinstance(axis, (list, tuple)) else axis


def _accumulator(x, dtype):
    """Sums and products of small ints and bools accumulate in int64, as in
    torch."""
    if dtype is not None:
        return to_jax_dtype(dtype)
    if x.dtype.kind == "b" or (x.dtype.kind in "iu" and
                               x.dtype.itemsize < 8):
        return jnp.int64
    return None


def sum(x, axis=None, keepdims=False):
    x = _t(x)
    return jnp.sum(x, axis=_axes(axis), keepdims=keepdims,
                   dtype=_accumulator(x, None))


def mean(x, axis=None, keepdims=False):
    return jnp.mean(_float(x), axis=_axes(axis), keepdims=keepdims)


def prod(x, axis=None, keepdims=False, dtype=None):
    x = _t(x)
    return jnp.prod(x, axis=_axes(axis), keepdims=keepdims,
                    dtype=_accumulator(x, dtype))


def max(x, axis=None, keepdims=False, initial=None):
    return jnp.max(_t(x), axis=_axes(axis), keepdims=keepdims,
                   initial=initial)


def min(x, axis=None, keepdims=False, initial=None):
    return jnp.min(_t(x), axis=_axes(axis), keepdims=keepdims,
                   initial=initial)


def var(x, axis=None, keepdims=False):
    return jnp.var(_float(x), axis=_axes(axis), keepdims=keepdims)


def std(x, axis=None, keepdims=False):
    return jnp.std(_float(x), axis=_axes(axis), keepdims=keepdims)


def logsumexp(x, axis=None, keepdims=False):
    return jax.scipy.special.logsumexp(_float(x), axis=_axes(axis),
                                       keepdims=keepdims)


def all(x, axis=None, keepdims=False):
    return jnp.all(_t(x), axis=_axes(axis), keepdims=keepdims)


def any(x, axis=None, keepdims=False):
    return jnp.any(_t(x), axis=_axes(axis), keepdims=keepdims)


def argmax(x, axis=None, keepdims=False):
    return jnp.argmax(_t(x), axis=axis, keepdims=keepdims)


def argmin(x, axis=None, keepdims=False):
    return jnp.argmin(_t(x), axis=axis, keepdims=keepdims)


def argsort(x, axis=-1):
    return jnp.argsort(_t(x), axis=axis, stable=True)


def sort(x, axis=-1):
    return jnp.sort(_t(x), axis=axis, stable=True)


def top_k(x, k, sorted=True):
    values, indices = jax.lax.top_k(_t(x), k)
    return values, indices.astype(jnp.int64)  # int64, like argmax


def cumsum(x, axis=None, dtype=None):
    x = _t(x)
    return jnp.cumsum(x, axis=axis, dtype=_accumulator(x, dtype))


def cumprod(x, axis=None, dtype=None):
    x = _t(x)
    return jnp.cumprod(x, axis=axis, dtype=_accumulator(x, dtype))


def equal(x1, x2):
    x1, x2 = _pair(x1, x2)
    return jnp.equal(x1, x2)


def not_equal(x1, x2):
    x1, x2 = _pair(x1, x2)
    return jnp.not_equal(x1, x2)


def greater(x1, x2):
    x1, x2 = _pair(x1, x2)
    return jnp.greater(x1, x2)


def greater_equal(x1, x2):
    x1, x2 = _pair(x1, x2)
    return jnp.greater_equal(x1, x2)


def less(x1, x2):
    x1, x2 = _pair(x1, x2)
    return jnp.less(x1, x2)


def less_equal(x1, x2):
    x1, x2 = _pair(x1, x2)
    return jnp.less_equal(x1, x2)


def logical_and(x1, x2):
    return jnp.logical_and(_t(x1), _t(x2))


def logical_or(x1, x2):
    return jnp.logical_or(_t(x1), _t(x2))


def logical_not(x):
    return jnp.logical_not(_t(x))


def isnan(x):
    return jnp.isnan(_t(x))


def isinf(x):
    return jnp.isinf(_t(x))


def isfinite(x):
    return jnp.isfinite(_t(x))


def matmul(x1, x2):
    return jnp.matmul(_t(x1), _t(x2))


def tensordot(x1, x2, axes=2):
    return jnp.tensordot(_t(x1), _t(x2), axes=axes)


def einsum(subscripts, *operands):
    return jnp.einsum(subscripts, *[_t(o) for o in operands])


def norm(x, ord=None, axis=None, keepdims=False):
    # With `ord` and `axis` both None: the 2-norm of all elements (any rank).
    return jnp.linalg.norm(_float(x), ord=ord, axis=_axes(axis),
                           keepdims=keepdims)
