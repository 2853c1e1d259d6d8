"""JAX backend: device choice, conversion, creation and shape primitives.

Dtype rules follow the torch backend: a Python float becomes `floatx`, a
Python int `int32`, and an int operand meeting a float one takes the
float's dtype. 64-bit types are switched on (`jax_enable_x64`) so that
float64 works when asked for; every creation function here passes an
explicit dtype, so the default stays float32.
"""

import jax
import jax.numpy as jnp
import numpy as np

from lamina import backend as _settings
from lamina.backend.common.dtypes import standardize_dtype
from lamina.backend.common.variables import Variable as _BaseVariable

name = "jax"
supports_training = True
# compile(jit_compile="auto") jits the step: JAX runs fastest jitted.
jit_by_default = True

# Without this, JAX silently turns float64 into float32 (and int64 into
# int32); lamina keeps float32 the default by giving dtypes explicitly.
jax.config.update("jax_enable_x64", True)

_DTYPES = {n: jnp.dtype(n) for n in (
    "float16", "bfloat16", "float32", "float64", "int8", "int16", "int32",
    "int64", "uint8", "uint16", "uint32", "uint64", "bool", "complex64",
    "complex128")}


def _choose_device():
    wanted = _settings.device_setting()
    if not wanted:
        return None  # JAX's default device; arrays stay uncommitted
    kind, _, index = str(wanted).lower().partition(":")
    kind = {"cuda": "gpu", "rocm": "gpu"}.get(kind, kind)
    try:
        devices = jax.devices(kind)
        return devices[int(index or 0)]
    except (RuntimeError, ValueError, IndexError):
        raise ValueError(
            f"lamina: device {wanted!r} (from the config or LAMINA_DEVICE) "
            f"is not available to JAX; it sees {jax.devices()}. Use 'cpu', "
            "'gpu', 'gpu:N' or 'cuda:N'.") from None


DEVICE = _choose_device()


def get_device():
    """The JAX device lamina puts new arrays on."""
    return DEVICE if DEVICE is not None else jax.devices()[0]


def to_jax_dtype(dtype):
    """A lamina dtype (None means floatx) as a JAX dtype."""
    if isinstance(dtype, np.dtype):
        return dtype
    return _DTYPES[standardize_dtype(dtype)]


def _is_float_dtype(dt):
    return jnp.issubdtype(dt, jnp.floating)


def _has_float(values):
    for v in values:
        if isinstance(v, float) or (isinstance(v, (list, tuple))
                                    and _has_float(v)):
            return True
    return False


def _is_foreign(x):
    """An array of another library (e.g. a torch tensor)."""
    return not isinstance(x, (jax.Array, np.ndarray, np.generic, list,
                              tuple, int, float, bool, complex)) \
        and hasattr(x, "shape")


def convert_to_tensor(x, dtype=None, sparse=None):
    if isinstance(x, _BaseVariable):
        x = x.value
    if isinstance(x, jax.Array):
        if dtype is not None:
            dt = to_jax_dtype(dtype)
            if x.dtype != dt:
                x = x.astype(dt)
        return x
    if dtype is not None:
        dt = to_jax_dtype(dtype)
    elif isinstance(x, float) or (isinstance(x, (list, tuple)) and
                                  _has_float(x)):
        dt = to_jax_dtype(_settings.floatx())
    elif isinstance(x, bool):
        dt = _DTYPES["bool"]
    elif isinstance(x, int):
        dt = _DTYPES["int32" if -2**31 <= x < 2**31 else "int64"]
    else:
        dt = None
    if isinstance(x, (list, tuple)):
        x = [_foreign_to_numpy(v) if _is_foreign(v) else v
             for v in map(_unwrap, x)]
    elif _is_foreign(x):
        x = _foreign_to_numpy(x)
    return jnp.asarray(x, dtype=dt, device=DEVICE)


def _foreign_to_numpy(x):
    if hasattr(x, "detach"):  # a torch tensor given to this backend
        x = x.detach().cpu()
        if str(x.dtype) == "torch.bfloat16":
            x = x.float()
        return x.numpy()
    return np.asarray(x)


def _unwrap(x):
    return x.value if isinstance(x, _BaseVariable) else x


def _t(x):
    """Internal fast conversion: JAX arrays and tracers pass through."""
    if isinstance(x, jax.Array):
        return x
    return convert_to_tensor(x)


def convert_to_numpy(x):
    if isinstance(x, _BaseVariable):
        x = x.value
    if _is_foreign(x):
        return _foreign_to_numpy(x)
    return np.asarray(x)


def is_tensor(x):
    return isinstance(x, jax.Array)


def shape(x):
    return tuple(_t(x).shape)


def dtype(x):
    return standardize_dtype(_t(x).dtype)


def cast(x, dtype):
    return _t(x).astype(to_jax_dtype(dtype))


def _shape(shape):
    return (int(shape),) if np.ndim(shape) == 0 else tuple(
        int(d) for d in shape)


def zeros(shape, dtype=None):
    return jnp.zeros(_shape(shape), to_jax_dtype(dtype), device=DEVICE)


def ones(shape, dtype=None):
    return jnp.ones(_shape(shape), to_jax_dtype(dtype), device=DEVICE)


def full(shape, fill_value, dtype=None):
    return jnp.full(_shape(shape), _unwrap(fill_value), to_jax_dtype(dtype),
                    device=DEVICE)


def zeros_like(x, dtype=None):
    return jnp.zeros_like(_t(x), dtype=to_jax_dtype(dtype) if dtype
                          else None)


def ones_like(x, dtype=None):
    return jnp.ones_like(_t(x), dtype=to_jax_dtype(dtype) if dtype
                         else None)


def full_like(x, fill_value, dtype=None):
    return jnp.full_like(_t(x), _unwrap(fill_value),
                         dtype=to_jax_dtype(dtype) if dtype else None)


def arange(start, stop=None, step=1, dtype=None):
    if stop is None:
        start, stop = 0, start
    if dtype is None:
        floats = any(isinstance(v, float) for v in (start, stop, step))
        dtype = _settings.floatx() if floats else "int32"
    return jnp.arange(start, stop, step, dtype=to_jax_dtype(dtype),
                      device=DEVICE)


def linspace(start, stop, num=50, endpoint=True, dtype=None):
    return jnp.linspace(start, stop, num, endpoint=endpoint,
                        dtype=to_jax_dtype(dtype), device=DEVICE)


def eye(N, M=None, k=0, dtype=None):
    return jnp.eye(N, M, k=k, dtype=to_jax_dtype(dtype), device=DEVICE)


def reshape(x, newshape):
    if np.ndim(newshape) == 0:
        newshape = (newshape,)
    return jnp.reshape(_t(x), tuple(-1 if d is None else int(d)
                                    for d in newshape))


def transpose(x, axes=None):
    return jnp.transpose(_t(x), axes)


def swapaxes(x, axis1, axis2):
    return jnp.swapaxes(_t(x), axis1, axis2)


def moveaxis(x, source, destination):
    return jnp.moveaxis(_t(x), source, destination)


def expand_dims(x, axis):
    return jnp.expand_dims(_t(x), tuple(axis) if isinstance(
        axis, (list, tuple)) else axis)


def squeeze(x, axis=None):
    return jnp.squeeze(_t(x), tuple(axis) if isinstance(
        axis, (list, tuple)) else axis)


def _common(arrays):
    """Arrays cast to one dtype; ints meeting floats take the float type."""
    floats = [a.dtype for a in arrays if _is_float_dtype(a.dtype)]
    if floats and len(floats) < len(arrays):
        target = jnp.result_type(*floats)
        return [a.astype(target) for a in arrays]
    return arrays


def concatenate(xs, axis=0):
    return jnp.concatenate(_common([_t(x) for x in xs]), axis=axis)


def stack(x, axis=0):
    return jnp.stack(_common([_t(v) for v in x]), axis=axis)


def split(x, indices_or_sections, axis=0):
    x = _t(x)
    if isinstance(indices_or_sections, (int, np.integer)):
        indices_or_sections = int(indices_or_sections)
        size = x.shape[axis]
        if size % indices_or_sections:
            raise ValueError(f"split: axis {axis} of size {size} does not "
                             f"divide into {indices_or_sections} sections.")
    else:
        indices_or_sections = [int(i) for i in indices_or_sections]
    return list(jnp.split(x, indices_or_sections, axis=axis))


def tile(x, repeats):
    return jnp.tile(_t(x), repeats)


def repeat(x, repeats, axis=None):
    return jnp.repeat(_t(x), repeats, axis=axis)


def broadcast_to(x, shape):
    return jnp.broadcast_to(_t(x), tuple(shape))


def take(x, indices, axis=None):
    return jnp.take(_t(x), _t(indices), axis=axis)


def take_along_axis(x, indices, axis=None):
    x, indices = _t(x), _t(indices)
    if axis is None:
        x, indices, axis = x.reshape(-1), indices.reshape(-1), 0
    return jnp.take_along_axis(x, indices, axis=axis)


def where(condition, x1=None, x2=None):
    condition = _t(condition)
    if x1 is None and x2 is None:
        # Data-dependent output shape: not for use inside `jax.jit`.
        return tuple(jnp.nonzero(condition))
    if x1 is None or x2 is None:
        raise ValueError("where: give both `x1` and `x2`, or neither (for "
                         "the indices of nonzero elements).")
    x1, x2 = _pair(x1, x2)
    return jnp.where(condition.astype(bool), x1, x2)


_PAD_MODES = {"replicate": "edge", "circular": "wrap"}


def pad(x, pad_width, mode="constant", constant_values=None):
    x = _t(x)
    mode = _PAD_MODES.get(mode, mode)
    if mode == "constant":
        return jnp.pad(x, pad_width, mode="constant",
                       constant_values=constant_values or 0)
    if constant_values is not None:
        raise ValueError(f"pad: `constant_values` needs mode='constant', "
                         f"got mode={mode!r}.")
    return jnp.pad(x, pad_width, mode=mode)


def flip(x, axis=None):
    return jnp.flip(_t(x), axis=tuple(axis) if isinstance(
        axis, (list, tuple)) else axis)


def slice(inputs, start_indices, shape):
    # `dynamic_slice` takes traced start indices too (sizes stay static).
    return jax.lax.dynamic_slice(_t(inputs), tuple(start_indices),
                                 tuple(int(d) for d in shape))


def tril(x, k=0):
    return jnp.tril(_t(x), k)


def triu(x, k=0):
    return jnp.triu(_t(x), k)


def one_hot(x, num_classes, axis=-1, dtype=None):
    return jax.nn.one_hot(_t(x), num_classes, dtype=to_jax_dtype(dtype),
                          axis=axis)


def stop_gradient(variable):
    return jax.lax.stop_gradient(_t(variable))


def _pair(a, b):
    """Two operands with the torch backend's dtype rules.

    Python numbers stay weakly typed (they take the other operand's dtype),
    except a Python float next to an int or bool array, which becomes
    floatx (JAX alone would make it float64). An int or bool array next to
    a float array takes the float's dtype (JAX would widen int64 + float32
    to float64).
    """
    sa = isinstance(a, (int, float, bool))
    sb = isinstance(b, (int, float, bool))
    if sa and sb:
        a, sa = convert_to_tensor(a), False
    a = a if sa else _t(a)
    b = b if sb else _t(b)
    if sa:
        a = _scalar(a, b.dtype)
    elif sb:
        b = _scalar(b, a.dtype)
    if not hasattr(a, "dtype") or not hasattr(b, "dtype"):
        return a, b  # a weakly typed Python number
    fa, fb = _is_float_dtype(a.dtype), _is_float_dtype(b.dtype)
    if fa and not fb:
        b = b.astype(a.dtype)
    elif fb and not fa:
        a = a.astype(b.dtype)
    return a, b


def _scalar(value, other_dtype):
    if isinstance(value, float) and not (
            _is_float_dtype(other_dtype) or
            jnp.issubdtype(other_dtype, jnp.complexfloating)):
        return jnp.asarray(value, to_jax_dtype(_settings.floatx()))
    return value


class Variable(_BaseVariable):
    """A JAX-backed variable. JAX arrays are immutable, so every write
    replaces `_value`; inside a `StatelessScope` (a jitted step) writes are
    recorded in the scope instead."""

    def __init__(self, *args, **kwargs):
        # Initial values are computed eagerly even when a variable is made
        # while tracing (a layer built inside `jax.jit` or `eval_shape`):
        # a variable must never hold a tracer past its trace.
        with jax.ensure_compile_time_eval():
            super().__init__(*args, **kwargs)

    def _convert(self, value):
        if isinstance(value, _BaseVariable):
            value = value.value
        if _is_foreign(value):
            value = _foreign_to_numpy(value)
        dt = to_jax_dtype(self._dtype)
        if isinstance(value, jax.Array):
            return value if value.dtype == dt else value.astype(dt)
        return jnp.asarray(value, dtype=dt, device=DEVICE)

    def _write(self, value):
        self._value = value

    def _write_add(self, value):
        self._value = (self._value + _t(value)).astype(self._value.dtype)

    def _write_sub(self, value):
        self._value = (self._value - _t(value)).astype(self._value.dtype)
