"""`ModelCheckpoint`: saves the model or its weights during training."""

import os
import warnings

from lamina.callbacks.monitor_callback import MonitorCallback
from lamina.distribute import _state as _distribute
from lamina.utils.progbar import to_float


class ModelCheckpoint(MonitorCallback):
    """Saves the model (`model.save`) or its weights (`model.save_weights`)
    at the end of every epoch, or every `save_freq` batches.

    `filepath` may hold format fields filled from `epoch` (counted from 1),
    `batch` (from 1, when saving per batch) and the logs, e.g.
    `"ckpt-{epoch:02d}-{val_loss:.2f}.keras"`.

    Args:
        filepath: where to save: ending in `.weights.h5` when
            `save_weights_only=True`, else in `.keras` (or the legacy
            `.h5`).
        monitor: the quantity that decides which model is best.
        verbose: 1 prints a message each time it saves (or skips).
        save_best_only: save only when `monitor` improves on the best value
            so far (a fixed `filepath` then always holds the best model).
        save_weights_only: save the weights only.
        mode: 'min', 'max' or 'auto' (inferred from the name of
            `monitor`); used with `save_best_only`.
        save_freq: 'epoch', or an integer number of batches between saves.
        initial_value_threshold: with `save_best_only`, a model is saved
            only once `monitor` beats this value.

    Example:
        >>> ckpt = ModelCheckpoint("/tmp/ckpt-{epoch:02d}.weights.h5",
        ...                        save_weights_only=True)
        >>> ckpt._get_file_path(0, None, {})
        '/tmp/ckpt-01.weights.h5'
    """

    # Under data parallelism only rank 0 runs it (lamina.distribute).
    _chief_only = True

    def __init__(self, filepath, monitor="val_loss", verbose=0,
                 save_best_only=False, save_weights_only=False, mode="auto",
                 save_freq="epoch", initial_value_threshold=None):
        super().__init__(monitor, mode, min_delta=0)
        try:
            self.filepath = os.fspath(filepath)
        except TypeError:
            raise TypeError(f"ModelCheckpoint: `filepath` must be a string "
                            f"or path, got {filepath!r}.") from None
        self.verbose = verbose
        self.save_best_only = bool(save_best_only)
        self.save_weights_only = bool(save_weights_only)
        self.initial_value_threshold = initial_value_threshold
        self.best = initial_value_threshold
        if save_freq != "epoch" and (
                not isinstance(save_freq, int) or isinstance(save_freq, bool)
                or save_freq < 1):
            raise ValueError(f"ModelCheckpoint: unrecognized save_freq "
                             f"{save_freq!r}; expected 'epoch' or a "
                             "positive integer number of batches.")
        self.save_freq = save_freq
        if self.save_weights_only:
            if not self.filepath.endswith(".weights.h5"):
                raise ValueError(
                    "When using `save_weights_only=True` in "
                    "`ModelCheckpoint`, the filepath provided must end in "
                    "`.weights.h5` (Keras weights format). Received: "
                    f"filepath={self.filepath}")
        elif not self.filepath.endswith((".keras", ".h5")):
            raise ValueError(
                "The filepath provided must end in `.keras` (Keras model "
                f"format). Received: filepath={self.filepath}")
        self._batches_since_save = 0
        self._last_batch_seen = 0
        self._current_epoch = 0
        if save_freq != "epoch":
            # Registered on the instance so that fit only pays for a
            # per-batch hook when saving per batch.
            self.on_train_batch_end = self._on_train_batch_end

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_epoch_end(self, epoch, logs=None):
        if self.save_freq == "epoch":
            self._save_model(epoch, None, logs)

    def _on_train_batch_end(self, batch, logs=None):
        if self._should_save_on_batch(batch):
            logs = {k: to_float(v) for k, v in (logs or {}).items()}
            self._save_model(self._current_epoch, batch, logs)

    def _should_save_on_batch(self, batch):
        if batch <= self._last_batch_seen:  # a new epoch began
            seen = batch + 1
        else:
            seen = batch - self._last_batch_seen
        self._batches_since_save += seen
        self._last_batch_seen = batch
        if self._batches_since_save >= self.save_freq:
            self._batches_since_save = 0
            return True
        return False

    def _should_save(self, epoch, logs, filepath):
        if not self.save_best_only:
            if self.verbose > 0:
                print(f"Epoch {epoch + 1}: saving model to {filepath}")
            return True
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(f"Can save best model only with {self.monitor} "
                          "available; saving anyway. Available metrics are: "
                          f"{','.join(logs)}", stacklevel=3)
            return True
        best = "None" if self.best is None else f"{self.best:.5f}"
        if self._is_improvement(current, self.best):
            if self.verbose > 0:
                print(f"Epoch {epoch + 1}: {self.monitor} improved from "
                      f"{best} to {current:.5f}, saving model to "
                      f"{filepath}")
            self.best = current
            return True
        if self.verbose > 0:
            print(f"Epoch {epoch + 1}: {self.monitor} did not improve "
                  f"from {best}")
        return False

    def _save_model(self, epoch, batch, logs):
        logs = logs or {}
        filepath = self._get_file_path(epoch, batch, logs)
        if not self._should_save(epoch, logs, filepath):
            return
        if os.path.isdir(filepath):
            raise OSError("Please specify a non-directory filepath for "
                          "ModelCheckpoint. Filepath used is an existing "
                          f"directory: {filepath}")
        dirname = os.path.dirname(filepath)
        if dirname:
            os.makedirs(dirname, exist_ok=True)
        with _distribute.chief_alone():  # (the other ranks don't save)
            if self.save_weights_only:
                self.model.save_weights(filepath, overwrite=True)
            else:
                self.model.save(filepath, overwrite=True)

    def _get_file_path(self, epoch, batch, logs):
        """`filepath` with its format fields filled in."""
        fields = dict(logs)
        fields["epoch"] = epoch + 1
        if batch is not None and "batch" not in logs:
            fields["batch"] = batch + 1
        try:
            return self.filepath.format(**fields)
        except KeyError as e:
            raise KeyError(
                f'Failed to format this callback filepath: "{self.filepath}"'
                f". Reason: no value for {e}; the available fields are "
                f"{sorted(fields)}.") from None

    def get_config(self):
        return {"filepath": self.filepath, "monitor": self.monitor,
                "verbose": self.verbose,
                "save_best_only": self.save_best_only,
                "save_weights_only": self.save_weights_only,
                "mode": self.mode, "save_freq": self.save_freq,
                "initial_value_threshold": self.initial_value_threshold}
