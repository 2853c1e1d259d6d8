"""Scopes that change how variables are read and written.

Inside a `StatelessScope`, a `Variable` reads its value from the scope's
mapping instead of its own storage, and `assign` records the new value in
the scope instead of writing it. This is how a training step becomes a pure
function of (trainable, non-trainable, optimizer, metric) values on JAX, and
how `Layer.stateless_call` works on every backend.

Inside an `AutocastScope`, float variables read as the scope's dtype (a
mixed-precision layer's compute dtype) while they are stored, and written,
in their own dtype. Both kinds share one stack, so that a variable read
outside every scope costs a single check (`if _stack`).
"""

from lamina.backend.common.dtypes import FLOAT_TYPES

_stack = []
# The dtype float variables read as (the innermost `AutocastScope`'s), or
# None: as stored.
_autocast = None


class StatelessScope:
    """Maps variables to values for the code run inside it.

    Args:
        state: iterable of `(variable, value)` pairs to read instead of the
            variables' own values. Variables not listed read through to the
            enclosing scope, or to their own storage.
    """

    autocasts = False

    def __init__(self, state=()):
        self._values = {}
        self._variables = {}
        self.assigned = {}
        for variable, value in state:
            self._values[id(variable)] = value
            self._variables[id(variable)] = variable
        self.losses = []

    def get(self, variable):
        return self._values.get(id(variable))

    def assign(self, variable, value):
        key = id(variable)
        self._values[key] = value
        self._variables[key] = variable
        self.assigned[key] = variable

    def __enter__(self):
        _stack.append(self)
        return self

    def __exit__(self, *exc):
        _stack.pop()
        return False


class AutocastScope:
    """Float variables read as `dtype` inside it (None: as stored).

    Only reads change: a variable keeps its dtype, `assign` writes in it,
    and gradients flow back through the cast to the stored value. A
    variable created with `autocast=False` is never cast.

    Args:
        dtype: a float dtype name, or None to switch casting off inside an
            enclosing scope.

    Example:

    >>> from lamina.ops._bind import B
    >>> v = B.Variable([1.0, 2.0], dtype="float32")
    >>> with AutocastScope("float16"):
    ...     B.dtype(v.value)
    'float16'
    >>> B.dtype(v.value)
    'float32'
    """

    autocasts = True

    def __init__(self, dtype):
        if dtype is not None and dtype not in FLOAT_TYPES:
            raise ValueError(f"AutocastScope: `dtype` must be None or one of "
                             f"{', '.join(FLOAT_TYPES)}; got {dtype!r}.")
        self.dtype = dtype
        self._saved = None

    def __enter__(self):
        global _autocast
        self._saved = _autocast
        _stack.append(self)
        _autocast = self.dtype
        return self

    def __exit__(self, *exc):
        global _autocast
        _stack.pop()
        _autocast = self._saved
        return False


def read(variable, autocast=True):
    """`variable`'s value as seen inside the current scopes.

    The innermost stateless scope that maps the variable gives the value
    (else the variable's storage); with `autocast`, a float value is then
    cast to the innermost `AutocastScope`'s dtype.
    """
    value = None
    for s in reversed(_stack):
        if not s.autocasts:
            value = s.get(variable)
            if value is not None:
                break
    if value is None:
        value = variable._value
    dtype = _autocast
    if autocast and dtype is not None and variable._autocast and \
            variable._dtype != dtype and variable._dtype in FLOAT_TYPES:
        value = _backend().cast(value, dtype)
    return value


def _backend():
    from lamina.backend import current
    return current()


def writer():
    """The innermost stateless scope (where assignments go), or None."""
    for s in reversed(_stack):
        if not s.autocasts:
            return s
    return None


def current_scope():
    """The innermost stateless scope, or None."""
    return writer()


def in_stateless_scope():
    return writer() is not None


def autocast_dtype():
    """The dtype float variables currently read as, or None."""
    return _autocast
