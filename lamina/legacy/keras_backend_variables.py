"""`keras.backend` (part 4): variables and their values.

`K.variable`, `K.zeros`, `K.ones` and `K.eye` make `Variable`s (attached to
a layer they are its trainable weights); `eval`, `get_value`, `set_value`
and the `update*` functions read and write them at once, since lamina runs
eagerly. Import through `lamina.legacy.keras_backend`.
"""

import numpy as np

from lamina import backend as _config
from lamina.backend.common import variables as _variables
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.legacy.keras_backend_graph import GraphOnlyError
from lamina.ops._bind import B

__all__ = [
    "batch_get_value", "batch_set_value", "constant", "count_params",
    "eval", "eye", "get_value", "is_variable",
    "manual_variable_initialization", "moving_average_update", "ones",
    "random_normal_variable", "random_uniform_variable", "set_value",
    "update", "update_add", "update_sub", "variable", "zeros"]

def _floatx_dtype(dtype):
    return dtype or _config.floatx()


def variable(value, dtype=None, name=None, constraint=None):
    """A `Variable` holding `value` (cast to `dtype`, default floatx).

    Attached to a layer (`self.W = K.variable(...)`), it is one of the
    layer's trainable weights.

    Example:

    >>> v = variable([[1, 2], [3, 4]])
    >>> eval(v).dtype.name
    'float32'
    """
    if isinstance(value, _variables.Variable):
        value = value.value
    if not B.is_tensor(value):
        value = np.asarray(value)
    v = B.Variable(value, dtype=_floatx_dtype(dtype), name=name)
    if constraint is not None:
        from lamina import constraints
        v.constraint = constraints.get(constraint)
    return v


def constant(value, dtype=None, shape=None, name=None):
    """A tensor of `value` (broadcast to `shape` when given)."""
    value = np.asarray(value, dtype=_floatx_dtype(dtype))
    if shape is not None:
        value = np.broadcast_to(value, tuple(shape)).copy()
    return B.convert_to_tensor(value)


def zeros(shape, dtype=None, name=None):
    """An all-zeros `Variable` (a variable in Keras too)."""
    return B.Variable(np.zeros(tuple(shape)), dtype=_floatx_dtype(dtype),
                      name=name)


def ones(shape, dtype=None, name=None):
    """An all-ones `Variable`."""
    return B.Variable(np.ones(tuple(shape)), dtype=_floatx_dtype(dtype),
                      name=name)


def eye(size, dtype=None, name=None):
    """An identity-matrix `Variable`; `size` is n or (n, m)."""
    n, m = (size, size) if isinstance(size, int) else tuple(size)
    return B.Variable(np.eye(n, m), dtype=_floatx_dtype(dtype), name=name)


def random_uniform_variable(shape, low, high, dtype=None, name=None,
                            seed=None):
    """A `Variable` of uniform samples in [low, high)."""
    from lamina import random
    return variable(random.uniform(tuple(shape), low, high,
                                   dtype=_floatx_dtype(dtype), seed=seed),
                    dtype=dtype, name=name)


def random_normal_variable(shape, mean, scale, dtype=None, name=None,
                           seed=None):
    """A `Variable` of normal samples N(mean, scale ** 2)."""
    from lamina import random
    return variable(random.normal(tuple(shape), mean, scale,
                                  dtype=_floatx_dtype(dtype), seed=seed),
                    dtype=dtype, name=name)


def is_variable(x):
    return isinstance(x, _variables.Variable)


def eval(x):
    """The value of a tensor or variable as a NumPy array."""
    if isinstance(x, SymbolicTensor):
        raise GraphOnlyError(
            f"K.eval: {x!r} is symbolic and holds no values. Build a "
            "`K.function(inputs, [tensor])` or a `Model` and call it on "
            "data.")
    if isinstance(x, _variables.Variable):
        return x.numpy()
    return np.array(B.convert_to_numpy(x))


get_value = eval


def set_value(x, value):
    """Sets variable `x` to `value` (a NumPy array or a number)."""
    if not isinstance(x, _variables.Variable):
        raise TypeError(f"K.set_value: expected a variable (e.g. "
                        f"model.optimizer.learning_rate), got {x!r}.")
    x.assign(np.asarray(value, dtype=x.dtype).reshape(x.shape))


def batch_get_value(ops):
    """`get_value` of each tensor in a list."""
    return [eval(x) for x in ops]


def batch_set_value(tuples):
    """`set_value` for each `(variable, value)` pair."""
    for x, value in tuples:
        set_value(x, value)


def update(x, new_x):
    """Assigns `new_x` to variable `x` now; returns `x`."""
    return x.assign(new_x)


def update_add(x, increment):
    return x.assign_add(increment)


def update_sub(x, decrement):
    return x.assign_sub(decrement)


def moving_average_update(x, value, momentum):
    """`x = x * momentum + value * (1 - momentum)`, now; returns `x`."""
    return x.assign(B.add(B.multiply(x.value, momentum),
                          B.multiply(value, 1.0 - momentum)))


def count_params(x):
    """The number of scalars in `x`."""
    return int(np.prod(tuple(x.shape), dtype=np.int64))


def manual_variable_initialization(value):
    """No-op: Keras 2 deferred running variable initializers in a
    TensorFlow session; lamina's variables hold their values as soon as
    they are made, so there is nothing to defer."""
