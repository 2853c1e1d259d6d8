"""`keras.backend` (part 1): tensor math, shapes, `dot` and `batch_dot`.

Each function takes tensors, `Variable`s or NumPy arrays; given symbolic
tensors it records a layer (see `lamina.ops.symbolic.symbolic_aware`).
Import through `lamina.legacy.keras_backend`.
"""

import numpy as np

from lamina import backend as _config
from lamina.backend.common import variables as _variables
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.ops._bind import B
from lamina.ops.symbolic import symbolic_aware

__all__ = [
    "abs", "all", "any", "arange", "argmax", "argmin", "batch_dot",
    "batch_flatten", "cast", "cast_to_floatx", "clip", "concatenate", "cos",
    "cumprod", "cumsum", "dot", "dtype", "equal", "exp", "expand_dims",
    "flatten", "gather", "greater", "greater_equal", "identity", "int_shape",
    "is_sparse", "is_tensor", "less", "less_equal", "log", "logsumexp", "max",
    "maximum", "mean", "min", "minimum", "ndim", "not_equal", "one_hot",
    "ones_like", "permute_dimensions", "pow", "prod", "repeat",
    "repeat_elements", "reshape", "reverse", "round", "shape", "sign", "sin",
    "slice", "spatial_2d_padding", "sqrt", "square", "squeeze", "stack", "std",
    "sum", "temporal_padding", "tile", "to_dense", "transpose", "var",
    "zeros_like"]


# -- shapes and dtypes ----------------------------------------------------

def is_tensor(x):
    return B.is_tensor(x) or isinstance(x, SymbolicTensor)


def is_sparse(tensor):
    """Always False: lamina's tensors are dense."""
    return False


def to_dense(tensor):
    return tensor


def int_shape(x):
    """The shape of `x` as a tuple of ints (None where unknown)."""
    if isinstance(x, (SymbolicTensor, _variables.Variable)):
        return tuple(x.shape)
    if B.is_tensor(x):
        return tuple(B.shape(x))
    return tuple(np.shape(x))


def shape(x):
    """The shape of `x`. Keras returned a tensor; lamina computes eagerly,
    so the static shape (a tuple of ints) serves the same uses."""
    return int_shape(x)


def ndim(x):
    return len(int_shape(x))


def dtype(x):
    """The dtype of `x` as a string, e.g. 'float32'."""
    if isinstance(x, (SymbolicTensor, _variables.Variable)):
        return x.dtype
    if B.is_tensor(x):
        return B.dtype(x)
    return np.asarray(x).dtype.name


def cast(x, dtype):
    return B.cast(x, dtype)


def cast_to_floatx(x):
    """`x` as a NumPy array of the default float type."""
    return np.asarray(x, dtype=_config.floatx())


def _axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


def _float(x):
    """Bool tensors become floatx (Keras's reductions did so)."""
    x = B.convert_to_tensor(x)
    return B.cast(x, _config.floatx()) if B.dtype(x) == "bool" else x


# -- reductions ---------------------------------------------------------

def mean(x, axis=None, keepdims=False):
    return B.mean(_float(x), axis=_axis(axis), keepdims=keepdims)


def sum(x, axis=None, keepdims=False):
    return B.sum(x, axis=_axis(axis), keepdims=keepdims)


def max(x, axis=None, keepdims=False):
    return B.max(x, axis=_axis(axis), keepdims=keepdims)


def min(x, axis=None, keepdims=False):
    return B.min(x, axis=_axis(axis), keepdims=keepdims)


def prod(x, axis=None, keepdims=False):
    return B.prod(x, axis=_axis(axis), keepdims=keepdims)


def std(x, axis=None, keepdims=False):
    """Population standard deviation."""
    return B.std(_float(x), axis=_axis(axis), keepdims=keepdims)


def var(x, axis=None, keepdims=False):
    """Population variance."""
    return B.var(_float(x), axis=_axis(axis), keepdims=keepdims)


def any(x, axis=None, keepdims=False):
    return B.any(B.cast(x, "bool"), axis=_axis(axis), keepdims=keepdims)


def all(x, axis=None, keepdims=False):
    return B.all(B.cast(x, "bool"), axis=_axis(axis), keepdims=keepdims)


def argmax(x, axis=-1):
    return B.argmax(x, axis=axis)


def argmin(x, axis=-1):
    return B.argmin(x, axis=axis)


def logsumexp(x, axis=None, keepdims=False):
    return B.logsumexp(x, axis=_axis(axis), keepdims=keepdims)


def cumsum(x, axis=0):
    return B.cumsum(x, axis=axis)


def cumprod(x, axis=0):
    return B.cumprod(x, axis=axis)


# -- elementwise ----------------------------------------------------------

def square(x):
    return B.square(x)


def sqrt(x):
    """Square root; negative values count as 0, as in Keras."""
    return B.sqrt(B.maximum(x, 0.0))


def exp(x):
    return B.exp(x)


def log(x):
    return B.log(x)


def abs(x):
    return B.abs(x)


def sign(x):
    return B.sign(x)


def round(x):
    """Rounds half to even."""
    return B.round(x)


def sin(x):
    return B.sin(x)


def cos(x):
    return B.cos(x)


def pow(x, a):
    return B.power(x, a)


def maximum(x, y):
    return B.maximum(x, y)


def minimum(x, y):
    return B.minimum(x, y)


def clip(x, min_value, max_value):
    """Values limited to [min_value, max_value] (None: unbounded; a max
    below the min is raised to it, as in Keras)."""
    if min_value is None:
        min_value = -np.inf
    if max_value is None:
        max_value = np.inf
    if max_value < min_value:  # noqa: PLR1730 (`max` is K.max here)
        max_value = min_value
    return B.clip(x, min_value, max_value)


def equal(x, y):
    return B.equal(x, y)


def not_equal(x, y):
    return B.not_equal(x, y)


def greater(x, y):
    return B.greater(x, y)


def greater_equal(x, y):
    return B.greater_equal(x, y)


def less(x, y):
    return B.less(x, y)


def less_equal(x, y):
    return B.less_equal(x, y)


def identity(x, name=None):
    return B.convert_to_tensor(x)


def zeros_like(x, dtype=None, name=None):
    """A tensor of zeros shaped like `x`."""
    return B.zeros_like(x, dtype=dtype)


def ones_like(x, dtype=None, name=None):
    """A tensor of ones shaped like `x`."""
    return B.ones_like(x, dtype=dtype)


# -- shape manipulation ---------------------------------------------------

def reshape(x, shape):
    return B.reshape(x, tuple(shape))


def permute_dimensions(x, pattern):
    return B.transpose(x, tuple(pattern))


def transpose(x):
    """Axes reversed."""
    return B.transpose(x)


def expand_dims(x, axis=-1):
    return B.expand_dims(x, axis)


def squeeze(x, axis):
    return B.squeeze(x, axis=axis)


def flatten(x):
    """`x` as a 1-D tensor."""
    return B.reshape(x, (-1,))


def batch_flatten(x):
    """`x` as (batch, everything else)."""
    rest = int(np.prod(B.shape(x)[1:], dtype=np.int64))
    return B.reshape(x, (-1, rest))


def concatenate(tensors, axis=-1):
    return B.concatenate(list(tensors), axis=axis)


def stack(x, axis=0):
    return B.stack(list(x), axis=axis)


def repeat(x, n):
    """(batch, dim) -> (batch, n, dim)."""
    if ndim(x) != 2:
        raise ValueError(f"K.repeat: expected a 2-D tensor (batch, dim), "
                         f"got shape {int_shape(x)}.")
    return B.tile(B.expand_dims(x, 1), (1, n, 1))


def repeat_elements(x, rep, axis):
    """Each slice along `axis` repeated `rep` times (np.repeat)."""
    return B.repeat(x, rep, axis=axis)


def tile(x, n):
    return B.tile(x, (n,) if isinstance(n, int) else tuple(n))


def reverse(x, axes):
    return B.flip(x, axis=_axis(axes) if not isinstance(axes, int)
                  else axes)


def slice(x, start, size):
    return B.slice(x, tuple(start), tuple(size))


def gather(reference, indices):
    """Rows of `reference` picked by integer `indices`."""
    return B.take(reference, B.cast(indices, "int32"), axis=0)


def one_hot(indices, num_classes):
    return B.one_hot(B.cast(indices, "int32"), num_classes,
                     dtype=_config.floatx())


def arange(start, stop=None, step=1, dtype="int32"):
    return B.arange(start, stop, step, dtype=dtype)


def temporal_padding(x, padding=(1, 1)):
    """Zeros added before and after the time axis of (batch, time, dim)."""
    return B.pad(x, ((0, 0), tuple(padding), (0, 0)))


def spatial_2d_padding(x, padding=((1, 1), (1, 1)), data_format=None):
    """Zeros around the rows and columns of a 4-D image batch."""
    pads = [tuple(p) for p in padding]
    if _config.standardize_data_format(data_format) == "channels_first":
        return B.pad(x, [(0, 0), (0, 0)] + pads)
    return B.pad(x, [(0, 0)] + pads + [(0, 0)])


# -- products ---------------------------------------------------------------

def dot(x, y):
    """Keras's `dot`: a matrix product, and for higher ranks a sum over the
    last axis of `x` and the second-to-last of `y` (Theano's and NumPy's
    `dot`): (2, 3) . (4, 3, 5) -> (2, 4, 5)."""
    if ndim(x) >= 2 and ndim(y) > 2:
        return B.tensordot(x, y, axes=[[ndim(x) - 1], [ndim(y) - 2]])
    return B.matmul(x, y)


def _batch_axes(axes, x_ndim, y_ndim):
    if axes is None:
        axes = (x_ndim - 1, y_ndim - 1 if y_ndim == 2 else y_ndim - 2)
    elif isinstance(axes, int):
        axes = (axes, axes)
    axes = [a[0] if isinstance(a, (list, tuple)) else a for a in axes]
    if len(axes) != 2:
        raise ValueError(f"K.batch_dot: `axes` must be an int or a pair of "
                         f"ints, got {axes!r}.")
    out = (axes[0] % x_ndim, axes[1] % y_ndim)
    if 0 in out:
        raise ValueError(f"K.batch_dot: `axes` {axes!r} includes the batch "
                         "axis 0, which can't be summed over.")
    return out


def batch_dot(x, y, axes=None):
    """Dot product of each sample of `x` with the same sample of `y`.

    `axes` (an int, or one axis of `x` and one of `y`) are summed over;
    by default the last axis of `x` and the second-to-last of `y` (the
    last when `y` is 2-D). The output has the remaining axes of `x`, then
    those of `y` less its batch axis; a (batch,) result becomes
    (batch, 1).

    Example:

    >>> import numpy as np
    >>> from lamina.legacy import keras_backend as K
    >>> x = np.array([[1., 2.], [3., 4.]])
    >>> y = np.array([[5., 6.], [7., 8.]])
    >>> K.eval(K.batch_dot(x, y, axes=1)).tolist()
    [[17.0], [53.0]]
    >>> K.int_shape(K.batch_dot(np.ones((32, 20, 1)), np.ones((32, 30, 20)),
    ...                         axes=(1, 2)))
    (32, 1, 30)
    """
    x_shape, y_shape = int_shape(x), int_shape(y)
    if len(x_shape) < 2 or len(y_shape) < 2:
        raise ValueError(f"K.batch_dot: both inputs need a batch axis and "
                         f"at least one more; got shapes {x_shape} and "
                         f"{y_shape}.")
    ax, ay = _batch_axes(axes, len(x_shape), len(y_shape))
    if None not in (x_shape[ax], y_shape[ay]) and x_shape[ax] != y_shape[ay]:
        raise ValueError(f"K.batch_dot: axis {ax} of x (size {x_shape[ax]}) "
                         f"and axis {ay} of y (size {y_shape[ay]}) must have "
                         f"the same size; shapes {x_shape} and {y_shape}.")
    letters = iter("cdefghijklmnopqrstuvwxy")
    xs = ["b"] + [next(letters) for _ in x_shape[1:]]
    ys = ["b"] + [next(letters) for _ in y_shape[1:]]
    xs[ax] = ys[ay] = "z"
    out = [xs[0]] + [c for c in xs[1:] if c != "z"] + \
        [c for c in ys[1:] if c != "z"]
    result = B.einsum(f"{''.join(xs)},{''.join(ys)}->{''.join(out)}", x, y)
    if len(out) == 1:
        result = B.expand_dims(result, -1)
    return result


# Every tensor function records a layer when given symbolic tensors.
_TENSOR_FUNCTIONS = (
    "mean", "sum", "max", "min", "prod", "std", "var", "any", "all", "argmax",
    "argmin", "logsumexp", "cumsum", "cumprod", "square", "sqrt", "exp", "log",
    "abs", "sign", "round", "sin", "cos", "pow", "maximum", "minimum", "clip",
    "equal", "not_equal", "greater", "greater_equal", "less", "less_equal",
    "identity", "zeros_like", "ones_like", "cast", "reshape",
    "permute_dimensions", "transpose", "expand_dims", "squeeze", "flatten",
    "batch_flatten", "concatenate", "stack", "repeat", "repeat_elements",
    "tile", "reverse", "slice", "gather", "one_hot", "temporal_padding",
    "spatial_2d_padding", "dot", "batch_dot")
for _name in _TENSOR_FUNCTIONS:
    globals()[_name] = symbolic_aware(globals()[_name])
del _name
