"""Stateless scope: run stateful code over explicit values.

Inside a `StatelessScope`, a `Variable` reads its value from the scope's
mapping instead of its own storage, and `assign` records the new value in
the scope instead of writing it. This is how a training step becomes a pure
function of (trainable, non-trainable, optimizer, metric) values on JAX, and
how `Layer.stateless_call` works on every backend.
"""

_stack = []


class StatelessScope:
    """Maps variables to values for the code run inside it.

    Args:
        state: iterable of `(variable, value)` pairs to read instead of the
            variables' own values. Variables not listed read through to the
            enclosing scope, or to their own storage.
    """

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


def current_scope():
    return _stack[-1] if _stack else None


def in_stateless_scope():
    return bool(_stack)
