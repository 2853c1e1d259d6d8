"""Accuracy metrics: the share of predictions that match their targets.

Each function returns one value (1.0 or 0.0) per sample, as floatx; each
class is the running (weighted) mean of its function.
"""

from lamina import backend
from lamina.losses.loss import float_tensor, squeeze_or_expand_to_same_rank
from lamina.metrics.reduction_metrics import MeanMetricWrapper
from lamina.ops._bind import B


def _as_float(matches):
    return B.cast(matches, backend.floatx())


def accuracy(y_true, y_pred):
    """1.0 where `y_pred` equals `y_true` exactly, elementwise."""
    y_pred = B.convert_to_tensor(y_pred)
    y_true = B.convert_to_tensor(y_true, dtype=B.dtype(y_pred))
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return _as_float(B.equal(y_true, y_pred))


def binary_accuracy(y_true, y_pred, threshold=0.5):
    """1.0 where `y_pred > threshold` matches the 0/1 `y_true`.

    Example:

    >>> B.convert_to_numpy(binary_accuracy([[1.0], [0.0]], [[0.7], [0.6]]))
    array([[1.],
           [0.]], dtype=float32)
    """
    y_pred = float_tensor(y_pred)
    y_true = B.convert_to_tensor(y_true, dtype=B.dtype(y_pred))
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    predicted = B.cast(B.greater(y_pred, threshold), B.dtype(y_true))
    return _as_float(B.equal(y_true, predicted))


def categorical_accuracy(y_true, y_pred):
    """1.0 where the arg-max of `y_pred` is the arg-max of one-hot
    `y_true`; shape: the batch shape."""
    return _as_float(B.equal(B.argmax(y_true, axis=-1),
                             B.argmax(y_pred, axis=-1)))


def _labels(y_true, y_pred):
    """Integer-valued labels shaped like `y_pred` without its last axis
    (a trailing axis of size 1 is dropped)."""
    y_true = B.convert_to_tensor(y_true)
    shape = B.shape(y_true)
    if len(shape) == len(B.shape(y_pred)) and shape and shape[-1] == 1:
        y_true = B.squeeze(y_true, -1)
    return y_true


def sparse_categorical_accuracy(y_true, y_pred):
    """1.0 where the arg-max of `y_pred` equals the integer label.

    `y_true` may be shaped `(batch,)` or `(batch, 1)` (or `(batch, T)` /
    `(batch, T, 1)` for sequences); the result has the batch shape.
    """
    y_pred = B.convert_to_tensor(y_pred)
    y_true = _labels(y_true, y_pred)
    predicted = B.cast(B.argmax(y_pred, axis=-1), B.dtype(y_true))
    return _as_float(B.equal(y_true, predicted))


def _in_top_k(targets, predictions, k):
    """Whether each target's score is among the `k` largest of its row.

    Counts the scores strictly above the target's; ties at the boundary
    count as in the top k (as TensorFlow's `in_top_k` does).
    """
    score = B.take_along_axis(predictions, B.expand_dims(targets, -1),
                              axis=-1)
    above = B.sum(B.cast(B.greater(predictions, score), "int32"), axis=-1)
    return B.less(above, k)


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5,
                                      from_sorted_ids=False):
    """1.0 where the integer label is among the `k` highest scores.

    Args:
        y_true: integer labels, `(batch,)` or `(batch, 1)`.
        y_pred: scores `(batch, classes)`; or, if `from_sorted_ids`, class
            ids sorted from the highest score down, `(batch, N)`.
        k: how many of the top predictions count.
        from_sorted_ids: see `y_pred`.

    Returns:
        Values of `y_true`'s (batch) shape.
    """
    y_pred = B.convert_to_tensor(y_pred)
    y_true = _labels(y_true, y_pred)
    out_shape = B.shape(y_true)
    classes = B.shape(y_pred)[-1]
    y_pred = B.reshape(y_pred, (-1, classes))
    y_true = B.reshape(y_true, (-1,))
    if from_sorted_ids:
        ids = y_pred[:, :k]
        hit = B.any(B.equal(ids, B.expand_dims(
            B.cast(y_true, B.dtype(ids)), -1)), axis=-1)
    else:
        hit = _in_top_k(B.cast(y_true, "int32"), y_pred, k)
    return B.reshape(_as_float(hit), out_shape)


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    """1.0 where the class of one-hot `y_true` is among the `k` highest
    scores of `y_pred`; shape: the batch shape."""
    labels = B.argmax(y_true, axis=-1)
    return sparse_top_k_categorical_accuracy(labels, y_pred, k=k)


class Accuracy(MeanMetricWrapper):
    """How often predictions equal labels exactly.

    Example:

    >>> m = Accuracy()
    >>> m.update_state([[1], [2], [3], [4]], [[0], [2], [3], [4]])
    >>> float(m.result())
    0.75
    """

    def __init__(self, name="accuracy", dtype=None):
        super().__init__(accuracy, name=name, dtype=dtype)


class BinaryAccuracy(MeanMetricWrapper):
    """How often thresholded predictions match binary labels.

    Args:
        name: default 'binary_accuracy'.
        dtype: the dtype of the state.
        threshold: predictions above it count as 1.
    """

    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        super().__init__(binary_accuracy, name=name, dtype=dtype,
                         threshold=threshold)
        self.threshold = threshold


class CategoricalAccuracy(MeanMetricWrapper):
    """How often the arg-max of predictions matches one-hot labels."""

    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(categorical_accuracy, name=name, dtype=dtype)


class SparseCategoricalAccuracy(MeanMetricWrapper):
    """How often the arg-max of predictions matches integer labels.

    Example:

    >>> m = SparseCategoricalAccuracy()
    >>> m.update_state([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0.0]])
    >>> float(m.result())
    0.5
    """

    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(sparse_categorical_accuracy, name=name, dtype=dtype)


class TopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the one-hot label is among the `k` top predictions.

    Args:
        k: how many of the top predictions count.
        name: default 'top_k_categorical_accuracy'.
        dtype: the dtype of the state.
    """

    def __init__(self, k=5, name="top_k_categorical_accuracy", dtype=None):
        super().__init__(top_k_categorical_accuracy, name=name, dtype=dtype,
                         k=k)
        self.k = k


class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the integer label is among the `k` top predictions.

    Args:
        k: how many of the top predictions count.
        name: default 'sparse_top_k_categorical_accuracy'.
        dtype: the dtype of the state.
        from_sorted_ids: `y_pred` holds class ids sorted by score instead
            of scores.
    """

    def __init__(self, k=5, name="sparse_top_k_categorical_accuracy",
                 dtype=None, from_sorted_ids=False):
        super().__init__(sparse_top_k_categorical_accuracy, name=name,
                         dtype=dtype, k=k, from_sorted_ids=from_sorted_ids)
        self.k = k
        self.from_sorted_ids = from_sorted_ids

    def get_config(self):
        config = super().get_config()
        if not self.from_sorted_ids:  # as Keras writes it
            del config["from_sorted_ids"]
        return config
