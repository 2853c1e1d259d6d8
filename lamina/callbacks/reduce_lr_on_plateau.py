"""`ReduceLROnPlateau`: lowers the learning rate when a metric stalls."""

import warnings

import numpy as np

from lamina.callbacks import _learning_rate
from lamina.callbacks.monitor_callback import MonitorCallback
from lamina.legacy.arguments import warn_once


class ReduceLROnPlateau(MonitorCallback):
    """Multiplies the learning rate by `factor` when `monitor` has not
    improved for `patience` epochs.

    It also adds the current rate to the epoch logs as 'learning_rate'
    (so `History` and `CSVLogger` record it), as Keras 3 does.

    Args:
        monitor: the quantity to watch.
        factor: the rate is multiplied by this (below 1).
        patience: epochs without improvement before the rate is lowered.
        verbose: 1 prints a message when the rate is lowered.
        mode: 'min', 'max' or 'auto' (inferred from the name of
            `monitor`; unknown names are minimized).
        min_delta: the smallest change that counts as an improvement.
        cooldown: epochs to wait after a reduction before counting again.
        min_lr: the rate is never lowered below this.
        **kwargs: the Keras 2 spelling `epsilon` (= `min_delta`, warns).

    Example:
        >>> reduce_lr = ReduceLROnPlateau(factor=0.2, patience=5)
        >>> reduce_lr.factor
        0.2
    """

    def __init__(self, monitor="val_loss", factor=0.1, patience=10,
                 verbose=0, mode="auto", min_delta=1e-4, cooldown=0,
                 min_lr=0.0, **kwargs):
        if "epsilon" in kwargs:
            min_delta = kwargs.pop("epsilon")
            warn_once("ReduceLROnPlateau-epsilon", "ReduceLROnPlateau("
                      "epsilon=...) is the Keras 2 spelling; write "
                      f"ReduceLROnPlateau(min_delta={min_delta!r}).")
        if kwargs:
            raise TypeError(f"ReduceLROnPlateau: unrecognized arguments "
                            f"{sorted(kwargs)}.")
        super().__init__(monitor, mode, min_delta, default_mode="min")
        if factor >= 1.0:
            raise ValueError("ReduceLROnPlateau does not support a factor "
                             f">= 1.0. Received factor={factor}")
        self.factor = factor
        self.patience = patience
        self.verbose = verbose
        self.cooldown = cooldown
        self.min_lr = min_lr
        self._reset()

    def _reset(self):
        self.cooldown_counter = 0
        self.wait = 0
        self.best = None

    def on_train_begin(self, logs=None):
        self._reset()

    def in_cooldown(self):
        return self.cooldown_counter > 0

    def on_epoch_end(self, epoch, logs=None):
        logs = logs if logs is not None else {}
        logs["learning_rate"] = _learning_rate.get_learning_rate(self)
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(
                "Learning rate reduction is conditioned on metric "
                f"`{self.monitor}` which is not available. Available "
                f"metrics are: {','.join(logs)}.", stacklevel=2)
            return
        if self.best is None:
            self.best = self._initial_best()
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if self._is_improvement(current, self.best):
            self.best = current
            self.wait = 0
        elif not self.in_cooldown():
            self.wait += 1
            if self.wait >= self.patience:
                self._reduce(epoch, logs["learning_rate"])

    def _reduce(self, epoch, old_lr):
        # The rate is stored in float32: compare in float32 so that a rate
        # already at `min_lr` is not "reduced" to itself forever.
        if not old_lr > np.float32(self.min_lr):
            return
        new_lr = max(old_lr * self.factor, self.min_lr)
        _learning_rate.set_learning_rate(self, new_lr)
        if self.verbose > 0:
            print(f"Epoch {epoch + 1}: ReduceLROnPlateau reducing learning "
                  f"rate to {new_lr}.")
        self.cooldown_counter = self.cooldown
        self.wait = 0

    def get_config(self):
        return {"monitor": self.monitor, "factor": self.factor,
                "patience": self.patience, "verbose": self.verbose,
                "mode": self.mode, "min_delta": self.min_delta,
                "cooldown": self.cooldown, "min_lr": self.min_lr}
