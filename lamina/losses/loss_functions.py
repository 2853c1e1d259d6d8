"""Loss functions: `fn(y_true, y_pred) -> per-sample losses`.

Each reduces over the last axis where Keras does, so the result has the
batch shape (e.g. `(batch,)` for `(batch, d)` inputs). `y_true` is cast to
`y_pred`'s dtype; a `(batch,)` target against a `(batch, 1)` prediction is
aligned instead of broadcast to `(batch, batch)`.
"""

import math

from lamina import backend, ops
from lamina.losses.loss import float_tensor, squeeze_or_expand_to_same_rank
from lamina.ops import symbolic

_LOG2 = math.log(2.0)


def _aligned(y_true, y_pred):
    """Float `y_pred`, `y_true` in its dtype, ranks aligned."""
    y_pred = float_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=ops.dtype(y_pred))
    return squeeze_or_expand_to_same_rank(y_true, y_pred)


def _check_axis(fn, axis):
    if isinstance(axis, bool) or not isinstance(axis, int):
        raise TypeError(f"{fn}: `axis` must be an int; got {axis!r}. (A "
                        "bool here usually means `from_logits` was passed "
                        "positionally.)")


def mean_squared_error(y_true, y_pred):
    """`mean(square(y_true - y_pred), axis=-1)`.

    Example:

    >>> ops.convert_to_numpy(mean_squared_error([[0., 1.]], [[1., 1.]]))
    array([0.5], dtype=float32)
    """
    y_true, y_pred = _aligned(y_true, y_pred)
    return ops.mean(ops.square(y_true - y_pred), axis=-1)


def mean_absolute_error(y_true, y_pred):
    """`mean(abs(y_true - y_pred), axis=-1)`."""
    y_true, y_pred = _aligned(y_true, y_pred)
    return ops.mean(ops.abs(y_true - y_pred), axis=-1)


def mean_absolute_percentage_error(y_true, y_pred):
    """`100 * mean(abs((y_true - y_pred) / max(abs(y_true), eps)))`."""
    y_true, y_pred = _aligned(y_true, y_pred)
    scale = ops.maximum(ops.abs(y_true), backend.epsilon())
    return 100.0 * ops.mean(ops.abs((y_true - y_pred) / scale), axis=-1)


def mean_squared_logarithmic_error(y_true, y_pred):
    """`mean(square(log(1 + y_pred) - log(1 + y_true)))`, with both
    clipped below at epsilon."""
    y_true, y_pred = _aligned(y_true, y_pred)
    eps = backend.epsilon()
    first = ops.log1p(ops.maximum(y_pred, eps))
    second = ops.log1p(ops.maximum(y_true, eps))
    return ops.mean(ops.square(first - second), axis=-1)


def cosine_similarity(y_true, y_pred, axis=-1):
    """Negative cosine similarity: `-sum(l2_norm(y_true) * l2_norm(y_pred))`.

    -1 means the same direction, so minimizing it aligns the vectors.
    """
    y_true, y_pred = _aligned(y_true, y_pred)
    y_true = ops.normalize(y_true, axis=axis)
    y_pred = ops.normalize(y_pred, axis=axis)
    return ops.negative(ops.sum(y_true * y_pred, axis=axis))


def huber(y_true, y_pred, delta=1.0):
    """Huber loss: quadratic for `|error| <= delta`, linear beyond.

    `0.5 * e**2` if `|e| <= delta` else `delta * |e| - 0.5 * delta**2`,
    averaged over the last axis, where `e = y_pred - y_true`.
    """
    y_true, y_pred = _aligned(y_true, y_pred)
    error = y_pred - y_true
    abs_error = ops.abs(error)
    quadratic = 0.5 * ops.square(error)
    linear = delta * abs_error - 0.5 * delta * delta
    return ops.mean(ops.where(abs_error <= delta, quadratic, linear),
                    axis=-1)


def log_cosh(y_true, y_pred):
    """`mean(log(cosh(y_pred - y_true)), axis=-1)`, computed stably as
    `x + softplus(-2x) - log(2)`."""
    y_true, y_pred = _aligned(y_true, y_pred)
    x = y_pred - y_true
    return ops.mean(x + ops.softplus(-2.0 * x) - _LOG2, axis=-1)


def kl_divergence(y_true, y_pred):
    """`sum(y_true * log(y_true / y_pred), axis=-1)`, both clipped to
    `[epsilon, 1]`."""
    y_true, y_pred = _aligned(y_true, y_pred)
    eps = backend.epsilon()
    y_true = ops.clip(y_true, eps, 1.0)
    y_pred = ops.clip(y_pred, eps, 1.0)
    return ops.sum(y_true * ops.log(y_true / y_pred), axis=-1)


def poisson(y_true, y_pred):
    """`mean(y_pred - y_true * log(y_pred + epsilon), axis=-1)`."""
    y_true, y_pred = _aligned(y_true, y_pred)
    return ops.mean(y_pred - y_true * ops.log(y_pred + backend.epsilon()),
                    axis=-1)


def _hinge_labels(y_true):
    """{0, 1} labels as {-1, 1}; other labels unchanged.

    Decided on the whole batch with `where` (no host sync, traceable).
    """
    is_binary = ops.all(ops.logical_or(ops.equal(y_true, 0.0),
                                       ops.equal(y_true, 1.0)))
    return ops.where(is_binary, 2.0 * y_true - 1.0, y_true)


def hinge(y_true, y_pred):
    """`mean(max(1 - y_true * y_pred, 0), axis=-1)`; labels in {-1, 1}
    (labels in {0, 1} are converted)."""
    y_true, y_pred = _aligned(y_true, y_pred)
    y_true = _hinge_labels(y_true)
    return ops.mean(ops.relu(1.0 - y_true * y_pred), axis=-1)


def squared_hinge(y_true, y_pred):
    """`mean(square(max(1 - y_true * y_pred, 0)), axis=-1)`; labels in
    {-1, 1} (labels in {0, 1} are converted)."""
    y_true, y_pred = _aligned(y_true, y_pred)
    y_true = _hinge_labels(y_true)
    return ops.mean(ops.square(ops.relu(1.0 - y_true * y_pred)), axis=-1)


def categorical_hinge(y_true, y_pred):
    """`max(0, max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1)`
    over the last axis, for one-hot `y_true`."""
    y_true, y_pred = _aligned(y_true, y_pred)
    positive = ops.sum(y_true * y_pred, axis=-1)
    negative = ops.max((1.0 - y_true) * y_pred, axis=-1)
    return ops.relu(negative - positive + 1.0)


def binary_crossentropy(y_true, y_pred, from_logits=False,
                        label_smoothing=0.0, axis=-1):
    """Binary crossentropy, averaged over `axis`.

    Args:
        y_true: targets in [0, 1].
        y_pred: probabilities, or logits if `from_logits`.
        from_logits: whether `y_pred` holds logits.
        label_smoothing: in [0, 1]; targets become
            `y_true * (1 - label_smoothing) + 0.5 * label_smoothing`.
        axis: the axis averaged over.

    Returns:
        Per-sample losses.
    """
    _check_axis("binary_crossentropy", axis)
    y_true, y_pred = _aligned(y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    return ops.mean(ops.binary_crossentropy(y_true, y_pred,
                                            from_logits=from_logits),
                    axis=axis)


def binary_focal_crossentropy(y_true, y_pred, apply_class_balancing=False,
                              alpha=0.25, gamma=2.0, from_logits=False,
                              label_smoothing=0.0, axis=-1):
    """Binary crossentropy scaled by `(1 - p_t) ** gamma` (Lin et al.,
    2017, https://arxiv.org/abs/1708.02002), averaged over `axis`.

    Args:
        y_true: targets in [0, 1].
        y_pred: probabilities, or logits if `from_logits`.
        apply_class_balancing: weight positives by `alpha` and negatives by
            `1 - alpha`.
        alpha: the class-balancing weight.
        gamma: the focusing exponent; 0 gives plain crossentropy.
        from_logits: whether `y_pred` holds logits.
        label_smoothing: as in `binary_crossentropy`.
        axis: the axis averaged over.

    Returns:
        Per-sample losses.
    """
    _check_axis("binary_focal_crossentropy", axis)
    y_true, y_pred = _aligned(y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    bce = ops.binary_crossentropy(y_true, y_pred, from_logits=from_logits)
    prob = ops.sigmoid(y_pred) if from_logits else y_pred
    p_t = y_true * prob + (1.0 - y_true) * (1.0 - prob)
    focal = ops.power(1.0 - p_t, gamma) * bce
    if apply_class_balancing:
        focal = (y_true * alpha + (1.0 - y_true) * (1.0 - alpha)) * focal
    return ops.mean(focal, axis=axis)


def categorical_crossentropy(y_true, y_pred, from_logits=False,
                             label_smoothing=0.0, axis=-1):
    """Crossentropy between one-hot (or soft) targets and predictions.

    Args:
        y_true: one-hot or probability targets, shaped like `y_pred`.
        y_pred: probabilities (renormalized along `axis`), or logits if
            `from_logits`.
        from_logits: whether `y_pred` holds logits.
        label_smoothing: in [0, 1]; targets become
            `y_true * (1 - label_smoothing) + label_smoothing / classes`.
        axis: the class axis.

    Returns:
        Per-sample losses (`y_pred`'s shape without `axis`).
    """
    _check_axis("categorical_crossentropy", axis)
    y_pred = float_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=ops.dtype(y_pred))
    if label_smoothing:
        classes = ops.shape(y_true)[axis]
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / classes
    return ops.categorical_crossentropy(y_true, y_pred,
                                        from_logits=from_logits, axis=axis)


def categorical_focal_crossentropy(y_true, y_pred, alpha=0.25, gamma=2.0,
                                   from_logits=False, label_smoothing=0.0,
                                   axis=-1):
    """Categorical crossentropy with each class term scaled by
    `alpha * (1 - p) ** gamma` (Lin et al., 2017), summed over `axis`."""
    _check_axis("categorical_focal_crossentropy", axis)
    y_pred = float_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=ops.dtype(y_pred))
    if label_smoothing:
        classes = ops.shape(y_true)[axis]
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / classes
    if from_logits:
        log_prob = ops.log_softmax(y_pred, axis=axis)
        prob = ops.exp(log_prob)
    else:
        prob = y_pred / ops.sum(y_pred, axis=axis, keepdims=True)
        eps = backend.epsilon()
        prob = ops.clip(prob, eps, 1.0 - eps)
        log_prob = ops.log(prob)
    weight = alpha * ops.power(1.0 - prob, gamma)
    return ops.negative(ops.sum(weight * y_true * log_prob, axis=axis))


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False,
                                    ignore_class=None, axis=-1):
    """Crossentropy between integer labels and predictions.

    Args:
        y_true: integer class indices, shaped like `y_pred` without the
            class axis (a trailing axis of size 1 is allowed).
        y_pred: probabilities, or logits if `from_logits`.
        from_logits: whether `y_pred` holds logits.
        ignore_class: a label value whose entries get loss 0 (e.g. padding);
            the `SparseCategoricalCrossentropy` class also leaves them out
            of the mean.
        axis: the class axis.

    Returns:
        Per-sample losses (`y_pred`'s shape without `axis`).
    """
    _check_axis("sparse_categorical_crossentropy", axis)
    y_pred = float_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true)
    if ignore_class is None:
        return ops.sparse_categorical_crossentropy(
            y_true, y_pred, from_logits=from_logits, axis=axis)
    valid = valid_label_mask(y_true, y_pred, ignore_class)
    safe = ops.where(valid, ops.reshape(y_true, ops.shape(valid)),
                     ops.zeros_like(valid, dtype=ops.dtype(y_true)))
    losses = ops.sparse_categorical_crossentropy(
        safe, y_pred, from_logits=from_logits, axis=axis)
    return ops.where(valid, losses, ops.zeros_like(losses))


def valid_label_mask(y_true, y_pred, ignore_class):
    """Boolean mask, shaped like the per-sample losses, of labels that are
    not `ignore_class`."""
    shape = ops.shape(y_true)
    if len(shape) == len(ops.shape(y_pred)) and shape[-1] == 1:
        y_true = ops.squeeze(y_true, -1)
    return ops.not_equal(y_true, ignore_class)


# Keras 2 let a loss function take the model's symbolic tensors
# (`model.add_loss(binary_crossentropy(inputs, outputs))`): such a call is
# recorded as a graph node (lamina.ops.symbolic).
for _name in ("mean_squared_error", "mean_absolute_error",
              "mean_absolute_percentage_error",
              "mean_squared_logarithmic_error", "cosine_similarity", "huber",
              "log_cosh", "kl_divergence", "poisson", "hinge",
              "squared_hinge", "categorical_hinge", "binary_crossentropy",
              "binary_focal_crossentropy", "categorical_crossentropy",
              "categorical_focal_crossentropy",
              "sparse_categorical_crossentropy"):
    globals()[_name] = symbolic.symbolic_aware(globals()[_name])
del _name
