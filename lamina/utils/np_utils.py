"""NumPy helpers for labels and features (Keras 1's `keras.utils.np_utils`).

Both functions take array-likes (lists, NumPy arrays, engine tensors) and
return NumPy arrays, so they can be used while preparing data, before any
model exists.
"""

import numpy as np


def _as_numpy(x, argument):
    if isinstance(x, np.ndarray):
        return x
    from lamina.ops._bind import B
    if B.is_tensor(x):
        return np.asarray(B.convert_to_numpy(x))
    try:
        return np.asarray(x)
    except (TypeError, ValueError) as error:
        raise TypeError(f"`{argument}` must be an array-like of numbers; "
                        f"got {type(x).__name__}: {error}") from None


def to_categorical(x, num_classes=None):
    """Converts integer class labels to one-hot rows.

    A trailing axis of size 1 is dropped first, so labels shaped `(n,)` and
    `(n, 1)` both give `(n, num_classes)`.

    Args:
        x: integer class labels in `[0, num_classes)`, any shape.
        num_classes: the number of classes; `max(x) + 1` if left out.

    Returns:
        A float32 NumPy array of shape `x.shape + (num_classes,)` (after the
        trailing size-1 axis is dropped), with a single 1 in each row.

    Raises:
        ValueError: labels that are negative, not whole numbers, or not
            below `num_classes`.

    Example:

    >>> to_categorical([0, 2, 1], num_classes=3)
    array([[1., 0., 0.],
           [0., 0., 1.],
           [0., 1., 0.]], dtype=float32)
    """
    labels = _as_numpy(x, "x")
    if labels.dtype.kind not in "biuf":
        raise ValueError(f"to_categorical: `x` must hold integer class "
                         f"labels; got an array of dtype {labels.dtype}.")
    shape = labels.shape
    if len(shape) > 1 and shape[-1] == 1:
        shape = shape[:-1]
    flat = labels.reshape(-1)
    if labels.dtype.kind == "f":
        bad = ~(np.isfinite(flat) & (flat == np.round(flat)))
        if bad.any():
            raise ValueError("to_categorical: `x` must hold whole-number "
                             "class labels; got non-integral values such "
                             f"as {flat[bad][:3]}.")
    flat = flat.astype("int64")
    if flat.size and flat.min() < 0:
        raise ValueError(f"to_categorical: class labels must be >= 0; got "
                         f"{flat.min()}.")
    if num_classes is None:
        num_classes = int(flat.max()) + 1 if flat.size else 0
    elif isinstance(num_classes, bool) or int(num_classes) != num_classes \
            or num_classes < 1:
        raise ValueError(f"to_categorical: `num_classes` must be a positive "
                         f"integer or None; got {num_classes!r}.")
    num_classes = int(num_classes)
    if flat.size and flat.max() >= num_classes:
        raise ValueError(f"to_categorical: label {flat.max()} is out of "
                         f"range for num_classes={num_classes}; labels must "
                         f"be in [0, {num_classes}).")
    out = np.zeros((flat.size, num_classes), dtype="float32")
    out[np.arange(flat.size), flat] = 1.0
    return out.reshape(tuple(shape) + (num_classes,))


def normalize(x, axis=-1, order=2):
    """Scales `x` to unit norm along `axis`.

    Slices whose norm is 0 are left at 0 (not divided by zero).

    Args:
        x: an array-like of numbers.
        axis: the axis along which to take the norm.
        order: the norm's order, as `numpy.linalg.norm`'s `ord` (2 is the
            Euclidean norm, 1 the sum of absolute values).

    Returns:
        A NumPy array shaped like `x`: `x / norm(x, order, axis)`.

    Example:

    >>> normalize([[3.0, 4.0], [0.0, 0.0]])
    array([[0.6, 0.8],
           [0. , 0. ]])
    """
    values = _as_numpy(x, "x")
    if values.dtype.kind not in "biuf":
        raise ValueError(f"normalize: `x` must hold numbers; got an array "
                         f"of dtype {values.dtype}.")
    if values.ndim == 0:
        raise ValueError("normalize: `x` must have at least one axis; got "
                         "a scalar.")
    if not -values.ndim <= axis < values.ndim:
        raise ValueError(f"normalize: `axis`={axis} is out of range for an "
                         f"input with {values.ndim} axes.")
    norm = np.linalg.norm(values, order, axis, keepdims=True)
    return values / np.where(norm == 0, 1, norm)


__all__ = ["normalize", "to_categorical"]
