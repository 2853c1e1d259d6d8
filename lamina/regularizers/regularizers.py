"""Weight penalties: L1, L2, L1L2 and OrthogonalRegularizer.

A regularizer is called on a weight (or a layer's output, as an activity
regularizer) and returns a scalar added to the loss. The penalties follow
Keras: `L2` is `l2 * sum(x ** 2)`, with no factor 1/2.
"""

import math

from lamina import ops


def _check_factor(value, name, owner):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (
            math.isnan(value) or math.isinf(value) or value < 0):
        raise ValueError(f"{owner}: `{name}` must be a non-negative finite "
                         f"number, got {value!r}.")
    return float(value)


class Regularizer:
    """Base class: `__call__(x)` returns a scalar penalty.

    Subclasses implement `__call__` and `get_config`;
    `cls.from_config(obj.get_config())` rebuilds an equal object.
    """

    def __call__(self, x):
        return 0.0

    def get_config(self):
        """The constructor arguments, as a JSON-friendly dict."""
        raise NotImplementedError(
            f"{type(self).__name__} must implement `get_config()` to be "
            "saved.")

    @classmethod
    def from_config(cls, config):
        """A regularizer built from `get_config()`'s output."""
        return cls(**config)

    def __repr__(self):
        try:
            config = self.get_config()
        except NotImplementedError:
            config = {}
        args = ", ".join(f"{k}={v!r}" for k, v in config.items())
        return f"{type(self).__name__}({args})"


class L1(Regularizer):
    """`l1 * sum(|x|)`.

    Args:
        l1: the factor (None means 0.01).

    Example:

    >>> from lamina import ops
    >>> float(ops.convert_to_numpy(L1(0.1)([[-1.0, 2.0]])))
    0.30000001192092896
    """

    def __init__(self, l1=0.01):
        l1 = 0.01 if l1 is None else l1
        self.l1 = _check_factor(l1, "l1", "L1")

    def __call__(self, x):
        return ops.multiply(ops.sum(ops.abs(x)), self.l1)

    def get_config(self):
        return {"l1": self.l1}


class L2(Regularizer):
    """`l2 * sum(x ** 2)`.

    Args:
        l2: the factor (None means 0.01).
    """

    def __init__(self, l2=0.01):
        l2 = 0.01 if l2 is None else l2
        self.l2 = _check_factor(l2, "l2", "L2")

    def __call__(self, x):
        return ops.multiply(ops.sum(ops.square(x)), self.l2)

    def get_config(self):
        return {"l2": self.l2}


class L1L2(Regularizer):
    """`l1 * sum(|x|) + l2 * sum(x ** 2)`.

    Args:
        l1: the L1 factor (None means 0).
        l2: the L2 factor (None means 0).
    """

    def __init__(self, l1=0.0, l2=0.0):
        self.l1 = _check_factor(0.0 if l1 is None else l1, "l1", "L1L2")
        self.l2 = _check_factor(0.0 if l2 is None else l2, "l2", "L1L2")

    def __call__(self, x):
        if not self.l1:
            return ops.multiply(ops.sum(ops.square(x)), self.l2)
        penalty = ops.multiply(ops.sum(ops.abs(x)), self.l1)
        if self.l2:
            penalty = ops.add(penalty,
                              ops.multiply(ops.sum(ops.square(x)), self.l2))
        return penalty

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


class OrthogonalRegularizer(Regularizer):
    """Pushes the rows (or columns) of a 2-D weight toward orthogonality.

    With the rows (mode 'rows') or columns ('columns') L2-normalized, the
    penalty is `factor * mean(|cos|)` over the `n * (n - 1) / 2` pairs of
    distinct vectors, where `cos` is the pair's dot product (Keras writes
    it as `factor * 0.5 * sum(|off-diagonal of the Gram matrix|) / pairs`).

    Args:
        factor: the factor applied to the mean absolute cosine.
        mode: 'rows' or 'columns'.
    """

    def __init__(self, factor=0.01, mode="rows"):
        self.factor = _check_factor(factor, "factor",
                                    "OrthogonalRegularizer")
        if mode not in ("rows", "columns"):
            raise ValueError("OrthogonalRegularizer: `mode` must be 'rows' "
                             f"or 'columns', got {mode!r}.")
        self.mode = mode

    def __call__(self, x):
        x = ops.convert_to_tensor(x)
        if ops.ndim(x) != 2:
            raise ValueError(
                "OrthogonalRegularizer: expected a 2-D weight, got shape "
                f"{ops.shape(x)}.")
        if self.mode == "columns":
            x = ops.transpose(x)
        unit = ops.normalize(x, axis=1)
        cosines = ops.matmul(unit, ops.transpose(unit))
        n = ops.shape(cosines)[0]
        off_diagonal = ops.multiply(
            cosines, ops.subtract(1.0, ops.eye(n, dtype=ops.dtype(x))))
        pairs = n * (n - 1) / 2.0
        return ops.multiply(ops.sum(ops.abs(off_diagonal)),
                            self.factor * 0.5 / pairs)

    def get_config(self):
        return {"factor": self.factor, "mode": self.mode}


def l1(l1=0.01, l=None):
    """An `L1` regularizer (Keras 1 spelled the factor `l`)."""
    return L1(l1 if l is None else l)


def l2(l2=0.01, l=None):
    """An `L2` regularizer, e.g. `Dense(64, W_regularizer=l2(0.01))`
    (Keras 1 spelled the factor `l`)."""
    return L2(l2 if l is None else l)


def l1_l2(l1=0.01, l2=0.01):
    """An `L1L2` regularizer with Keras 2's defaults (0.01 each)."""
    return L1L2(l1=l1, l2=l2)


# Keras 1 spellings (`activity_*` were separate classes; the penalty on a
# layer's output is the same one).
l1l2 = l1_l2
activity_l1 = l1
activity_l2 = l2
activity_l1l2 = l1_l2
