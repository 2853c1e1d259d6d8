"""`FBetaScore` and `F1Score`: the harmonic means of precision and recall
for multi-class and multi-label classification."""

from lamina import backend
from lamina.metrics import metrics_utils as utils
from lamina.metrics.metric import Metric
from lamina.ops._bind import B

AVERAGES = (None, "micro", "macro", "weighted")


def _positive_float(name, value, upper=None):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        # ValueError, not TypeError: Keras raises ValueError here.
        raise ValueError(  # noqa: TRY004
            f"Invalid `{name}` argument value. It should be a Python float."
            f" Received: {name}={value!r} of type "
            f"{type(value).__name__!r}.")
    if value <= 0 or (upper is not None and value > upper):
        bound = f"0 < {name} <= {upper}" if upper else f"{name} > 0"
        raise ValueError(f"Invalid `{name}` argument value. It should "
                         f"verify {bound}. Received: {name}={value!r}.")
    return float(value)


class FBetaScore(Metric):
    """The F-beta score: `(1 + beta^2) * P * R / (beta^2 * P + R)`.

    Inputs are `(batch, classes)`: one-hot or multi-hot labels, and scores.
    Per class it counts (weighted) true positives, false positives, false
    negatives and positive labels, and reports the score per class or an
    average of them.

    Args:
        average: None (one score per class), 'micro' (from counts summed
            over the classes), 'macro' (the mean of the class scores) or
            'weighted' (their mean weighted by each class's positive labels).
        beta: the weight of recall relative to precision, > 0.
        threshold: scores above it are positive predictions; None takes the
            highest score of each row (ties included, all-zero rows none).
        name: default 'fbeta_score'.
        dtype: the dtype of the state.

    Example:

    >>> m = FBetaScore(beta=2.0, threshold=0.5)
    >>> m.update_state([[0, 1], [1, 0]], [[0.2, 0.8], [0.4, 0.6]])
    >>> [round(v, 3) for v in B.convert_to_numpy(m.result()).tolist()]
    [0.0, 0.833]
    """

    _direction = "up"  # for callbacks' mode='auto'

    def __init__(self, average=None, beta=1.0, threshold=None,
                 name="fbeta_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        if average not in AVERAGES:
            raise ValueError("Invalid `average` argument value. Expected one "
                             "of: None, 'micro', 'macro', 'weighted'. "
                             f"Received: average={average!r}")
        self.average = average
        self.beta = _positive_float("beta", beta)
        self.threshold = None if threshold is None else _positive_float(
            "threshold", threshold, upper=1.0)
        self.axis = None if average == "micro" else 0
        self._built = False

    def _build(self, y_true_shape, y_pred_shape):
        if len(y_pred_shape) != 2 or len(y_true_shape) != 2:
            raise ValueError(f"{type(self).__name__} expects 2D inputs with "
                             "shape (batch_size, output_dim). Received "
                             f"input shapes: y_pred.shape={y_pred_shape} and "
                             f"y_true.shape={y_true_shape}.")
        shape = () if self.average == "micro" else (y_pred_shape[-1],)
        for name in ("true_positives", "false_positives", "false_negatives",
                     "intermediate_weights"):
            setattr(self, name, self.add_variable(shape, "zeros", name=name))
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds one batch's per-class counts.

        Args:
            y_true: one-hot or multi-hot labels, `(batch, classes)`.
            y_pred: scores, `(batch, classes)`.
            sample_weight: None, a scalar, `(batch,)` or `(batch, classes)`.
        """
        y_true = B.convert_to_tensor(y_true, dtype=self.dtype)
        y_pred = B.convert_to_tensor(y_pred, dtype=self.dtype)
        if not self._built:
            self._build(B.shape(y_true), B.shape(y_pred))
        if self.threshold is None:
            top = B.max(y_pred, axis=-1, keepdims=True)
            # abs > tiny, so that an all-zero row predicts nothing.
            predicted = B.logical_and(B.greater_equal(y_pred, top),
                                      B.greater(B.abs(y_pred), 1e-9))
        else:
            predicted = B.greater(y_pred, self.threshold)
        y_pred = B.cast(predicted, self.dtype)
        weight = None
        if sample_weight is not None:
            weight = utils.broadcast_weights(sample_weight, B.shape(y_true),
                                             self.dtype)

        def weighted_sum(values):
            if weight is not None:
                values = B.multiply(values, weight)
            return B.sum(values, axis=self.axis)

        missed = 1.0 - y_pred
        for variable, values in (
                (self.true_positives, B.multiply(y_pred, y_true)),
                (self.false_positives, B.multiply(y_pred, 1.0 - y_true)),
                (self.false_negatives, B.multiply(missed, y_true)),
                (self.intermediate_weights, y_true)):
            variable.assign(B.add(variable.value, weighted_sum(values)))

    def result(self):
        if not self._built:
            return B.zeros((), dtype=self.dtype)
        eps = backend.epsilon()
        tp = self.true_positives.value
        precision = B.divide(tp, B.add(B.add(tp, self.false_positives.value),
                                       eps))
        recall = B.divide(tp, B.add(B.add(tp, self.false_negatives.value),
                                    eps))
        beta2 = self.beta ** 2
        score = B.multiply(B.divide(
            B.multiply(precision, recall),
            B.add(B.add(B.multiply(beta2, precision), recall), eps)),
            1.0 + beta2)
        if self.average == "weighted":
            support = self.intermediate_weights.value
            weights = B.divide(support, B.add(B.sum(support), eps))
            return B.sum(B.multiply(score, weights))
        if self.average is not None:
            return B.mean(score)
        return score

    def get_config(self):
        return {**super().get_config(), "average": self.average,
                "beta": self.beta, "threshold": self.threshold}


class F1Score(FBetaScore):
    """The F1 score, `2 * P * R / (P + R)`: `FBetaScore` with `beta=1`.

    Args:
        average: None, 'micro', 'macro' or 'weighted' (see `FBetaScore`).
        threshold: scores above it are positive; None takes each row's
            highest score.
        name: default 'f1_score'.
        dtype: the dtype of the state.

    Example:

    >>> m = F1Score(average="micro", threshold=0.5)
    >>> m.update_state([[0, 1], [1, 0]], [[0.2, 0.8], [0.4, 0.6]])
    >>> round(float(m.result()), 3)
    0.5
    """

    def __init__(self, average=None, threshold=None, name="f1_score",
                 dtype=None):
        super().__init__(average=average, beta=1.0, threshold=threshold,
                         name=name, dtype=dtype)

    def get_config(self):
        config = super().get_config()
        del config["beta"]
        return config
