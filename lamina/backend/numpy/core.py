"""NumPy backend: conversion, creation and shape primitives.

This is the reference backend: the plainest code that says what each
primitive of `lamina.backend.interface` means. Arrays are `np.ndarray`;
dtype rules follow the torch backend (a Python float becomes `floatx`, a
Python int `int32`, an int operand meeting a float one takes the float's
dtype).
"""

import numpy as np

from lamina import backend as _settings
from lamina.backend.common.dtypes import standardize_dtype
from lamina.backend.common.variables import Variable as _BaseVariable

name = "numpy"
supports_training = False
jit_by_default = False  # nothing to compile


def get_device():
    """NumPy arrays always live in host memory."""
    return "cpu"


def to_numpy_dtype(dtype):
    """A lamina dtype (None means floatx) as a `np.dtype`."""
    if isinstance(dtype, np.dtype):
        return dtype
    dtype = standardize_dtype(dtype)
    if dtype == "bfloat16":
        try:
            import ml_dtypes
        except ModuleNotFoundError:
            raise ValueError("dtype 'bfloat16' on the numpy backend needs "
                             "the ml_dtypes package: pip install "
                             "ml_dtypes") from None
        return np.dtype(ml_dtypes.bfloat16)
    return np.dtype(dtype)


def _is_float_dtype(dt):
    return dt.kind == "f" or dt.name == "bfloat16"


def _has_float(values):
    for v in values:
        if isinstance(v, float) or (isinstance(v, (list, tuple))
                                    and _has_float(v)):
            return True
    return False


def convert_to_tensor(x, dtype=None, sparse=None):
    if isinstance(x, _BaseVariable):
        x = x.value
    if dtype is not None:
        dt = to_numpy_dtype(dtype)
    elif isinstance(x, np.generic):  # a NumPy scalar keeps its dtype
        dt = None
    elif isinstance(x, float) or (isinstance(x, (list, tuple)) and
                                  _has_float(x)):
        dt = to_numpy_dtype(_settings.floatx())
    elif isinstance(x, bool):
        dt = np.dtype("bool")
    elif isinstance(x, int):
        dt = np.dtype("int32" if -2**31 <= x < 2**31 else "int64")
    else:
        dt = None
    if isinstance(x, (list, tuple)):
        x = [convert_to_numpy(v) if _is_foreign(v) else v
             for v in map(_unwrap, x)]
    elif _is_foreign(x):
        x = convert_to_numpy(x)
    return np.asarray(x, dtype=dt)


def _is_foreign(x):
    """An engine tensor from another library (e.g. torch, jax)."""
    return not isinstance(x, (np.ndarray, np.generic, list, tuple, int,
                              float, bool, complex)) and hasattr(x, "shape")


def _unwrap(x):
    return x.value if isinstance(x, _BaseVariable) else x


def _t(x):
    """Internal fast conversion: arrays pass through untouched."""
    if isinstance(x, (np.ndarray, np.generic)):
        return x
    return convert_to_tensor(x)


def convert_to_numpy(x):
    if isinstance(x, _BaseVariable):
        x = x.value
    if isinstance(x, np.ndarray):
        return x
    if hasattr(x, "detach"):  # a torch tensor given to this backend
        x = x.detach().cpu()
        if str(x.dtype) == "torch.bfloat16":
            x = x.float()
        return x.numpy()
    return np.asarray(x)


def is_tensor(x):
    return isinstance(x, (np.ndarray, np.generic))


def shape(x):
    return tuple(int(d) for d in np.shape(_t(x)))


def dtype(x):
    return standardize_dtype(_t(x).dtype)


def cast(x, dtype):
    return np.asarray(_t(x)).astype(to_numpy_dtype(dtype), copy=False)


def zeros(shape, dtype=None):
    return np.zeros(_shape(shape), dtype=to_numpy_dtype(dtype))


def ones(shape, dtype=None):
    return np.ones(_shape(shape), dtype=to_numpy_dtype(dtype))


def full(shape, fill_value, dtype=None):
    return np.full(_shape(shape), _t(fill_value),
                   dtype=to_numpy_dtype(dtype))


def _shape(shape):
    return (int(shape),) if np.ndim(shape) == 0 else tuple(
        int(d) for d in shape)


def zeros_like(x, dtype=None):
    return np.zeros_like(_t(x), dtype=to_numpy_dtype(dtype) if dtype
                         else None)


def ones_like(x, dtype=None):
    return np.ones_like(_t(x), dtype=to_numpy_dtype(dtype) if dtype
                        else None)


def full_like(x, fill_value, dtype=None):
    return np.full_like(_t(x), _t(fill_value),
                        dtype=to_numpy_dtype(dtype) if dtype else None)


def arange(start, stop=None, step=1, dtype=None):
    if stop is None:
        start, stop = 0, start
    if dtype is None:
        floats = any(isinstance(v, float) for v in (start, stop, step))
        dtype = _settings.floatx() if floats else "int32"
    return np.arange(start, stop, step, dtype=to_numpy_dtype(dtype))


def linspace(start, stop, num=50, endpoint=True, dtype=None):
    return np.linspace(start, stop, num, endpoint=endpoint,
                       dtype=to_numpy_dtype(dtype))


def eye(N, M=None, k=0, dtype=None):
    return np.eye(N, M, k=k, dtype=to_numpy_dtype(dtype))


def reshape(x, newshape):
    if np.ndim(newshape) == 0:
        newshape = (newshape,)
    return np.reshape(_t(x), tuple(-1 if d is None else int(d)
                                   for d in newshape))


def transpose(x, axes=None):
    return np.transpose(_t(x), axes)


def swapaxes(x, axis1, axis2):
    return np.swapaxes(_t(x), axis1, axis2)


def moveaxis(x, source, destination):
    return np.moveaxis(_t(x), source, destination)


def expand_dims(x, axis):
    return np.expand_dims(_t(x), tuple(axis) if isinstance(
        axis, (list, tuple)) else axis)


def squeeze(x, axis=None):
    return np.squeeze(_t(x), tuple(axis) if isinstance(
        axis, (list, tuple)) else axis)


def concatenate(xs, axis=0):
    return np.concatenate(_common([_t(x) for x in xs]), axis=axis)


def stack(x, axis=0):
    return np.stack(_common([_t(v) for v in x]), axis=axis)


def _common(arrays):
    """Arrays cast to one dtype; ints meeting floats take the float type."""
    floats = [a.dtype for a in arrays if _is_float_dtype(a.dtype)]
    if floats and len(floats) < len(arrays):
        target = np.result_type(*floats)
        return [a.astype(target) for a in arrays]
    return arrays


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
    return list(np.split(x, indices_or_sections, axis=axis))


def tile(x, repeats):
    return np.tile(_t(x), repeats)


def repeat(x, repeats, axis=None):
    if not isinstance(repeats, int):
        repeats = _t(repeats)
    return np.repeat(_t(x), repeats, axis=axis)


def broadcast_to(x, shape):
    return np.broadcast_to(_t(x), tuple(shape))


def take(x, indices, axis=None):
    return np.take(_t(x), _t(indices).astype(np.int64), axis=axis)


def take_along_axis(x, indices, axis=None):
    return np.take_along_axis(_t(x), _t(indices).astype(np.int64),
                              axis=axis)


def where(condition, x1=None, x2=None):
    condition = _t(condition)
    if x1 is None and x2 is None:
        return tuple(np.nonzero(condition))
    if x1 is None or x2 is None:
        raise ValueError("where: give both `x1` and `x2`, or neither (for "
                         "the indices of nonzero elements).")
    x1, x2 = _pair(x1, x2)
    return np.where(condition.astype(bool), x1, x2)


_PAD_MODES = {"replicate": "edge", "circular": "wrap"}


def pad(x, pad_width, mode="constant", constant_values=None):
    x = _t(x)
    mode = _PAD_MODES.get(mode, mode)
    if mode == "constant":
        return np.pad(x, pad_width, mode="constant",
                      constant_values=constant_values or 0)
    if constant_values is not None:
        raise ValueError(f"pad: `constant_values` needs mode='constant', "
                         f"got mode={mode!r}.")
    return np.pad(x, pad_width, mode=mode)


def flip(x, axis=None):
    return np.flip(_t(x), axis=tuple(axis) if isinstance(
        axis, (list, tuple)) else axis)


def slice(inputs, start_indices, shape):
    x = _t(inputs)
    index = tuple(np.s_[int(s):int(s) + int(n)]
                  for s, n in zip(start_indices, shape))
    return x[index]


def tril(x, k=0):
    return np.tril(_t(x), k)


def triu(x, k=0):
    return np.triu(_t(x), k)


def one_hot(x, num_classes, axis=-1, dtype=None):
    labels = _t(x)
    out = labels[..., None] == np.arange(num_classes)
    out = out.astype(to_numpy_dtype(dtype))
    if axis != -1:
        out = np.moveaxis(out, -1, axis)
    return out


def stop_gradient(variable):
    return _t(variable)  # nothing to stop: this backend has no gradients


def _pair(a, b):
    """Two operands as arrays, with the torch backend's dtype rules.

    A Python number takes the other operand's dtype (a Python float next
    to an int array becomes floatx); an int or bool array next to a float
    array takes the float's dtype (NumPy alone would widen int32 + float32
    to float64).
    """
    sa = _is_number(a)
    sb = _is_number(b)
    if sa and sb:
        a = convert_to_tensor(a)
        sa = False
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


def _is_number(x):
    """A Python number (NumPy scalars, even np.float64, are arrays here)."""
    return isinstance(x, (int, float, bool)) and not isinstance(x,
                                                                np.generic)


def _scalar(value, other_dtype):
    if isinstance(value, float) and not (_is_float_dtype(other_dtype) or
                                         other_dtype.kind == "c"):
        return np.asarray(value, to_numpy_dtype(_settings.floatx()))
    if isinstance(value, bool) or other_dtype == np.bool_:
        return value  # bool & int follow NumPy (bool + 1 -> int64)
    return np.asarray(value, other_dtype)


class Variable(_BaseVariable):
    """A NumPy-backed variable. Writes make a new array, so a value read
    before an update never changes under the reader."""

    def _convert(self, value):
        if isinstance(value, _BaseVariable):
            value = value.value
        if _is_foreign(value):
            value = convert_to_numpy(value)
        return np.array(value, dtype=to_numpy_dtype(self._dtype))

    def _write(self, value):
        self._value = value

    def _write_add(self, value):
        self._value = (self._value + _t(value)).astype(self._value.dtype)

    def _write_sub(self, value):
        self._value = (self._value - _t(value)).astype(self._value.dtype)
