"""Composite math ops, written once over the backend primitives."""

from lamina.ops._bind import B

__all__ = [
    "absolute",
    "average",
    "count_nonzero",
    "dot",
    "hstack",
    "log2",
    "log10",
    "logaddexp",
    "nan_to_num",
    "ndim",
    "outer",
    "reciprocal",
    "size",
    "true_divide",
    "vstack",
]


def true_divide(x1, x2):
    return B.divide(x1, x2)


def absolute(x):
    return B.abs(x)


def reciprocal(x):
    return B.divide(1.0, x)


def average(x, axis=None, weights=None):
    if weights is None:
        return B.mean(x, axis=axis)
    weights = B.convert_to_tensor(weights)
    if axis is not None and B.shape(weights) != B.shape(x):
        shape = [1] * len(B.shape(x))
        shape[axis] = -1
        weights = B.reshape(weights, shape)
    return B.divide(B.sum(B.multiply(x, weights), axis=axis),
                    B.sum(B.broadcast_to(weights, B.shape(x)), axis=axis))


def logaddexp(x1, x2):
    big = B.maximum(x1, x2)
    return B.add(big, B.log1p(B.exp(B.negative(B.abs(B.subtract(x1, x2))))))


def dot(x1, x2):
    """NumPy `dot`: a matrix product, or a sum over the last axis of `x1`
    and the second-to-last of `x2` for higher ranks."""
    if len(B.shape(x1)) == 0 or len(B.shape(x2)) == 0:
        return B.multiply(x1, x2)
    if len(B.shape(x2)) <= 2:
        return B.matmul(x1, x2)
    return B.tensordot(x1, x2, axes=[[-1], [-2]])


def outer(x1, x2):
    return B.multiply(B.reshape(x1, (-1, 1)), B.reshape(x2, (1, -1)))


def count_nonzero(x, axis=None):
    return B.sum(B.cast(B.not_equal(x, 0), "int32"), axis=axis)


def nan_to_num(x, nan=0.0):
    return B.where(B.isnan(x), nan, x)


def ndim(x):
    return len(B.shape(x))


def size(x):
    out = 1
    for d in B.shape(x):
        out *= d
    return out


def vstack(xs):
    return B.concatenate([x if ndim(x) > 1 else B.reshape(x, (1, -1))
                          for x in xs], axis=0)


def hstack(xs):
    return B.concatenate(xs, axis=1 if ndim(xs[0]) > 1 else 0)


def log2(x):
    return B.divide(B.log(x), 0.6931471805599453)


def log10(x):
    return B.divide(B.log(x), 2.302585092994046)
