"""`EarlyStopping`: stops `fit` when a monitored metric stops improving."""

import warnings

import numpy as np

from lamina.callbacks.monitor_callback import MonitorCallback


class EarlyStopping(MonitorCallback):
    """Stops training when `monitor` has not improved for `patience` epochs.

    At each epoch end the logged `monitor` value is compared with the best
    so far; an improvement is a change of more than `min_delta` in the
    right direction. After `patience` epochs without one, it sets
    `model.stop_training = True` and `fit` ends after that epoch.

    Args:
        monitor: the quantity to watch, e.g. 'val_loss' or 'accuracy'.
        min_delta: the smallest change that counts as an improvement.
        patience: epochs without improvement before training stops.
        verbose: 1 prints a message when training stops or weights are
            restored.
        mode: 'min', 'max', or 'auto' (losses and errors decrease;
            accuracy, AUC, F-scores increase; an unknown name is an error
            asking for `mode`).
        baseline: training stops if `monitor` does not beat this value
            within `patience` epochs.
        restore_best_weights: at the end of training, set the model's
            weights back to those of the best epoch.
        start_from_epoch: epochs to train before monitoring starts.

    Example:
        >>> callback = EarlyStopping(monitor="loss", patience=3)
        >>> callback.patience
        3
    """

    def __init__(self, monitor="val_loss", min_delta=0, patience=0,
                 verbose=0, mode="auto", baseline=None,
                 restore_best_weights=False, start_from_epoch=0):
        super().__init__(monitor, mode, min_delta)
        if int(patience) != patience or patience < 0:
            raise ValueError(f"EarlyStopping: `patience` must be an integer "
                             f">= 0, got {patience!r}.")
        self.patience = int(patience)
        self.verbose = verbose
        self.baseline = baseline
        self.restore_best_weights = bool(restore_best_weights)
        self.start_from_epoch = int(start_from_epoch)
        self._reset()

    def _reset(self):
        self.wait = 0
        self.stopped_epoch = 0
        self.best = None
        self.best_weights = None
        self.best_epoch = 0

    def on_train_begin(self, logs=None):
        self._reset()  # the same instance can serve several fits

    def on_epoch_end(self, epoch, logs=None):
        # Resolve now, so that an unknown name fails at the first epoch.
        _ = self.direction
        current = self.get_monitor_value(logs)
        if current is None or epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            self._remember_weights(epoch)
        self.wait += 1
        if self._is_improvement(current, self.best):
            self.best = current
            self.best_epoch = epoch
            if self.restore_best_weights:
                self._remember_weights(epoch)
            # The wait restarts only when the baseline is beaten too.
            if self.baseline is None or \
                    self._is_improvement(current, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose > 0:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print("Restoring model weights from the end of the best "
                      f"epoch: {self.best_epoch + 1}.")
            self.model.set_weights(self.best_weights)

    def _remember_weights(self, epoch):
        # Copies: a backend may hand out arrays that share memory with
        # weights the optimizer then updates in place.
        self.best_weights = [np.array(w, copy=True)
                             for w in self.model.get_weights()]
        self.best_epoch = epoch

    def get_monitor_value(self, logs):
        """The monitored value in `logs`, or None (with a warning)."""
        logs = logs or {}
        value = logs.get(self.monitor)
        if value is None:
            warnings.warn(
                f"Early stopping conditioned on metric `{self.monitor}` "
                "which is not available. Available metrics are: "
                f"{','.join(logs)}", stacklevel=2)
        return value

    def get_config(self):
        return {"monitor": self.monitor, "min_delta": self.min_delta,
                "patience": self.patience, "verbose": self.verbose,
                "mode": self.mode, "baseline": self.baseline,
                "restore_best_weights": self.restore_best_weights,
                "start_from_epoch": self.start_from_epoch}
