"""`AUC`: the area under the ROC or precision-recall curve, approximated
from confusion counts at fixed thresholds (a Riemann sum)."""

import numpy as np

from lamina import backend
from lamina.losses.loss import divide_no_nan
from lamina.metrics import metrics_utils as utils
from lamina.metrics.metric import Metric
from lamina.ops._bind import B

CURVES = {"roc": "ROC", "pr": "PR", "prgain": "PRGAIN"}
SUMMATION_METHODS = ("interpolation", "majoring", "minoring")


def _curve(curve):
    name = getattr(curve, "value", curve)  # also a Keras enum member
    if not isinstance(name, str) or name.lower() not in CURVES:
        raise ValueError(f"Invalid AUC curve value: {curve!r}. Expected "
                         "one of 'ROC', 'PR', 'PRGAIN'.")
    return CURVES[name.lower()]


def _summation(method):
    name = getattr(method, "value", method)
    if not isinstance(name, str) or name.lower() not in SUMMATION_METHODS:
        raise ValueError(f"Invalid AUC summation method value: {method!r}. "
                         "Expected one of 'interpolation', 'majoring', "
                         "'minoring'.")
    return name.lower()


class AUC(Metric):
    """Area under the ROC curve (default) or the precision-recall curve.

    Counts of true/false positives/negatives are kept at `num_thresholds`
    thresholds (evenly spaced, plus endpoints just below 0 and above 1);
    the curve through those points is integrated by a Riemann sum. For
    'PR' with 'interpolation', precision is interpolated between points as
    in Davis & Goadrich (2006), section 4, not linearly.

    Args:
        num_thresholds: how many thresholds (> 1), default 200.
        curve: 'ROC', 'PR', or 'PRGAIN' (precision-recall gain).
        summation_method: 'interpolation' (trapezoids; see above for PR),
            'minoring' (the lower of the two heights of each interval) or
            'majoring' (the higher).
        name: default 'auc'.
        dtype: the dtype of the state.
        thresholds: thresholds in [0, 1] to use instead of evenly spaced
            ones (then `num_thresholds` is `len(thresholds) + 2`).
        multi_label: with 2-D inputs `(batch, labels)`, compute one AUC per
            label and average them, instead of flattening.
        num_labels: the number of labels, with `multi_label`; if None the
            state is created at the first `update_state`.
        label_weights: weights of the labels: with `multi_label`, of the
            per-label AUCs in the average; otherwise of each label's
            predictions in the counts.
        from_logits: apply a sigmoid to `y_pred` first.

    Example:

    >>> m = AUC(num_thresholds=3)
    >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
    >>> float(m.result())
    0.75
    """

    _direction = "up"  # for callbacks' mode='auto'

    def __init__(self, num_thresholds=200, curve="ROC",
                 summation_method="interpolation", name=None, dtype=None,
                 thresholds=None, multi_label=False, num_labels=None,
                 label_weights=None, from_logits=False):
        self.curve = _curve(curve)
        self.summation_method = _summation(summation_method)
        self._init_from_thresholds = thresholds is not None
        if thresholds is not None:
            thresholds = sorted(utils.parse_init_thresholds(thresholds))
            self.num_thresholds = len(thresholds) + 2
            self._evenly = utils.is_evenly_distributed_thresholds(
                [0.0] + thresholds + [1.0])
        else:
            if num_thresholds <= 1:
                raise ValueError("Argument `num_thresholds` must be an "
                                 "integer > 1. Received: num_thresholds="
                                 f"{num_thresholds!r}")
            self.num_thresholds = int(num_thresholds)
            thresholds = [(i + 1) / (num_thresholds - 1)
                          for i in range(num_thresholds - 2)]
            self._evenly = True
        eps = backend.epsilon()
        # Endpoints outside [0, 1] so that scores of exactly 0 or 1 fall
        # strictly between two thresholds.
        self._thresholds = np.array([0.0 - eps] + thresholds + [1.0 + eps])
        super().__init__(name=name, dtype=dtype)
        self.multi_label = multi_label
        self.num_labels = num_labels
        self.label_weights = None
        self._label_weights = None
        if isinstance(label_weights, dict):  # Keras 3 saves a tensor so
            label_weights = label_weights.get("config", {}).get("value")
        if label_weights is not None:
            self.label_weights = [float(w) for w in np.asarray(
                label_weights, dtype="float64").reshape(-1)]
            self._label_weights = B.convert_to_tensor(
                np.asarray(self.label_weights), dtype=self.dtype)
        self._from_logits = from_logits
        self._built = False
        if multi_label:
            if num_labels:
                self._build((None, num_labels))
        else:
            if num_labels:
                raise ValueError("`num_labels` is needed only when "
                                 "`multi_label` is True.")
            self._build(None)

    @property
    def thresholds(self):
        """The thresholds, with the two endpoints."""
        return list(self._thresholds)

    def _build(self, shape):
        if self.multi_label:
            if len(shape) != 2:
                raise ValueError("`y_pred` must have rank 2 when "
                                 f"`multi_label=True`. Received shape "
                                 f"{tuple(shape)}.")
            self._num_labels = shape[1]
            variable_shape = (self.num_thresholds, self._num_labels)
        else:
            variable_shape = (self.num_thresholds,)
        for name in ("true_positives", "false_positives", "true_negatives",
                     "false_negatives"):
            setattr(self, name, self.add_variable(variable_shape, "zeros",
                                                  name=name))
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds one batch's counts at every threshold.

        Args:
            y_true: labels shaped like `y_pred`; nonzero is positive.
            y_pred: probabilities (or logits with `from_logits`).
            sample_weight: None, a scalar, `(batch,)` or `y_pred`'s shape.
        """
        y_pred = B.convert_to_tensor(y_pred)
        if not self._built:
            self._build(B.shape(y_pred))
        if self.label_weights is not None:
            labels = B.shape(y_pred)[-1] if B.shape(y_pred) else 1
            if labels != len(self.label_weights):
                raise ValueError(
                    f"`label_weights` has {len(self.label_weights)} values "
                    f"but `y_pred` of shape {B.shape(y_pred)} has {labels} "
                    "labels (last axis).")
        if self._from_logits:
            y_pred = B.sigmoid(B.cast(y_pred, self.dtype))
        utils.update_confusion_matrix_variables(
            {utils.TRUE_POSITIVES: self.true_positives,
             utils.TRUE_NEGATIVES: self.true_negatives,
             utils.FALSE_POSITIVES: self.false_positives,
             utils.FALSE_NEGATIVES: self.false_negatives},
            y_true, y_pred, self._thresholds, sample_weight=sample_weight,
            multi_label=self.multi_label,
            label_weights=None if self.multi_label else self._label_weights,
            thresholds_distributed_evenly=self._evenly)

    def _average(self, by_label):
        """The mean of per-label AUCs (weighted by `label_weights`)."""
        if self._label_weights is None:
            return B.mean(by_label)
        return divide_no_nan(B.sum(B.multiply(by_label,
                                              self._label_weights)),
                             B.sum(self._label_weights))

    def _reduce(self, terms):
        if self.multi_label:
            return self._average(B.sum(terms, axis=0))
        return B.sum(terms)

    def interpolate_pr_auc(self):
        """PR-AUC with precision interpolated as in Davis & Goadrich.

        Between two thresholds A and B the counts TP and P = TP + FP are
        taken as linear in each other: TP = intercept + slope * P. The
        precision TP / P integrated over recall = TP / (TP + FN) then gives,
        per interval, `slope * (dTP + intercept * log(P_A / P_B)) /
        (TP_B + FN_B)`; where P_B is 0 the log term is left out (constant
        precision over the first interval with positives).
        """
        tp = self.true_positives.value
        fn = self.false_negatives.value
        p = B.add(tp, self.false_positives.value)
        d_tp = B.subtract(tp[:-1], tp[1:])
        d_p = B.subtract(p[:-1], p[1:])
        slope = divide_no_nan(d_tp, B.maximum(d_p, 0.0))
        intercept = B.subtract(tp[1:], B.multiply(slope, p[1:]))
        both = B.logical_and(B.greater(p[:-1], 0), B.greater(p[1:], 0))
        ratio = B.where(both, divide_no_nan(p[:-1], B.maximum(p[1:], 0.0)),
                        B.ones_like(p[1:]))
        area = B.multiply(slope, B.add(d_tp, B.multiply(intercept,
                                                        B.log(ratio))))
        terms = divide_no_nan(area, B.maximum(B.add(tp[1:], fn[1:]), 0.0))
        return self._reduce(terms)

    def result(self):
        if not self._built:
            return B.zeros((), dtype=self.dtype)
        if self.curve == "PR" and self.summation_method == "interpolation":
            return self.interpolate_pr_auc()
        tp, fp = self.true_positives.value, self.false_positives.value
        tn, fn = self.true_negatives.value, self.false_negatives.value
        if self.curve == "ROC":
            x = divide_no_nan(fp, B.add(fp, tn))
            y = divide_no_nan(tp, B.add(tp, fn))
        elif self.curve == "PR":
            x = divide_no_nan(tp, B.add(tp, fn))
            y = divide_no_nan(tp, B.add(tp, fp))
        else:
            x, y = self._gains(tp, fp, tn, fn)
        if self.summation_method == "interpolation":
            heights = B.divide(B.add(y[:-1], y[1:]), 2.0)
        elif self.summation_method == "minoring":
            heights = B.minimum(y[:-1], y[1:])
        else:
            heights = B.maximum(y[:-1], y[1:])
        return self._reduce(B.multiply(B.subtract(x[:-1], x[1:]), heights))

    @staticmethod
    def _gains(tp, fp, tn, fn):
        """Recall gain and precision gain (Flach & Kull, 2015).

        Where there are no true positives recall gain is 0 and precision
        gain 1; negative recall gains are clipped to 0.
        """
        scale = divide_no_nan(B.add(tp, fn), B.add(tn, fp))
        recall_gain = 1.0 - B.multiply(scale, divide_no_nan(fn, tp))
        precision_gain = 1.0 - B.multiply(scale, divide_no_nan(fp, tp))
        none = B.equal(tp, 0.0)
        recall_gain = B.maximum(B.where(none, 0.0, recall_gain), 0.0)
        precision_gain = B.where(none, 1.0, precision_gain)
        return recall_gain, precision_gain

    def reset_state(self):
        if self._built:
            super().reset_state()

    def get_config(self):
        config = {**super().get_config(),
                  "num_thresholds": self.num_thresholds,
                  "curve": self.curve,
                  "summation_method": self.summation_method,
                  "multi_label": self.multi_label,
                  "num_labels": self.num_labels,
                  "label_weights": self.label_weights,
                  "from_logits": self._from_logits}
        if self._init_from_thresholds:
            # Without the endpoints, as they were given.
            config["thresholds"] = [float(t) for t in self._thresholds[1:-1]]
        return config
