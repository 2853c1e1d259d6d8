"""`MonitorCallback`: the shared base of callbacks that watch one metric.

`EarlyStopping`, `ModelCheckpoint` and `ReduceLROnPlateau` compare a
logged quantity (`monitor`) with the best value seen so far. This module
decides whether that quantity should go down or up (`mode`) and what
counts as an improvement (`min_delta`).
"""

import math
import warnings

from lamina.callbacks.callback import Callback

_MODES = ("auto", "min", "max")

# Fragments of metric names that are maximized (accuracy, AUC, F-scores,
# IoU, R^2, ...) or minimized (errors and losses), for mode='auto'.
_UP = ("acc", "auc", "precision", "recall", "fmeasure", "f1_score",
       "fbeta", "iou", "r2_score", "cosine_similarity", "true_positives",
       "true_negatives", "sensitivity", "specificity")
_DOWN = ("loss", "error", "crossentropy", "hinge", "divergence", "poisson",
         "logcosh", "log_cosh", "mse", "mae", "mape", "msle",
         "false_positives", "false_negatives")


def check_mode(mode, owner):
    """`mode` if valid; else warns and returns 'auto', as Keras does."""
    if mode not in _MODES:
        warnings.warn(f"{owner} mode '{mode}' is unknown (expected one of "
                      f"{list(_MODES)}); falling back to 'auto' mode.",
                      stacklevel=3)
        return "auto"
    return mode


def infer_direction(monitor, model=None):
    """'min' or 'max' for the quantity `monitor`, or None if unknown.

    The model's own metric objects are asked first (a `_direction`
    attribute of 'up' or 'down', as in Keras 3); then the name decides:
    losses and errors go down, accuracies, AUC and F-scores go up.
    """
    name = monitor.removeprefix("val_")
    if name == "loss" or name.endswith("_loss"):
        return "min"
    for metric in getattr(model, "metrics", None) or []:
        direction = getattr(metric, "_direction", None)
        if getattr(metric, "name", None) == name and direction:
            return "max" if direction == "up" else "min"
    lowered = name.lower()
    if any(part in lowered for part in _UP):
        return "max"
    if any(part in lowered for part in _DOWN):
        return "min"
    return None


class MonitorCallback(Callback):
    """Base class: tracks the best value of `monitor` under `mode`.

    Subclasses call `self._is_improvement(current, reference)`; the
    direction is resolved at the first epoch end (when the model's
    metrics exist), from `mode` or, for 'auto', from the metric's name.

    Args:
        monitor: the key of the logged quantity, e.g. 'val_loss'.
        mode: 'auto', 'min' or 'max'.
        min_delta: the smallest change that counts as an improvement.
        default_mode: the direction to use in 'auto' mode when the name
            says nothing; None raises an error asking for `mode`.
    """

    def __init__(self, monitor="val_loss", mode="auto", min_delta=0,
                 default_mode=None):
        super().__init__()
        if not isinstance(monitor, str):
            raise TypeError(f"{type(self).__name__}: `monitor` must be the "
                            f"name of a logged quantity (a string), got "
                            f"{monitor!r}.")
        self.monitor = monitor
        self.mode = check_mode(mode, type(self).__name__)
        self.min_delta = abs(min_delta)
        self._default_mode = default_mode
        self._direction = None

    @property
    def direction(self):
        """'min' or 'max', resolved from `mode` and the monitored name."""
        if self._direction is None:
            self._direction = self._resolve_direction()
        return self._direction

    def _resolve_direction(self):
        if self.mode != "auto":
            return self.mode
        found = infer_direction(self.monitor, self.model)
        if found is None:
            found = self._default_mode
        if found is None:
            raise ValueError(
                f"{type(self).__name__} received monitor='{self.monitor}', "
                "and can't tell whether that quantity should be minimized "
                "or maximized. Pass mode='max' to track its highest value, "
                "or mode='min' to track its lowest.")
        return found

    def _initial_best(self):
        return math.inf if self.direction == "min" else -math.inf

    def _is_improvement(self, current, reference):
        """Whether `current` beats `reference` by more than `min_delta`."""
        if reference is None:
            return True
        if self.direction == "min":
            return current < reference - self.min_delta
        return current > reference + self.min_delta
