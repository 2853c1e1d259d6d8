"""Torch backend: device choice, conversion, creation and shape primitives."""

import numpy as np
import torch

from lamina import backend as _settings
from lamina.backend.common.dtypes import standardize_dtype
from lamina.backend.common.variables import Variable as _BaseVariable

name = "torch"
supports_training = True
# compile(jit_compile="auto") runs eagerly: torch.compile's start-up cost
# is only worth paying when asked for.
jit_by_default = False

_DTYPES = {
    "float16": torch.float16, "bfloat16": torch.bfloat16,
    "float32": torch.float32, "float64": torch.float64,
    "int8": torch.int8, "int16": torch.int16, "int32": torch.int32,
    "int64": torch.int64, "uint8": torch.uint8, "uint16": torch.uint16,
    "uint32": torch.uint32, "uint64": torch.uint64, "bool": torch.bool,
    "complex64": torch.complex64, "complex128": torch.complex128,
}
_NAMES = {v: k for k, v in _DTYPES.items()}


def _choose_device():
    wanted = _settings.device_setting()
    if wanted:
        try:
            device = torch.device(wanted)
        except RuntimeError:
            raise ValueError(f"lamina: device {wanted!r} (from the config "
                             "or LAMINA_DEVICE) is not a torch device; use "
                             "'cpu', 'cuda' or 'cuda:N'.") from None
        if device.type == "cuda" and not torch.cuda.is_available():
            raise ValueError(f"lamina: device {wanted!r} was asked for, but "
                             "torch sees no CUDA GPU.")
        return device
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


DEVICE = _choose_device()


def get_device():
    """The torch device lamina puts new arrays on."""
    return DEVICE


def to_torch_dtype(dtype):
    if isinstance(dtype, torch.dtype):
        return dtype
    return _DTYPES[standardize_dtype(dtype)]


def dtype_name(dtype):
    return _NAMES[dtype]


def convert_to_tensor(x, dtype=None, sparse=None):
    if isinstance(x, _BaseVariable):
        x = x.value
    if isinstance(x, torch.Tensor):
        if dtype is not None:
            dt = to_torch_dtype(dtype)
            if x.dtype != dt:
                x = x.to(dt)
        if x.device != DEVICE and DEVICE.type != "meta":
            x = x.to(DEVICE)
        return x
    if dtype is not None:
        dt = to_torch_dtype(dtype)
    elif isinstance(x, float) or (isinstance(x, (list, tuple)) and
                                  _has_float(x)):
        dt = to_torch_dtype(_settings.floatx())
    elif isinstance(x, bool):
        dt = torch.bool
    elif isinstance(x, int):
        dt = torch.int32 if -2**31 <= x < 2**31 else torch.int64
    else:
        dt = None
    if isinstance(x, (list, tuple)):
        x = np.asarray([convert_to_numpy(v) if is_tensor(v) else v
                        for v in x])
    if isinstance(x, np.ndarray) and not x.flags.writeable:
        x = x.copy()  # torch.as_tensor warns on read-only arrays
    return torch.as_tensor(x, dtype=dt, device=DEVICE)


def _has_float(values):
    for v in values:
        if isinstance(v, float) or (isinstance(v, (list, tuple))
                                    and _has_float(v)):
            return True
    return False


def _t(x):
    """Internal fast conversion: tensors pass through untouched."""
    if type(x) is torch.Tensor or isinstance(x, torch.Tensor):
        return x
    return convert_to_tensor(x)


def convert_to_numpy(x):
    if isinstance(x, _BaseVariable):
        x = x.value
    if isinstance(x, torch.Tensor):
        x = x.detach()
        if x.dtype == torch.bfloat16:
            x = x.float()
        if x.device.type != "cpu":
            x = x.cpu()
        return x.numpy()
    return np.asarray(x)


def is_tensor(x):
    return isinstance(x, torch.Tensor)


def shape(x):
    return tuple(_t(x).shape)


def dtype(x):
    return _NAMES[_t(x).dtype]


def cast(x, dtype):
    x = _t(x)
    dtype = to_torch_dtype(dtype)
    return x if x.dtype == dtype else x.to(dtype)


def zeros(shape, dtype=None):
    return torch.zeros(tuple(shape), dtype=to_torch_dtype(dtype),
                       device=DEVICE)


def ones(shape, dtype=None):
    return torch.ones(tuple(shape), dtype=to_torch_dtype(dtype),
                      device=DEVICE)


def full(shape, fill_value, dtype=None):
    return torch.full(tuple(shape), fill_value, dtype=to_torch_dtype(dtype),
                      device=DEVICE)


def zeros_like(x, dtype=None):
    x = _t(x)
    return torch.zeros_like(x, dtype=to_torch_dtype(dtype) if dtype else None)


def ones_like(x, dtype=None):
    x = _t(x)
    return torch.ones_like(x, dtype=to_torch_dtype(dtype) if dtype else None)


def full_like(x, fill_value, dtype=None):
    x = _t(x)
    return torch.full_like(x, fill_value,
                           dtype=to_torch_dtype(dtype) if dtype else None)


def arange(start, stop=None, step=1, dtype=None):
    if stop is None:
        start, stop = 0, start
    if dtype is None:
        floats = any(isinstance(v, float) for v in (start, stop, step))
        dtype = _settings.floatx() if floats else "int32"
    return torch.arange(start, stop, step, dtype=to_torch_dtype(dtype),
                        device=DEVICE)


def linspace(start, stop, num=50, endpoint=True, dtype=None):
    if not endpoint:
        stop = start + (stop - start) * (num - 1) / num
    return torch.linspace(start, stop, num, dtype=to_torch_dtype(dtype),
                          device=DEVICE)


def eye(N, M=None, k=0, dtype=None):
    M = N if M is None else M
    out = torch.zeros((N, M), dtype=to_torch_dtype(dtype), device=DEVICE)
    return out.fill_diagonal_(1) if k == 0 else torch.diagflat(
        torch.ones(min(N, M - k) if k >= 0 else min(N + k, M),
                   dtype=out.dtype, device=DEVICE), k)[:N, :M]


def reshape(x, newshape):
    return torch.reshape(_t(x), tuple(-1 if d is None else d
                                      for d in newshape))


def transpose(x, axes=None):
    x = _t(x)
    if axes is None:
        return x.permute(*reversed(range(x.ndim)))
    return x.permute(*axes)


def swapaxes(x, axis1, axis2):
    return torch.transpose(_t(x), axis1, axis2)


def moveaxis(x, source, destination):
    return torch.movedim(_t(x), source, destination)


def expand_dims(x, axis):
    x = _t(x)
    if isinstance(axis, (list, tuple)):
        for a in sorted(a if a >= 0 else a + x.ndim + len(axis)
                        for a in axis):
            x = x.unsqueeze(a)
        return x
    return x.unsqueeze(axis)


def squeeze(x, axis=None):
    x = _t(x)
    if axis is None:
        return x.squeeze()
    return x.squeeze(axis if isinstance(axis, int) else tuple(axis))


def concatenate(xs, axis=0):
    return torch.cat([_t(x) for x in xs], dim=axis)


def stack(x, axis=0):
    return torch.stack([_t(v) for v in x], dim=axis)


def split(x, indices_or_sections, axis=0):
    x = _t(x)
    if isinstance(indices_or_sections, (int, np.integer)):
        indices_or_sections = int(indices_or_sections)
        size = x.shape[axis]
        if size % indices_or_sections:
            raise ValueError(f"split: axis {axis} of size {size} does not "
                             f"divide into {indices_or_sections} sections.")
        return list(torch.split(x, size // indices_or_sections, dim=axis))
    bounds = [0, *indices_or_sections, x.shape[axis]]
    return [x.narrow(axis, a, b - a) for a, b in zip(bounds, bounds[1:])]


def tile(x, repeats):
    return torch.tile(_t(x), tuple(repeats) if not isinstance(repeats, int)
                      else (repeats,))


def repeat(x, repeats, axis=None):
    x = _t(x)
    if axis is None:
        x = x.reshape(-1)
        axis = 0
    return torch.repeat_interleave(x, repeats, dim=axis)


def broadcast_to(x, shape):
    return torch.broadcast_to(_t(x), tuple(shape))


def take(x, indices, axis=None):
    x = _t(x)
    indices = _t(indices)
    if axis == 0 and indices.ndim == 1 and indices.dtype == torch.int64:
        return torch.index_select(x, 0, indices)  # batch gathers
    indices = indices.long()
    if axis is None:
        return x.reshape(-1)[indices]
    axis = axis % x.ndim
    out = torch.index_select(x, axis, indices.reshape(-1))
    return out.reshape(x.shape[:axis] + indices.shape + x.shape[axis + 1:])


def take_along_axis(x, indices, axis=None):
    x = _t(x)
    if axis is None:
        return x.reshape(-1)[_t(indices).long().reshape(-1)]
    return torch.take_along_dim(x, _t(indices).long(), dim=axis)


def where(condition, x1=None, x2=None):
    condition = _t(condition)
    if x1 is None and x2 is None:
        return tuple(torch.nonzero(condition, as_tuple=True))
    x1, x2 = _pair(x1, x2)
    return torch.where(condition.bool(), x1, x2)


_PAD_MODES = {"reflect": "reflect", "edge": "replicate",
              "wrap": "circular"}


def pad(x, pad_width, mode="constant", constant_values=None):
    x = _t(x)
    if isinstance(pad_width, int):
        pad_width = [(pad_width, pad_width)] * x.ndim
    pairs = [tuple(p) for p in pad_width]
    if mode == "constant":
        flat = []
        for before, after in reversed(pairs):
            flat += [before, after]
        return torch.nn.functional.pad(x, flat, mode="constant",
                                       value=constant_values or 0)
    if mode not in _PAD_MODES:
        raise ValueError(f"pad: mode must be 'constant' or one of "
                         f"{sorted(_PAD_MODES)}, got {mode!r}.")
    # torch pads these modes on the trailing 1-3 axes of a batched input:
    # pad only the axes that need it, moved to the end.
    axes = [i for i, p in enumerate(pairs) if p != (0, 0)]
    if not axes:
        return x
    if len(axes) > 3:
        raise ValueError(f"pad: mode {mode!r} pads at most 3 axes on the "
                         f"torch backend, got {len(axes)}.")
    rest = [i for i in range(x.ndim) if i not in axes]
    moved = x.permute(*rest, *axes)
    lead = moved.shape[:len(rest)]
    moved = moved.reshape((1, -1) + tuple(moved.shape[len(rest):]))
    flat = []
    for axis in reversed(axes):
        flat += list(pairs[axis])
    out = torch.nn.functional.pad(moved, flat, mode=_PAD_MODES[mode])
    out = out.reshape(tuple(lead) + tuple(out.shape[2:]))
    inverse = [0] * x.ndim
    for position, axis in enumerate(rest + axes):
        inverse[axis] = position
    return out.permute(*inverse)


def flip(x, axis=None):
    x = _t(x)
    dims = tuple(range(x.ndim)) if axis is None else (
        (axis,) if isinstance(axis, int) else tuple(axis))
    return torch.flip(x, dims)


def slice(inputs, start_indices, shape):
    x = _t(inputs)
    for axis, (start, size) in enumerate(zip(start_indices, shape)):
        x = x.narrow(axis, int(start), int(size))
    return x


def tril(x, k=0):
    return torch.tril(_t(x), k)


def triu(x, k=0):
    return torch.triu(_t(x), k)


def one_hot(x, num_classes, axis=-1, dtype=None):
    out = torch.nn.functional.one_hot(_t(x).long(), num_classes)
    out = out.to(to_torch_dtype(dtype))
    if axis != -1:
        out = torch.movedim(out, -1, axis)
    return out


def stop_gradient(variable):
    return _t(variable).detach()


def _pair(a, b):
    """Two operands as tensors; a Python number takes the other's dtype."""
    ta = isinstance(a, torch.Tensor)
    tb = isinstance(b, torch.Tensor)
    if ta and tb:
        return a, b
    if not ta and not tb and isinstance(a, (int, float, bool)) and \
            isinstance(b, (int, float, bool)):
        a, ta = convert_to_tensor(a), True
    if not ta and not isinstance(a, (int, float, bool)):
        a = convert_to_tensor(a)
        ta = True
    if not tb and not isinstance(b, (int, float, bool)):
        b = convert_to_tensor(b)
        tb = True
    if not ta:
        a = torch.as_tensor(a, dtype=b.dtype if not (
            isinstance(a, float) and not b.is_floating_point()) else None,
            device=b.device)
    if not tb:
        b = torch.as_tensor(b, dtype=a.dtype if not (
            isinstance(b, float) and not a.is_floating_point()) else None,
            device=a.device)
    return a, b


class Variable(_BaseVariable):
    """A torch-backed variable: the value is a leaf tensor on `DEVICE`;
    trainable ones have `requires_grad` so autograd tracks them."""

    def _convert(self, value):
        if isinstance(value, _BaseVariable):
            value = value.value
        if isinstance(value, torch.Tensor):
            out = value.detach().to(device=DEVICE,
                                    dtype=to_torch_dtype(self._dtype))
        else:
            out = torch.as_tensor(np.asarray(value),
                                  dtype=to_torch_dtype(self._dtype),
                                  device=DEVICE)
        return out

    def _write(self, value):
        with torch.no_grad():
            self._value.copy_(value)

    def _operand(self, value):
        if isinstance(value, (torch.Tensor, int, float)):
            return value
        return self._convert(value)

    def _write_add(self, value):
        value = self._operand(value)
        if torch.is_grad_enabled():
            with torch.no_grad():
                self._value.add_(value)
        else:
            self._value.add_(value)

    def _write_sub(self, value):
        value = self._operand(value)
        if torch.is_grad_enabled():
            with torch.no_grad():
                self._value.sub_(value)
        else:
            self._value.sub_(value)

    def _set_trainable_flag(self):
        want = self.trainable and self._value.is_floating_point()
        if self._value.requires_grad != want:
            self._value.requires_grad_(want)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_trainable_flag()

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        self._trainable = bool(value)
        if hasattr(self, "_value"):
            self._set_trainable_flag()
