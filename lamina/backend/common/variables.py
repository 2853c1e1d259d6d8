"""The backend-independent part of `Variable`.

A `Variable` owns one backend array. Each backend subclasses it with four
hooks: `_convert` (any array-like to a backend array of this dtype),
`_write` (replace the stored value), `_write_add` and `_write_sub` (in-place
updates where the engine has them). Everything else is here.
"""

import numpy as np

from lamina.backend.common import scope as scope_lib
from lamina.backend.common.dtypes import standardize_dtype

_name_counts = {}


def _unique(name):
    count = _name_counts.get(name, 0)
    _name_counts[name] = count + 1
    return name if count == 0 else f"{name}_{count}"


class Variable:
    """A named, stateful array: a layer weight, an optimizer slot, a metric.

    Args:
        initializer: an array-like value, or a callable `(shape, dtype)`
            returning one (an initializer object).
        shape: required when `initializer` is callable.
        dtype: dtype string; default the configured float type.
        trainable: whether gradients are taken for it.
        name: a name; made unique if left out.
        aggregation: how replicas combine it ('mean', 'sum', 'none',
            'only_first_replica').
        autocast: whether it reads as the compute dtype inside a
            mixed-precision layer's call (an `AutocastScope`).
    """

    _autocast = True

    def __init__(self, initializer, shape=None, dtype=None, trainable=True,
                 name=None, aggregation="mean", autocast=True):
        self.name = name or _unique("variable")
        self._autocast = bool(autocast)
        self.path = self.name
        self.trainable = bool(trainable)
        self.aggregation = aggregation
        self.regularizer = None
        self.constraint = None
        if callable(initializer):
            if shape is None:
                raise ValueError(f"Variable '{self.name}': a callable "
                                 "initializer needs `shape`.")
            self._dtype = standardize_dtype(dtype)
            value = initializer(tuple(shape), dtype=self._dtype)
        else:
            value = initializer
            if dtype is None and hasattr(value, "dtype"):
                dtype = value.dtype
            self._dtype = standardize_dtype(dtype)
        self._value = self._convert(value)
        self._shape = tuple(int(d) for d in self._value.shape)
        if shape is not None and tuple(shape) != self._shape:
            raise ValueError(f"Variable '{self.name}': initial value has "
                             f"shape {self._shape}, expected {tuple(shape)}.")

    # -- hooks each backend provides -------------------------------------
    def _convert(self, value):
        raise NotImplementedError  # abstract: each backend subclass defines

    def _write(self, value):
        raise NotImplementedError

    def _write_add(self, value):
        self._write(self._value + value)

    def _write_sub(self, value):
        self._write(self._value - value)

    # -- reading -----------------------------------------------------------
    @property
    def value(self):
        if scope_lib._stack:  # rare path: a stateless or autocast scope
            return scope_lib.read(self)
        return self._value

    @property
    def autocast(self):
        """Whether the variable reads as the compute dtype in a
        mixed-precision layer's call."""
        return self._autocast

    @property
    def shape(self):
        return self._shape

    @property
    def dtype(self):
        return self._dtype

    @property
    def ndim(self):
        return len(self._shape)

    def numpy(self):
        from lamina.backend import current
        # A copy: the stored array is updated in place by optimizers.
        return np.array(current().convert_to_numpy(self.value))

    def __array__(self, dtype=None, copy=None):
        out = np.asarray(self.numpy())
        return out.astype(dtype) if dtype is not None else out

    # -- writing -----------------------------------------------------------
    def assign(self, value):
        value = self._convert(value)
        if tuple(value.shape) != self._shape:
            raise ValueError(f"Variable '{self.path}' has shape "
                             f"{self._shape}; cannot assign a value of "
                             f"shape {tuple(value.shape)}.")
        scope = scope_lib.writer() if scope_lib._stack else None
        if scope is not None:
            scope.assign(self, value)
        else:
            self._write(value)
        return self

    # Inside a scope, the update is computed from the stored dtype's value
    # (never the autocast one) so that no precision is lost.
    def assign_add(self, value):
        scope = scope_lib.writer() if scope_lib._stack else None
        if scope is not None:
            scope.assign(self, scope_lib.read(self, autocast=False) + value)
        else:
            self._write_add(value)
        return self

    def assign_sub(self, value):
        scope = scope_lib.writer() if scope_lib._stack else None
        if scope is not None:
            scope.assign(self, scope_lib.read(self, autocast=False) - value)
        else:
            self._write_sub(value)
        return self

    def __repr__(self):
        return (f"<Variable path={self.path}, shape={self._shape}, "
                f"dtype={self._dtype}>")

    # -- arithmetic: a variable reads as its value -----------------------
    def __add__(self, o): return self.value + _unwrap(o)
    def __radd__(self, o): return _unwrap(o) + self.value
    def __sub__(self, o): return self.value - _unwrap(o)
    def __rsub__(self, o): return _unwrap(o) - self.value
    def __mul__(self, o): return self.value * _unwrap(o)
    def __rmul__(self, o): return _unwrap(o) * self.value
    def __truediv__(self, o): return self.value / _unwrap(o)
    def __rtruediv__(self, o): return _unwrap(o) / self.value
    def __matmul__(self, o): return self.value @ _unwrap(o)
    def __rmatmul__(self, o): return _unwrap(o) @ self.value
    def __pow__(self, o): return self.value ** _unwrap(o)
    def __rpow__(self, o): return _unwrap(o) ** self.value
    def __neg__(self): return -self.value
    def __abs__(self): return abs(self.value)
    def __getitem__(self, idx): return self.value[idx]
    def __lt__(self, o): return self.value < _unwrap(o)
    def __le__(self, o): return self.value <= _unwrap(o)
    def __gt__(self, o): return self.value > _unwrap(o)
    def __ge__(self, o): return self.value >= _unwrap(o)
    __hash__ = object.__hash__


def _unwrap(x):
    return x.value if isinstance(x, Variable) else x
