"""`BackupAndRestore`: resumes an interrupted `fit` where it stopped."""

import contextlib
import os
import warnings

from lamina.callbacks.callback import Callback
from lamina.distribute import _state as _distribute
from lamina.saving import archive
from lamina.saving import weights as weights_lib

_LATEST = "latest.weights.h5"
_PREVIOUS = "_latest.weights.h5"


class BackupAndRestore(Callback):
    """Backs up the training state, and restores it when `fit` restarts.

    At the end of every epoch (or every `save_freq` batches) the model's
    weights, the optimizer's state (its iteration count and slots, e.g.
    momentum or Adam's moments) and the epoch number are written to
    `backup_dir/latest.weights.h5`, in one file that is renamed into place
    once complete, so an interruption never leaves a half-written backup.
    When a later `fit` starts with a backup present, the state is loaded
    back and training resumes at the epoch after the last one backed up.
    When `fit` finishes, the backup is deleted (`delete_checkpoint`).
    Under data parallelism (`lamina.distribute`) rank 0 writes the backup;
    at the start of `fit` rank 0's restored state and epoch are sent to
    every rank, so only rank 0 needs to see `backup_dir`.

    With `save_freq` a number of batches, a backup made inside an epoch
    resumes at the start of that epoch (as Keras does): the batches of
    that epoch that ran before the backup run again.

    The model must be the one that was backed up (same layers, same
    optimizer); changing `compile` or `fit` arguments in between can make
    the backup invalid.

    Args:
        backup_dir: the directory for the backup; not to be shared with
            another run or another callback.
        save_freq: 'epoch', or an integer number of batches between
            backups.
        double_checkpoint: also keep the previous backup
            (`_latest.weights.h5`), used when the latest one can't be
            read.
        delete_checkpoint: delete the backup when `fit` finishes.

    Example:
        >>> import tempfile
        >>> backup = BackupAndRestore(tempfile.mkdtemp())
        >>> backup.save_freq
        'epoch'
    """

    def __init__(self, backup_dir, save_freq="epoch",
                 double_checkpoint=False, delete_checkpoint=True):
        super().__init__()
        if not backup_dir:
            raise ValueError(f"BackupAndRestore: `backup_dir` must be a "
                             f"directory path, got {backup_dir!r}.")
        try:
            self.backup_dir = os.fspath(backup_dir)
        except TypeError:
            raise TypeError(f"BackupAndRestore: `backup_dir` must be a "
                            f"string or path, got {backup_dir!r}.") from None
        if save_freq != "epoch" and (
                not isinstance(save_freq, int) or isinstance(save_freq, bool)
                or save_freq < 1):
            raise ValueError(f"BackupAndRestore: unrecognized save_freq "
                             f"{save_freq!r}; expected 'epoch' or a "
                             "positive integer number of batches.")
        self.save_freq = save_freq
        self.double_checkpoint = bool(double_checkpoint)
        self.delete_checkpoint = bool(delete_checkpoint)
        self._latest = os.path.join(self.backup_dir, _LATEST)
        self._previous = os.path.join(self.backup_dir, _PREVIOUS)
        self._current_epoch = 0
        self._batches_since_save = 0
        if save_freq != "epoch":
            # Registered on the instance so that fit only pays for a
            # per-batch hook when backing up per batch.
            self.on_train_batch_end = self._on_train_batch_end

    # -- restoring ----------------------------------------------------------
    def on_train_begin(self, logs=None):
        self._batches_since_save = 0
        candidates = [p for p in (self._latest, self._previous)
                      if os.path.exists(p)]
        if not candidates:
            return
        if not self.model.built:
            raise ValueError(
                "BackupAndRestore: the model must be built before fit "
                "restores a backup into it; call it on a batch of data "
                "or give it an input shape.")
        errors = []
        for path in candidates:
            try:
                epoch = self._restore(path)
            except (OSError, ValueError, KeyError) as error:
                errors.append(f"'{path}': {error}")
                continue
            if errors:
                warnings.warn("BackupAndRestore: the latest backup could "
                              f"not be read ({errors[0]}); restored the "
                              "previous one.", stacklevel=2)
                # Drop the unreadable file so that the next backup does
                # not keep it as the previous one.
                with contextlib.suppress(OSError):
                    os.remove(self._latest)
            self._current_epoch = epoch
            self.model._initial_epoch_override = epoch
            return
        raise ValueError("BackupAndRestore: no backup in "
                         f"'{self.backup_dir}' could be read:\n  "
                         + "\n  ".join(errors))

    def _restore(self, path):
        """Loads the state saved in `path`; returns the epoch to resume."""
        import h5py
        with h5py.File(path, "r") as f:
            if "epoch" not in f.attrs:
                raise ValueError("not a BackupAndRestore file (no 'epoch' "
                                 "attribute)")
            epoch = int(f.attrs["epoch"])
            optimizer = getattr(self.model, "optimizer", None)
            stored = "optimizer/vars" in f and len(f["optimizer/vars"])
            if optimizer is not None and stored and not optimizer.built:
                weights_lib.build_optimizer(self.model)
            weights_lib.read_weights(self.model, f)
        return epoch

    # -- backing up ---------------------------------------------------------
    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_epoch_end(self, epoch, logs=None):
        if self.save_freq == "epoch":
            self._save(epoch + 1)

    def _on_train_batch_end(self, batch, logs=None):
        self._batches_since_save += 1
        if self._batches_since_save >= self.save_freq:
            self._batches_since_save = 0
            self._save(self._current_epoch, batch + 1)

    def _save(self, epoch, batch=0):
        """Writes the state; `epoch` is where a restored run starts."""
        if not _distribute.is_chief():  # rank 0 writes; all ranks restore
            return
        import h5py
        os.makedirs(self.backup_dir, exist_ok=True)
        with archive.atomic_write(self._latest) as temp:
            with h5py.File(temp, "w") as f:
                weights_lib.write_weights(self.model, f)
                f.attrs["epoch"] = int(epoch)
                f.attrs["batch"] = int(batch)
            if self.double_checkpoint and os.path.exists(self._latest):
                # The new file is complete: keep the one it replaces.
                os.replace(self._latest, self._previous)

    # -- cleaning up --------------------------------------------------------
    def on_train_end(self, logs=None):
        if not self.delete_checkpoint or not _distribute.is_chief():
            return
        for path in (self._latest, self._previous):
            with contextlib.suppress(FileNotFoundError):
                os.remove(path)
        # Remove the directory only if the backup was all it held.
        with contextlib.suppress(OSError):
            os.rmdir(self.backup_dir)

    def get_config(self):
        return {"backup_dir": self.backup_dir, "save_freq": self.save_freq,
                "double_checkpoint": self.double_checkpoint,
                "delete_checkpoint": self.delete_checkpoint}
