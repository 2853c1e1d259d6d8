"""Weight constraints: projections applied to a weight after each update.

Each constraint is called on the weight's value and returns the projected
value; norms are taken along `axis` (for a `Dense` kernel `(in, out)`,
axis 0 constrains each output unit's incoming weight vector; for a conv
kernel `(rows, cols, in, out)` use `axis=[0, 1, 2]`).
"""

import math

from lamina import backend, ops


def _check_axis(axis, owner):
    if isinstance(axis, int) and not isinstance(axis, bool):
        return axis
    if isinstance(axis, (list, tuple)) and all(
            isinstance(a, int) and not isinstance(a, bool) for a in axis):
        return list(axis)
    raise ValueError(f"{owner}: `axis` must be an int or a list of ints, "
                     f"got {axis!r}.")


def _check_number(value, name, owner):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (
            math.isnan(value)):
        raise ValueError(f"{owner}: `{name}` must be a number, got "
                         f"{value!r}.")
    return value


def _norms(w, axis):
    return ops.sqrt(ops.sum(ops.square(w), axis=axis, keepdims=True))


class Constraint:
    """Base class: `__call__(w)` returns the projected weight.

    The base constraint leaves the weight unchanged. Subclasses implement
    `__call__` and, when they take arguments, `get_config`.
    """

    def __call__(self, w):
        return w

    def get_config(self):
        """The constructor arguments, as a JSON-friendly dict."""
        return {}

    @classmethod
    def from_config(cls, config):
        """A constraint built from `get_config()`'s output."""
        return cls(**config)

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


class MaxNorm(Constraint):
    """Scales each weight vector down to norm at most `max_value`.

    Args:
        max_value: the largest allowed norm.
        axis: the axis (or axes) the norm is taken over.

    Reference: Srivastava et al., 2014, "Dropout" (JMLR).

    Example:

    >>> from lamina import ops
    >>> w = MaxNorm(1.0)([[3.0, 0.1], [4.0, 0.0]])
    >>> [round(v, 3) for v in ops.convert_to_numpy(w)[:, 0].tolist()]
    [0.6, 0.8]
    """

    def __init__(self, max_value=2, axis=0):
        self.max_value = _check_number(max_value, "max_value", "MaxNorm")
        self.axis = _check_axis(axis, "MaxNorm")

    def __call__(self, w):
        w = ops.convert_to_tensor(w)
        norms = _norms(w, self.axis)
        desired = ops.clip(norms, 0.0, self.max_value)
        return ops.multiply(w, ops.divide(
            desired, ops.add(norms, backend.epsilon())))

    def get_config(self):
        return {"max_value": self.max_value, "axis": self.axis}


class NonNeg(Constraint):
    """Sets negative weights to zero."""

    def __call__(self, w):
        w = ops.convert_to_tensor(w)
        return ops.multiply(w, ops.cast(ops.greater_equal(w, 0.0),
                                        ops.dtype(w)))


class UnitNorm(Constraint):
    """Scales each weight vector to unit norm.

    Args:
        axis: the axis (or axes) the norm is taken over.
    """

    def __init__(self, axis=0):
        self.axis = _check_axis(axis, "UnitNorm")

    def __call__(self, w):
        w = ops.convert_to_tensor(w)
        return ops.divide(w, ops.add(_norms(w, self.axis),
                                     backend.epsilon()))

    def get_config(self):
        return {"axis": self.axis}


class MinMaxNorm(Constraint):
    """Moves each weight vector's norm into `[min_value, max_value]`.

    The new norm is `rate * clip(norm, min_value, max_value) +
    (1 - rate) * norm`: `rate=1` projects exactly, smaller rates move part
    of the way each step.

    Args:
        min_value: the smallest allowed norm.
        max_value: the largest allowed norm.
        rate: how far to move toward the allowed range, in [0, 1].
        axis: the axis (or axes) the norm is taken over.
    """

    def __init__(self, min_value=0.0, max_value=1.0, rate=1.0, axis=0):
        self.min_value = _check_number(min_value, "min_value", "MinMaxNorm")
        self.max_value = _check_number(max_value, "max_value", "MinMaxNorm")
        if self.min_value > self.max_value:
            raise ValueError(
                f"MinMaxNorm: `min_value` ({min_value}) must not exceed "
                f"`max_value` ({max_value}).")
        self.rate = _check_number(rate, "rate", "MinMaxNorm")
        self.axis = _check_axis(axis, "MinMaxNorm")

    def __call__(self, w):
        w = ops.convert_to_tensor(w)
        norms = _norms(w, self.axis)
        desired = ops.add(
            ops.multiply(ops.clip(norms, self.min_value, self.max_value),
                         self.rate),
            ops.multiply(norms, 1.0 - self.rate))
        return ops.multiply(w, ops.divide(
            desired, ops.add(norms, backend.epsilon())))

    def get_config(self):
        return {"min_value": self.min_value, "max_value": self.max_value,
                "rate": self.rate, "axis": self.axis}


# Keras 2/3 snake_case aliases.
max_norm = MaxNorm
non_neg = NonNeg
unit_norm = UnitNorm
min_max_norm = MinMaxNorm

# Keras 1 spellings.
nonneg = NonNeg
unitnorm = UnitNorm


def maxnorm(max_value=2, axis=0, m=None):
    """A `MaxNorm` constraint (Keras 1 spelled `max_value` as `m`)."""
    return MaxNorm(max_value if m is None else m, axis=axis)
