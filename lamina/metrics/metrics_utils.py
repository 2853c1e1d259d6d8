"""Thresholded confusion-matrix accumulation shared by the confusion metrics.

`update_confusion_matrix_variables` adds one batch's (weighted) true/false
positive/negative counts, at every threshold at once, to state variables.
A prediction counts as positive at threshold `t` when `y_pred > t`
(strictly), and a label counts as positive when it is nonzero, as in Keras.

Two vectorized paths, no Python loop over thresholds:

- any thresholds: compare the predictions with all thresholds in one
  broadcast, `(thresholds, predictions)`;
- evenly spaced thresholds (AUC's default 200): each prediction falls in one
  bucket between two thresholds; a weighted histogram of the buckets, summed
  from the top, gives the counts. The histogram is an outer product of two
  coarse one-hot codes (`sqrt(T)` columns each), so memory grows with
  `N * sqrt(T)` instead of `N * T`.
"""

import math

import numpy as np

from lamina import backend
from lamina.losses.loss import squeeze_or_expand_to_same_rank
from lamina.ops._bind import B

# The threshold Precision/Recall use with `top_k` (every kept score is above).
NEG_INF = -1e10

TRUE_POSITIVES = "tp"
FALSE_POSITIVES = "fp"
TRUE_NEGATIVES = "tn"
FALSE_NEGATIVES = "fn"
KEYS = (TRUE_POSITIVES, FALSE_POSITIVES, TRUE_NEGATIVES, FALSE_NEGATIVES)


def parse_init_thresholds(thresholds, default_threshold=0.5):
    """`thresholds` (None, a float or a sequence) as a list of floats.

    Raises:
        ValueError: if a given threshold is outside [0, 1].
    """
    if thresholds is None:
        return [default_threshold]
    if isinstance(thresholds, (list, tuple, np.ndarray)):
        values = list(np.asarray(thresholds, dtype="float64").reshape(-1))
    else:
        values = [thresholds]
    invalid = [t for t in values if t is None or not 0 <= t <= 1]
    if invalid:
        raise ValueError("Threshold values must be in [0, 1]. Received: "
                         f"thresholds={thresholds!r} (invalid: {invalid}).")
    return [float(t) for t in values]


def is_evenly_distributed_thresholds(thresholds):
    """Whether `thresholds` are `i / (n - 1)` for `i = 0 .. n-1`, `n >= 3`."""
    n = len(thresholds)
    if n < 3:
        return False
    even = np.arange(n, dtype="float32") / (n - 1)
    return bool(np.allclose(thresholds, even, atol=backend.epsilon()))


def equal_one_hot(labels, depth, dtype):
    """One-hot codes of integer `labels` by comparison with `arange`.

    Unlike `one_hot`, labels outside `[0, depth)` give a row of zeros and
    nothing is checked on the host.
    """
    classes = B.arange(depth, dtype=B.dtype(labels))
    return B.cast(B.equal(B.expand_dims(labels, -1), classes), dtype)


def filter_top_k(x, k):
    """`x` with all but the `k` largest entries of the last axis set to
    `NEG_INF`; ties go to the lower index (a stable sort, the same on every
    backend)."""
    top = B.argsort(B.negative(x), axis=-1)[..., :k]
    keep = B.max(equal_one_hot(top, B.shape(x)[-1], B.dtype(x)), axis=-2)
    return B.add(B.multiply(x, keep), B.multiply(NEG_INF, 1.0 - keep))


def broadcast_weights(weight, shape, dtype):
    """Sample weights broadcast to `shape` from the left: `(batch,)` weights
    against `(batch, labels)` values weight whole rows."""
    weight = B.convert_to_tensor(weight, dtype=dtype)
    rank, w_shape = len(shape), B.shape(weight)
    if len(w_shape) == rank + 1 and w_shape[-1] == 1:
        weight = B.squeeze(weight, -1)
    elif 0 < len(w_shape) < rank:
        weight = B.reshape(weight, w_shape + (1,) * (rank - len(w_shape)))
    try:
        return B.broadcast_to(weight, shape)
    except Exception as error:  # the engines word this differently
        raise ValueError(f"`sample_weight` of shape {w_shape} does not "
                         f"broadcast to the predictions' shape {shape}; "
                         "expected a scalar, (batch,) or the same shape."
                         ) from error


def update_confusion_matrix_variables(variables, y_true, y_pred, thresholds,
                                      top_k=None, class_id=None,
                                      sample_weight=None, multi_label=False,
                                      label_weights=None,
                                      thresholds_distributed_evenly=False):
    """Adds one batch's thresholded confusion counts to `variables`.

    Args:
        variables: dict from 'tp', 'fp', 'tn', 'fn' to variables of shape
            `(len(thresholds),)`, or `(len(thresholds), labels)` with
            `multi_label`.
        y_true: labels, shaped like `y_pred`; nonzero means positive.
        y_pred: scores, usually in [0, 1].
        thresholds: a list of floats.
        top_k: keep only the `k` largest scores of the last axis.
        class_id: count only this index of the last axis.
        sample_weight: None, a scalar, `(batch,)` or `y_pred`'s shape.
        multi_label: keep the label axis of 2-D inputs (counts per label)
            instead of flattening.
        label_weights: weights of the labels (last axis) when flattening.
        thresholds_distributed_evenly: whether `thresholds` are evenly
            spaced on [0, 1] (possibly with endpoints just outside); then
            the bucket path is used and scores are clipped to [0, 1].
    """
    unknown = [key for key in variables if key not in KEYS]
    if unknown or not variables:
        raise ValueError(f"Invalid confusion-matrix keys: {unknown}. "
                         f"Expected some of {list(KEYS)}.")
    if multi_label and label_weights is not None:
        raise ValueError("`label_weights` are applied outside the counts "
                         "when `multi_label=True`.")
    dtype = next(iter(variables.values())).dtype
    y_pred = B.cast(B.convert_to_tensor(y_pred), dtype)
    y_true = B.cast(B.convert_to_tensor(y_true), dtype)
    y_pred, y_true = squeeze_or_expand_to_same_rank(y_pred, y_true)
    if B.shape(y_true) != B.shape(y_pred):
        raise ValueError(f"`y_true` of shape {B.shape(y_true)} does not "
                         f"match `y_pred` of shape {B.shape(y_pred)}.")
    shape = B.shape(y_pred)
    weight = None
    if sample_weight is not None:
        weight = broadcast_weights(sample_weight, shape, dtype)
    if top_k is not None:
        y_pred = filter_top_k(y_pred, top_k)
    if class_id is not None:
        if len(shape) < 2:
            raise ValueError("When `class_id` is given, `y_pred` must have "
                             "a class axis, (batch, classes); received "
                             f"shape {shape}.")
        index = slice(class_id, class_id + 1)
        y_true, y_pred = y_true[..., index], y_pred[..., index]
        weight = None if weight is None else weight[..., index]
    if label_weights is not None:
        label_weights = B.broadcast_to(
            B.convert_to_tensor(label_weights, dtype), B.shape(y_pred))
        weight = label_weights if weight is None else B.multiply(
            weight, label_weights)
    if not multi_label:
        y_true, y_pred = B.reshape(y_true, (-1,)), B.reshape(y_pred, (-1,))
        weight = None if weight is None else B.reshape(weight, (-1,))
    positive = B.cast(B.not_equal(y_true, 0), dtype)
    true_w, false_w = positive, 1.0 - positive
    if weight is not None:
        true_w, false_w = B.multiply(true_w, weight), B.multiply(false_w,
                                                                 weight)
    if thresholds_distributed_evenly:
        counts = _bucketed_counts(y_pred, true_w, false_w, thresholds)
    else:
        counts = _compared_counts(y_pred, true_w, false_w, thresholds,
                                  variables)
    for key, variable in variables.items():
        variable.assign(B.add(variable.value, counts[key]))


def _compared_counts(y_pred, true_w, false_w, thresholds, variables):
    """Counts by comparing every prediction with every threshold."""
    dtype = B.dtype(y_pred)
    extra = (1,) * len(B.shape(y_pred))
    cut = B.reshape(B.convert_to_tensor(np.asarray(thresholds), dtype),
                    (len(thresholds),) + extra)
    above = B.cast(B.greater(B.expand_dims(y_pred, 0), cut), dtype)
    counts = {TRUE_POSITIVES: lambda: B.sum(B.multiply(above, true_w), 1),
              FALSE_POSITIVES: lambda: B.sum(B.multiply(above, false_w), 1),
              FALSE_NEGATIVES: lambda: B.sum(B.multiply(1.0 - above,
                                                        true_w), 1),
              TRUE_NEGATIVES: lambda: B.sum(B.multiply(1.0 - above,
                                                       false_w), 1)}
    return {key: counts[key]() for key in variables}


def _bucketed_counts(y_pred, true_w, false_w, thresholds):
    """Counts for evenly spaced thresholds, from a histogram of buckets.

    With `T` thresholds `j / (T - 1)`, a score `p` is above threshold `j`
    exactly when `ceil(p * (T - 1)) - 1 >= j`: that bucket index, plus one
    (so that 0 means "above none"), is histogrammed with the weights.
    """
    dtype = B.dtype(y_pred)
    num = len(thresholds)
    with_epsilon = thresholds[0] < 0.0 or thresholds[-1] > 1.0
    bucket = B.ceil(B.multiply(B.clip(y_pred, 0.0, 1.0), num - 1.0))
    if with_epsilon:  # every score in [0, 1] is above -epsilon
        bucket = B.maximum(bucket, 1.0)
    bucket = B.cast(bucket, "int32")
    # A weighted histogram over `num` bins as the outer product of a coarse
    # and a fine one-hot code (bin = coarse * cols + fine).
    cols = math.ceil(math.sqrt(num))
    rows = -(-num // cols)
    coarse = equal_one_hot(B.floor_divide(bucket, cols), rows, dtype)
    fine = equal_one_hot(B.mod(bucket, cols), cols, dtype)
    weights = B.stack([true_w, false_w], axis=-1)
    coarse = B.multiply(B.expand_dims(coarse, -2),
                        B.expand_dims(weights, -1))
    if len(B.shape(y_pred)) == 1:  # (N,) -> hist (2, rows, cols)
        hist = B.einsum("nkr,nc->krc", coarse, fine)
    else:  # (N, L) -> hist (2, rows, cols, L)
        hist = B.einsum("nlkr,nlc->krcl", coarse, fine)
    rest = B.shape(hist)[3:]
    hist = B.reshape(hist, (2, rows * cols) + rest)[:, 1:num]
    # Above threshold j: the bins j + 1 and up (a reversed cumulative sum).
    above = B.flip(B.cumsum(B.flip(hist, 1), axis=1), 1)
    above = B.concatenate([above, B.zeros((2, 1) + rest, dtype=dtype)], 1)
    tp, fp = above[0], above[1]
    total_true, total_false = B.sum(true_w, 0), B.sum(false_w, 0)
    return {TRUE_POSITIVES: tp, FALSE_POSITIVES: fp,
            FALSE_NEGATIVES: B.subtract(total_true, tp),
            TRUE_NEGATIVES: B.subtract(total_false, fp)}


def confusion_matrix(labels, predictions, num_classes, weights=None,
                     dtype="float32"):
    """The `(num_classes, num_classes)` confusion matrix, rows = labels.

    Entry `[i, j]` is the summed weight of the samples labeled `i` and
    predicted `j`. Labels and predictions outside `[0, num_classes)` count
    nowhere.

    Args:
        labels: integer class ids, any shape (flattened).
        predictions: integer class ids, same size.
        num_classes: the number of classes.
        weights: None or one weight per sample.
        dtype: the dtype of the matrix.

    Returns:
        The matrix, `labels` one-hot transposed times weighted `predictions`
        one-hot (one matrix product; no scatter).
    """
    labels = B.reshape(B.cast(B.convert_to_tensor(labels), "int32"), (-1,))
    predictions = B.reshape(B.cast(B.convert_to_tensor(predictions),
                                   "int32"), (-1,))
    rows = equal_one_hot(labels, num_classes, dtype)
    cols = equal_one_hot(predictions, num_classes, dtype)
    if weights is not None:
        weights = B.reshape(B.convert_to_tensor(weights, dtype), (-1, 1))
        cols = B.multiply(cols, weights)
    return B.matmul(B.transpose(rows), cols)
