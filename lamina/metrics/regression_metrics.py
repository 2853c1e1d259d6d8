"""Regression metrics: running means of per-sample errors."""

from lamina import ops
from lamina.losses import loss_functions
from lamina.losses.loss import float_tensor, squeeze_or_expand_to_same_rank
from lamina.metrics.reduction_metrics import Mean, MeanMetricWrapper


def cosine_similarity(y_true, y_pred, axis=-1):
    """Cosine similarity `sum(l2_norm(y_true) * l2_norm(y_pred))` along
    `axis` (positive: 1 means the same direction; the loss of this name is
    its negative)."""
    y_pred = float_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=ops.dtype(y_pred))
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return ops.sum(ops.normalize(y_true, axis=axis)
                   * ops.normalize(y_pred, axis=axis), axis=axis)


class MeanSquaredError(MeanMetricWrapper):
    """The mean of `mean(square(y_true - y_pred), axis=-1)`.

    Example:

    >>> m = MeanSquaredError()
    >>> m.update_state([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [0.0, 0.0]])
    >>> float(m.result())
    0.25
    """

    def __init__(self, name="mean_squared_error", dtype=None):
        super().__init__(loss_functions.mean_squared_error, name=name,
                         dtype=dtype)


class MeanAbsoluteError(MeanMetricWrapper):
    """The mean of `mean(abs(y_true - y_pred), axis=-1)`."""

    def __init__(self, name="mean_absolute_error", dtype=None):
        super().__init__(loss_functions.mean_absolute_error, name=name,
                         dtype=dtype)


class MeanAbsolutePercentageError(MeanMetricWrapper):
    """The mean of `100 * mean(abs((y_true - y_pred) / y_true), axis=-1)`."""

    def __init__(self, name="mean_absolute_percentage_error", dtype=None):
        super().__init__(loss_functions.mean_absolute_percentage_error,
                         name=name, dtype=dtype)


class MeanSquaredLogarithmicError(MeanMetricWrapper):
    """The mean of `mean(square(log(1 + y_true) - log(1 + y_pred)))`."""

    def __init__(self, name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(loss_functions.mean_squared_logarithmic_error,
                         name=name, dtype=dtype)


class RootMeanSquaredError(Mean):
    """`sqrt(mean(square(y_true - y_pred)))` over everything seen.

    Example:

    >>> m = RootMeanSquaredError()
    >>> m.update_state([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [0.0, 0.0]])
    >>> float(m.result())
    0.5
    """

    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = float_tensor(y_pred, self.dtype)
        y_true = ops.convert_to_tensor(y_true, dtype=self.dtype)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        super().update_state(ops.square(y_pred - y_true),
                             sample_weight=sample_weight)

    def result(self):
        return ops.sqrt(super().result())


class CosineSimilarity(MeanMetricWrapper):
    """The mean cosine similarity between labels and predictions.

    Args:
        name: default 'cosine_similarity'.
        dtype: the dtype of the state.
        axis: the axis along which the similarity is computed.
    """

    def __init__(self, name="cosine_similarity", dtype=None, axis=-1):
        super().__init__(cosine_similarity, name=name, dtype=dtype,
                         axis=axis)


class LogCoshError(MeanMetricWrapper):
    """The mean of `mean(log(cosh(y_pred - y_true)), axis=-1)`."""

    def __init__(self, name="logcosh", dtype=None):
        super().__init__(loss_functions.log_cosh, name=name, dtype=dtype)
