"""Tests for `BackupAndRestore` (lamina/callbacks/backup_and_restore.py).

The reference for a resumed run is the same training run without the
interruption: same initial weights, same data order (shuffle=False), and
a fresh optimizer of the same kind.
"""

import os

import h5py
import numpy as np
import pytest

import lamina
from lamina import callbacks
from lamina.saving import config as saving
from lamina.saving import weights as weights_lib

OPTIMIZERS = {
    "sgd_momentum": lambda: lamina.optimizers.SGD(0.05, momentum=0.9),
    "adam": lambda: lamina.optimizers.Adam(0.01),
}


def _model(optimizer, seed):
    lamina.utils.set_random_seed(seed)
    model = lamina.Sequential([lamina.Input((3,)),
                               lamina.layers.Dense(4, activation="tanh"),
                               lamina.layers.Dense(1)])
    model.compile(OPTIMIZERS[optimizer](), "mse")
    return model


class _Interrupt(callbacks.Callback):
    """Raises at the beginning of `epoch`, as a kill would stop the run."""

    def __init__(self, epoch):
        super().__init__()
        self.epoch = epoch

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == self.epoch:
            raise RuntimeError("interrupted")


class _Epochs(callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.seen = []

    def on_epoch_begin(self, epoch, logs=None):
        self.seen.append(epoch)


def _fit(model, data, epochs, cbs):
    x, y = data
    return model.fit(x, y, epochs=epochs, batch_size=8, shuffle=False,
                     verbose=0, callbacks=cbs)


def _state(model):
    return ([w.numpy() for w in model.weights],
            [v.numpy() for v in model.optimizer.variables])


def _assert_same_state(actual, expected):
    for a, e in zip(actual[0] + actual[1], expected[0] + expected[1]):
        np.testing.assert_allclose(a, e, rtol=1e-6, atol=1e-6)
    assert len(actual[1]) == len(expected[1])


def _backup_epoch(path):
    with h5py.File(path, "r") as f:
        return int(f.attrs["epoch"]), int(f.attrs["batch"])


@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
def test_resumed_run_equals_uninterrupted(data, tmp_path, optimizer):
    initial = _model(optimizer, 1).get_weights()
    reference = _model(optimizer, 1)
    reference.set_weights(initial)
    expected = _fit(reference, data, 6, [])

    backup_dir = tmp_path / "backup"
    backup = callbacks.BackupAndRestore(backup_dir)
    first = _model(optimizer, 1)
    first.set_weights(initial)
    with pytest.raises(RuntimeError, match="interrupted"):
        _fit(first, data, 6, [backup, _Interrupt(3)])
    assert _backup_epoch(backup_dir / "latest.weights.h5") == (3, 0)

    # A new process: a fresh model with other weights and a new optimizer.
    resumed = _model(optimizer, 2)
    resumed.set_weights([0.5 - w for w in initial])
    epochs = _Epochs()
    history = _fit(resumed, data, 6, [backup, epochs])
    assert epochs.seen == [3, 4, 5]
    np.testing.assert_allclose(history.history["loss"],
                               expected.history["loss"][3:], rtol=1e-5)
    _assert_same_state(_state(resumed), _state(reference))
    assert int(resumed.optimizer.iterations.numpy()) == 6 * 4
    assert not backup_dir.exists()  # deleted when training finished


def test_same_model_resumes_as_in_keras_example(data, tmp_path):
    model = _model("sgd_momentum", 0)
    backup = callbacks.BackupAndRestore(tmp_path / "b")
    with pytest.raises(RuntimeError):
        _fit(model, data, 10, [backup, _Interrupt(4)])
    history = _fit(model, data, 10, [backup])
    assert len(history.history["loss"]) == 6


def test_no_backup_trains_from_the_start(data, tmp_path):
    epochs = _Epochs()
    backup = callbacks.BackupAndRestore(tmp_path / "b",
                                        delete_checkpoint=False)
    _fit(_model("adam", 0), data, 2, [backup, epochs])
    assert epochs.seen == [0, 1]
    # Kept: it holds the end of training.
    assert _backup_epoch(tmp_path / "b" / "latest.weights.h5") == (2, 0)
    assert os.listdir(tmp_path / "b") == ["latest.weights.h5"]


def test_delete_keeps_other_files(data, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    _fit(_model("adam", 0), data, 1,
         [callbacks.BackupAndRestore(tmp_path)])
    assert os.listdir(tmp_path) == ["notes.txt"]


def test_backup_every_n_batches(data, tmp_path):
    model = _model("sgd_momentum", 0)
    seen = []
    spy = callbacks.LambdaCallback(on_train_batch_end=lambda b, logs:
                                   seen.append(_state(model)))
    backup = callbacks.BackupAndRestore(tmp_path, save_freq=3)
    with pytest.raises(RuntimeError):
        _fit(model, data, 6, [spy, backup, _Interrupt(2)])
    # 4 batches an epoch: backups after batches 3 and 6 (the second
    # batch of epoch 1), where a restored run starts over.
    assert _backup_epoch(tmp_path / "latest.weights.h5") == (1, 2)
    fresh = _model("sgd_momentum", 5)
    epochs = _Epochs()
    _fit(fresh, data, 1, [callbacks.BackupAndRestore(
        tmp_path, delete_checkpoint=False), epochs])
    assert epochs.seen == []  # the backup is in epoch 1: nothing to run
    _assert_same_state(_state(fresh), seen[5])
    epochs = _Epochs()
    with pytest.raises(RuntimeError):
        _fit(model, data, 6, [backup, epochs, _Interrupt(3)])
    assert epochs.seen == [1, 2, 3]


def test_double_checkpoint_falls_back_to_previous(data, tmp_path):
    model = _model("adam", 0)
    backup = callbacks.BackupAndRestore(tmp_path, double_checkpoint=True)
    with pytest.raises(RuntimeError):
        _fit(model, data, 6, [backup, _Interrupt(3)])
    assert _backup_epoch(tmp_path / "_latest.weights.h5") == (2, 0)
    assert _backup_epoch(tmp_path / "latest.weights.h5") == (3, 0)
    (tmp_path / "latest.weights.h5").write_bytes(b"not hdf5")
    epochs = _Epochs()
    with pytest.warns(UserWarning, match="previous one"):
        _fit(_model("adam", 3), data, 6, [backup, epochs])
    assert epochs.seen == [2, 3, 4, 5]


def test_unreadable_backup_is_an_error(data, tmp_path):
    (tmp_path / "latest.weights.h5").write_bytes(b"not hdf5")
    with pytest.raises(ValueError, match="could be read"):
        _fit(_model("adam", 0), data, 1,
             [callbacks.BackupAndRestore(tmp_path)])


def test_a_failed_backup_keeps_the_last_one(data, tmp_path, monkeypatch):
    model = _model("adam", 0)
    backup = callbacks.BackupAndRestore(tmp_path)
    with pytest.raises(RuntimeError):
        _fit(model, data, 6, [backup, _Interrupt(2)])

    def broken(model, h5file):
        h5file.create_group("half")
        raise OSError("disk full")

    monkeypatch.setattr(weights_lib, "write_weights", broken)
    with pytest.raises(OSError, match="disk full"):
        _fit(model, data, 6, [backup])
    assert os.listdir(tmp_path) == ["latest.weights.h5"]  # no temp left
    assert _backup_epoch(tmp_path / "latest.weights.h5") == (2, 0)


def test_arguments_checked(tmp_path):
    with pytest.raises(ValueError, match="backup_dir"):
        callbacks.BackupAndRestore("")
    with pytest.raises(TypeError, match="backup_dir"):
        callbacks.BackupAndRestore(3)
    for bad in ("batch", 0, True, 1.5):
        with pytest.raises(ValueError, match="save_freq"):
            callbacks.BackupAndRestore(tmp_path, save_freq=bad)


def test_config_round_trips(tmp_path):
    backup = callbacks.BackupAndRestore(str(tmp_path), save_freq=5,
                                        double_checkpoint=True,
                                        delete_checkpoint=False)
    config = backup.get_config()
    assert config == {"backup_dir": str(tmp_path), "save_freq": 5,
                      "double_checkpoint": True, "delete_checkpoint": False}
    assert callbacks.BackupAndRestore.from_config(config).get_config() \
        == config
    twin = saving.deserialize(saving.serialize(backup), "callbacks")
    assert isinstance(twin, callbacks.BackupAndRestore)
    assert twin.get_config() == config
    assert callbacks.ALL_OBJECTS["BackupAndRestore"] is \
        callbacks.BackupAndRestore
