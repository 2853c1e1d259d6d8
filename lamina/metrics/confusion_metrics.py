"""Thresholded confusion-matrix metrics: counts, precision, recall, and the
"X at fixed Y" metrics.

Each metric keeps (weighted) counts of true/false positives/negatives per
threshold; a prediction is positive at threshold `t` when `y_pred > t` and
a label is positive when nonzero. Counts of every threshold are updated
in one vectorized step (see `metrics_utils`).
"""

from lamina.losses.loss import divide_no_nan
from lamina.metrics import metrics_utils as utils
from lamina.metrics.metric import Metric
from lamina.ops._bind import B


def _copy(x):
    # On torch a variable's tensor changes in place; a result handed to the
    # logs must not change under the next `update_state`.
    return B.multiply(x, 1)


class _ConfusionMatrixConditionCount(Metric):
    """The (weighted) count of one confusion-matrix cell per threshold."""

    _condition = None

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.thresholds = utils.parse_init_thresholds(thresholds, 0.5)
        self._evenly = utils.is_evenly_distributed_thresholds(
            self.thresholds)
        self.accumulator = self.add_variable(
            (len(self.thresholds),), "zeros", name="accumulator")

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds one batch's counts.

        Args:
            y_true: labels, shaped like `y_pred`; nonzero is positive.
            y_pred: scores.
            sample_weight: None, a scalar, `(batch,)` or `y_pred`'s shape.
        """
        utils.update_confusion_matrix_variables(
            {self._condition: self.accumulator}, y_true, y_pred,
            self.thresholds, sample_weight=sample_weight,
            thresholds_distributed_evenly=self._evenly)

    def result(self):
        """A scalar for one threshold, else one count per threshold."""
        if len(self.thresholds) == 1:
            return _copy(self.accumulator.value[0])
        return _copy(self.accumulator.value)

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds}


class TruePositives(_ConfusionMatrixConditionCount):
    """The (weighted) number of true positives.

    Args:
        thresholds: a float or a list of floats in [0, 1] (default 0.5);
            a prediction above a threshold is positive. A list gives one
            count per threshold. Use 0 for logits.
        name: default 'true_positives'.
        dtype: the dtype of the state.

    Example:

    >>> m = TruePositives()
    >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    >>> float(m.result())
    2.0
    """

    _condition = utils.TRUE_POSITIVES


class FalsePositives(_ConfusionMatrixConditionCount):
    """The (weighted) number of false positives.

    Args: as `TruePositives` (default name 'false_positives').

    Example:

    >>> m = FalsePositives()
    >>> m.update_state([0, 1, 0, 0], [0, 0, 1, 1])
    >>> float(m.result())
    2.0
    """

    _condition = utils.FALSE_POSITIVES


class TrueNegatives(_ConfusionMatrixConditionCount):
    """The (weighted) number of true negatives.

    Args: as `TruePositives` (default name 'true_negatives').
    """

    _condition = utils.TRUE_NEGATIVES


class FalseNegatives(_ConfusionMatrixConditionCount):
    """The (weighted) number of false negatives.

    Args: as `TruePositives` (default name 'false_negatives').
    """

    _condition = utils.FALSE_NEGATIVES


class _PrecisionRecallBase(Metric):
    """State and update shared by `Precision` and `Recall`."""

    _direction = "up"  # for callbacks' mode='auto'
    _second = None  # 'fp' for precision, 'fn' for recall

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None,
                 dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        default = 0.5 if top_k is None else utils.NEG_INF
        self.thresholds = utils.parse_init_thresholds(thresholds, default)
        self._evenly = utils.is_evenly_distributed_thresholds(
            self.thresholds)
        shape = (len(self.thresholds),)
        self.true_positives = self.add_variable(shape, "zeros",
                                                name="true_positives")
        self._second_name = {"fp": "false_positives",
                             "fn": "false_negatives"}[self._second]
        setattr(self, self._second_name, self.add_variable(
            shape, "zeros", name=self._second_name))

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds one batch's counts (see the class docstring)."""
        utils.update_confusion_matrix_variables(
            {utils.TRUE_POSITIVES: self.true_positives,
             self._second: getattr(self, self._second_name)},
            y_true, y_pred, self.thresholds, top_k=self.top_k,
            class_id=self.class_id, sample_weight=sample_weight,
            thresholds_distributed_evenly=self._evenly)

    def result(self):
        tp = self.true_positives.value
        second = getattr(self, self._second_name).value
        out = divide_no_nan(tp, B.add(tp, second))
        return out[0] if len(self.thresholds) == 1 else out

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds,
                "top_k": self.top_k, "class_id": self.class_id}


class Precision(_PrecisionRecallBase):
    """The share of positive predictions whose label is positive:
    `tp / (tp + fp)`.

    Args:
        thresholds: a float or list of floats in [0, 1]; default 0.5, or,
            with `top_k`, "every kept score". A list gives one value per
            threshold.
        top_k: count only the `k` highest scores of each sample as
            predicted positive.
        class_id: only this class (index of the last axis) counts.
        name: default 'precision'.
        dtype: the dtype of the state.

    Example:

    >>> m = Precision()
    >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    >>> round(float(m.result()), 4)
    0.6667
    """

    _second = utils.FALSE_POSITIVES


class Recall(_PrecisionRecallBase):
    """The share of positive labels predicted positive: `tp / (tp + fn)`.

    Args: as `Precision` (default name 'recall').

    Example:

    >>> m = Recall()
    >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    >>> round(float(m.result()), 4)
    0.6667
    """

    _second = utils.FALSE_NEGATIVES


class SensitivitySpecificityBase(Metric):
    """Base of the metrics that maximize one rate subject to another.

    Keeps tp/fp/tn/fn at `num_thresholds` evenly spaced thresholds on
    [0, 1] (0.5 alone when `num_thresholds=1`).

    Args:
        value: the bound on the constrained rate, in [0, 1].
        num_thresholds: how many thresholds (> 0).
        class_id: only this class (index of the last axis) counts.
        name: the metric's name.
        dtype: the dtype of the state.
    """

    _direction = "up"

    def __init__(self, value, num_thresholds=200, class_id=None, name=None,
                 dtype=None):
        super().__init__(name=name, dtype=dtype)
        if num_thresholds <= 0:
            raise ValueError("Argument `num_thresholds` must be an integer "
                             f"> 0. Received: num_thresholds="
                             f"{num_thresholds!r}")
        self.value = value
        self.class_id = class_id
        if num_thresholds == 1:
            self.thresholds = [0.5]
        else:
            self.thresholds = [i / (num_thresholds - 1)
                               for i in range(num_thresholds)]
        self._evenly = num_thresholds > 1
        shape = (len(self.thresholds),)
        for name_ in ("true_positives", "false_positives", "true_negatives",
                      "false_negatives"):
            setattr(self, name_, self.add_variable(shape, "zeros",
                                                   name=name_))

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds one batch's counts at every threshold."""
        utils.update_confusion_matrix_variables(
            {utils.TRUE_POSITIVES: self.true_positives,
             utils.TRUE_NEGATIVES: self.true_negatives,
             utils.FALSE_POSITIVES: self.false_positives,
             utils.FALSE_NEGATIVES: self.false_negatives},
            y_true, y_pred, self.thresholds, class_id=self.class_id,
            sample_weight=sample_weight,
            thresholds_distributed_evenly=self._evenly)

    def _rates(self):
        tp, fp = self.true_positives.value, self.false_positives.value
        tn, fn = self.true_negatives.value, self.false_negatives.value
        return {"sensitivity": divide_no_nan(tp, B.add(tp, fn)),
                "specificity": divide_no_nan(tn, B.add(tn, fp)),
                "precision": divide_no_nan(tp, B.add(tp, fp))}

    def _best(self, constrained, dependent):
        """The largest `dependent` rate over the thresholds where the
        `constrained` rate is at least `value` (0 if there are none)."""
        rates = self._rates()
        feasible = B.greater_equal(rates[constrained], self.value)
        # The rates are >= 0, so 0 where nothing is feasible.
        return B.max(B.where(feasible, rates[dependent], 0.0))

    def get_config(self):
        return {**super().get_config(), "class_id": self.class_id}


def _check_rate(name, value):
    if not 0 <= value <= 1:
        raise ValueError(f"Argument `{name}` must be in the range [0, 1]. "
                         f"Received: {name}={value!r}")


class SensitivityAtSpecificity(SensitivitySpecificityBase):
    """The best sensitivity (recall) at specificity >= `specificity`.

    Args:
        specificity: the bound, in [0, 1].
        num_thresholds: how many thresholds to try (default 200).
        class_id: only this class counts.
        name: default 'sensitivity_at_specificity'.
        dtype: the dtype of the state.

    Example:

    >>> m = SensitivityAtSpecificity(0.5)
    >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
    >>> float(m.result())
    0.5
    """

    def __init__(self, specificity, num_thresholds=200, class_id=None,
                 name=None, dtype=None):
        _check_rate("specificity", specificity)
        self.specificity = specificity
        self.num_thresholds = num_thresholds
        super().__init__(specificity, num_thresholds, class_id, name, dtype)

    def result(self):
        return self._best("specificity", "sensitivity")

    def get_config(self):
        return {**super().get_config(), "num_thresholds": self.num_thresholds,
                "specificity": self.specificity}


class SpecificityAtSensitivity(SensitivitySpecificityBase):
    """The best specificity at sensitivity (recall) >= `sensitivity`.

    Args: as `SensitivityAtSpecificity`, with `sensitivity` the bound.

    Example:

    >>> m = SpecificityAtSensitivity(0.5)
    >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
    >>> round(float(m.result()), 4)
    0.6667
    """

    def __init__(self, sensitivity, num_thresholds=200, class_id=None,
                 name=None, dtype=None):
        _check_rate("sensitivity", sensitivity)
        self.sensitivity = sensitivity
        self.num_thresholds = num_thresholds
        super().__init__(sensitivity, num_thresholds, class_id, name, dtype)

    def result(self):
        return self._best("sensitivity", "specificity")

    def get_config(self):
        return {**super().get_config(), "num_thresholds": self.num_thresholds,
                "sensitivity": self.sensitivity}


class PrecisionAtRecall(SensitivitySpecificityBase):
    """The best precision at recall >= `recall`.

    Args: as `SensitivityAtSpecificity`, with `recall` the bound.

    Example:

    >>> m = PrecisionAtRecall(0.5)
    >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
    >>> float(m.result())
    0.5
    """

    def __init__(self, recall, num_thresholds=200, class_id=None, name=None,
                 dtype=None):
        _check_rate("recall", recall)
        self.recall = recall
        self.num_thresholds = num_thresholds
        super().__init__(recall, num_thresholds, class_id, name, dtype)

    def result(self):
        return self._best("sensitivity", "precision")

    def get_config(self):
        return {**super().get_config(), "num_thresholds": self.num_thresholds,
                "recall": self.recall}


class RecallAtPrecision(SensitivitySpecificityBase):
    """The best recall at precision >= `precision` (0 if never reached).

    Args: as `SensitivityAtSpecificity`, with `precision` the bound.

    Example:

    >>> m = RecallAtPrecision(0.8)
    >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
    >>> float(m.result())
    0.5
    """

    def __init__(self, precision, num_thresholds=200, class_id=None,
                 name=None, dtype=None):
        _check_rate("precision", precision)
        self.precision = precision
        self.num_thresholds = num_thresholds
        super().__init__(precision, num_thresholds, class_id, name, dtype)

    def result(self):
        return self._best("precision", "sensitivity")

    def get_config(self):
        return {**super().get_config(), "num_thresholds": self.num_thresholds,
                "precision": self.precision}
