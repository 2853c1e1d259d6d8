"""`R2Score`: the coefficient of determination of a regression."""

from lamina.losses.loss import divide_no_nan, squeeze_or_expand_to_same_rank
from lamina.metrics import metrics_utils as utils
from lamina.metrics.metric import Metric
from lamina.ops._bind import B

CLASS_AGGREGATIONS = (None, "uniform_average", "variance_weighted_average")


class R2Score(Metric):
    """`R^2 = 1 - sum(w * (y - y_pred)^2) / sum(w * (y - mean_w(y))^2)`.

    Computed per output column from running sums (of `w`, `w * y`,
    `w * y^2` and the weighted squared residuals), so the result over
    several batches is the R^2 of all samples together. A column whose
    targets are constant gives 0 (or NaN if also predicted exactly), as
    in Keras; before any data the result is 0.

    Args:
        class_aggregation: how the per-column scores combine: None (one
            score per column), 'uniform_average' (their mean) or
            'variance_weighted_average' (weighted by each column's target
            variance).
        num_regressors: the number of independent variables `p` for the
            adjusted score `1 - (1 - R^2) * (n - 1) / (n - p - 1)`; 0 for
            the plain score. As in Keras, `n` counts every target value
            seen (samples times columns); where `n - p - 1 <= 0` the plain
            score is returned.
        name: default 'r2_score'.
        dtype: the dtype of the state.

    Example:

    >>> m = R2Score()
    >>> m.update_state([[1.0], [4.0], [3.0]], [[2.0], [4.0], [4.0]])
    >>> round(float(m.result()), 4)
    0.5714
    """

    _direction = "up"  # for callbacks' mode='auto'

    def __init__(self, class_aggregation="uniform_average", num_regressors=0,
                 name="r2_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        if class_aggregation not in CLASS_AGGREGATIONS:
            raise ValueError("Invalid value for argument `class_aggregation`."
                             f" Expected one of {CLASS_AGGREGATIONS}. "
                             f"Received: class_aggregation="
                             f"{class_aggregation!r}")
        if num_regressors < 0:
            raise ValueError("Invalid value for argument `num_regressors`. "
                             "Expected a value >= 0. Received: "
                             f"num_regressors={num_regressors!r}")
        self.class_aggregation = class_aggregation
        self.num_regressors = num_regressors
        self.num_samples = self.add_variable((), "zeros", name="num_samples")
        self._built = False

    def _build(self, y_true_shape, y_pred_shape):
        if len(y_pred_shape) != 2 or len(y_true_shape) != 2:
            raise ValueError("R2Score expects 2D inputs with shape "
                             "(batch_size, output_dim). Received input "
                             f"shapes: y_pred.shape={y_pred_shape} and "
                             f"y_true.shape={y_true_shape}.")
        columns = (y_pred_shape[-1],)
        self.squared_sum = self.add_variable(columns, "zeros",
                                             name="squared_sum")
        self.sum = self.add_variable(columns, "zeros", name="sum")
        self.total_mse = self.add_variable(columns, "zeros", name="residual")
        self.count = self.add_variable(columns, "zeros", name="count")
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds one batch to the running sums.

        Args:
            y_true: targets, `(batch, outputs)` (or `(batch,)` against
                `(batch, 1)` predictions).
            y_pred: predictions, the same shape.
            sample_weight: None, a scalar, `(batch,)` or `(batch, outputs)`.
        """
        y_true = B.convert_to_tensor(y_true, dtype=self.dtype)
        y_pred = B.convert_to_tensor(y_pred, dtype=self.dtype)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        if not self._built:
            self._build(B.shape(y_true), B.shape(y_pred))
        weight = utils.broadcast_weights(
            1.0 if sample_weight is None else sample_weight,
            B.shape(y_true), self.dtype)
        weighted = B.multiply(y_true, weight)
        residual = B.multiply(B.square(B.subtract(y_true, y_pred)), weight)
        for variable, values in ((self.sum, weighted),
                                 (self.squared_sum, B.multiply(y_true,
                                                               weighted)),
                                 (self.total_mse, residual),
                                 (self.count, weight)):
            variable.assign(B.add(variable.value, B.sum(values, axis=0)))
        size = 1
        for dim in B.shape(y_true):
            size *= dim
        self.num_samples.assign(B.add(self.num_samples.value, size))

    def result(self):
        if not self._built:
            return B.zeros((), dtype=self.dtype)
        total_sum, count = self.sum.value, self.count.value
        mean = divide_no_nan(total_sum, count)
        total = B.subtract(self.squared_sum.value,
                           B.multiply(total_sum, mean))
        residual = self.total_mse.value
        # Constant targets (total == 0) score 0, or NaN when also predicted
        # exactly (0 / 0), as in Keras; written without dividing by zero.
        constant = B.equal(total, 0.0)
        raw = 1.0 - B.divide(residual, B.where(constant, 1.0, total))
        raw = B.where(constant, B.where(B.equal(residual, 0.0),
                                        float("nan"), 0.0), raw)
        if self.class_aggregation == "uniform_average":
            score = B.mean(raw)
        elif self.class_aggregation == "variance_weighted_average":
            score = B.divide(B.sum(B.multiply(total, raw)), B.sum(total))
        else:
            score = raw
        if self.num_regressors:
            n = self.num_samples.value
            dof = B.subtract(n, float(self.num_regressors) + 1.0)
            valid = B.greater(dof, 0.0)
            adjusted = 1.0 - B.divide(
                B.multiply(1.0 - score, B.subtract(n, 1.0)),
                B.where(valid, dof, 1.0))
            score = B.where(valid, adjusted, score)
        # No data yet (e.g. just after a reset): 0, like the other metrics.
        return B.where(B.greater(B.sum(count), 0), score, 0.0)

    def get_config(self):
        return {**super().get_config(),
                "class_aggregation": self.class_aggregation,
                "num_regressors": self.num_regressors}
