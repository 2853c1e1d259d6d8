"""Tests for `EarlyStopping` (lamina/callbacks/early_stopping.py)."""

import numpy as np
import pytest
from callback_helpers import ScriptedLogs

from lamina import callbacks
from lamina.saving import config as saving


def _fit(model, data, monitor, values, epochs=None, **kwargs):
    stop = callbacks.EarlyStopping(monitor=monitor, **kwargs)
    x, y = data
    history = model.fit(x, y, epochs=epochs or len(values), batch_size=8,
                        verbose=0,
                        callbacks=[ScriptedLogs(monitor, values), stop])
    return history, stop


def test_stops_after_patience(model, data):
    # best at epoch 1; epochs 2 and 3 don't improve: stop at epoch 3.
    history, stop = _fit(model, data, "val_loss",
                         [1.0, 0.9, 0.95, 0.97, 0.5, 0.4], patience=2)
    assert len(history.history["loss"]) == 4
    assert history.epoch == [0, 1, 2, 3]
    assert stop.stopped_epoch == 3
    assert stop.best == 0.9
    assert stop.best_epoch == 1


def test_patience_zero_stops_at_first_non_improvement(model, data):
    history, stop = _fit(model, data, "loss", [3.0, 2.0, 2.0, 1.0])
    assert stop.stopped_epoch == 2
    assert len(history.epoch) == 3


def test_runs_all_epochs_while_improving(model, data):
    history, stop = _fit(model, data, "loss", [5, 4, 3, 2, 1], patience=0)
    assert len(history.epoch) == 5
    assert stop.stopped_epoch == 0


def test_auto_mode_maximizes_accuracy(model, data):
    _, stop = _fit(model, data, "val_accuracy",
                         [0.5, 0.6, 0.55, 0.58, 0.7], patience=1)
    assert stop.direction == "max"
    assert stop.stopped_epoch == 2
    assert stop.best == 0.6


def test_explicit_mode_overrides_the_name(model, data):
    # mode='max' on a loss: a rising loss counts as improvement.
    _, stop = _fit(model, data, "loss", [1.0, 2.0, 3.0, 2.5],
                         mode="max")
    assert stop.stopped_epoch == 3


def test_min_delta(model, data):
    # 0.99 and 0.98 improve by less than 0.05 on 1.0: no improvement.
    _, stop = _fit(model, data, "loss", [1.0, 0.99, 0.98, 0.5],
                         min_delta=0.05, patience=2)
    assert stop.stopped_epoch == 2
    assert stop.best == 1.0


def test_negative_min_delta_is_taken_as_absolute(model, data):
    stop = callbacks.EarlyStopping(min_delta=-0.05)
    assert stop.min_delta == 0.05


def test_baseline_not_beaten_stops_after_patience(model, data):
    history, stop = _fit(model, data, "loss", [1.0, 1.0, 1.0, 1.0],
                         baseline=0.5, patience=2)
    assert stop.stopped_epoch == 1
    assert len(history.epoch) == 2


def test_baseline_beaten_resets_wait(model, data):
    _, stop = _fit(model, data, "loss", [0.4, 0.45, 0.3, 0.35, 0.36],
                         baseline=0.5, patience=2)
    # 0.4 beats the baseline; 0.3 improves again; 0.35, 0.36 don't.
    assert stop.stopped_epoch == 4


def test_start_from_epoch(model, data):
    # Epochs 0 and 1 are ignored; 3.0 at epoch 2 is the first best.
    _, stop = _fit(model, data, "loss", [9, 8, 3, 4, 5, 6],
                         start_from_epoch=2)
    assert stop.best == 3.0
    assert stop.stopped_epoch == 3


def test_restore_best_weights(model, data):
    snapshots = []
    record = callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: snapshots.append(
            [np.array(w, copy=True) for w in model.get_weights()]))
    stop = callbacks.EarlyStopping(monitor="loss", patience=2,
                                   restore_best_weights=True)
    x, y = data
    model.fit(x, y, epochs=6, batch_size=8, verbose=0,
              callbacks=[ScriptedLogs("loss", [5, 1, 2, 3, 4, 5]), record,
                         stop])
    assert stop.best_epoch == 1
    assert len(snapshots) == 4  # stopped at epoch 3
    restored = model.get_weights()
    for got, want, last in zip(restored, snapshots[1], snapshots[-1]):
        np.testing.assert_array_equal(got, want)
        assert not np.array_equal(got, last)  # training moved them


def test_without_restore_keeps_last_weights(model, data):
    x, y = data
    stop = callbacks.EarlyStopping(monitor="loss", patience=1)
    before = [np.array(w, copy=True) for w in model.get_weights()]
    model.fit(x, y, epochs=5, batch_size=8, verbose=0,
              callbacks=[ScriptedLogs("loss", [1, 2, 3, 4, 5]), stop])
    assert stop.best_weights is None
    assert not np.array_equal(model.get_weights()[0], before[0])


def test_reusable_across_fits(model, data):
    stop = callbacks.EarlyStopping(monitor="loss", patience=0)
    x, y = data
    for _ in range(2):
        history = model.fit(
            x, y, epochs=4, batch_size=8, verbose=0,
            callbacks=[ScriptedLogs("loss", [2, 1, 3, 0]), stop])
        assert history.epoch == [0, 1, 2]


def test_verbose_messages(model, data, capsys):
    _fit(model, data, "loss", [5, 1, 2, 3], patience=1, verbose=1,
         restore_best_weights=True)
    out = capsys.readouterr().out.splitlines()
    assert out == ["Epoch 3: early stopping",
                   ("Restoring model weights from the end of the best "
                    "epoch: 2.")]


def test_missing_monitor_warns_with_available_keys(model, data):
    x, y = data
    stop = callbacks.EarlyStopping(monitor="val_loss", patience=0)
    with pytest.warns(UserWarning, match=r"`val_loss` which is not "
                      r"available. Available metrics are: loss"):
        history = model.fit(x, y, epochs=2, batch_size=8, verbose=0,
                            callbacks=[stop])
    assert len(history.epoch) == 2


def test_unknown_name_in_auto_mode_asks_for_mode(model, data):
    with pytest.raises(ValueError, match="mode='max'"):
        _fit(model, data, "my_score", [1, 2])


def test_unknown_mode_warns_and_falls_back_to_auto():
    with pytest.warns(UserWarning, match="mode 'up' is unknown"):
        stop = callbacks.EarlyStopping(mode="up")
    assert stop.mode == "auto"


def test_bad_patience():
    with pytest.raises(ValueError, match="patience"):
        callbacks.EarlyStopping(patience=-1)


def test_config_round_trip():
    stop = callbacks.EarlyStopping(monitor="val_accuracy", min_delta=0.01,
                                   patience=3, verbose=1, mode="max",
                                   baseline=0.6, restore_best_weights=True,
                                   start_from_epoch=2)
    config = stop.get_config()
    again = callbacks.EarlyStopping.from_config(config)
    assert again.get_config() == config
    restored = saving.deserialize(saving.serialize(stop), "callbacks")
    assert isinstance(restored, callbacks.EarlyStopping)
    assert restored.get_config() == config
