"""Tests for `ReduceLROnPlateau` (lamina/callbacks/reduce_lr_on_plateau.py).
"""

import numpy as np
import pytest
from callback_helpers import ScriptedLogs, make_model

from lamina import callbacks
from lamina.saving import config as saving


def _lr(model):
    return float(np.asarray(model.optimizer.learning_rate))


def _fit(data, values, monitor="val_loss", lr=0.1, **kwargs):
    model = make_model(learning_rate=lr)
    reduce_lr = callbacks.ReduceLROnPlateau(monitor=monitor, **kwargs)
    x, y = data
    history = model.fit(x, y, epochs=len(values), batch_size=8, verbose=0,
                        callbacks=[ScriptedLogs(monitor, values),
                                   reduce_lr])
    return model, history, reduce_lr


def test_lowers_lr_after_patience(data):
    model, history, _ = _fit(data, [1.0] * 6, factor=0.5, patience=2)
    # Reduced at the end of epochs 2 and 4; logs hold the rate in use.
    np.testing.assert_allclose(history.history["learning_rate"],
                               [0.1, 0.1, 0.1, 0.05, 0.05, 0.025],
                               rtol=1e-6)
    assert _lr(model) == pytest.approx(0.025, rel=1e-6)


def test_improvement_resets_the_wait(data):
    model, _, _ = _fit(data, [1.0, 1.0, 0.5, 0.5, 0.4, 0.4],
                             factor=0.5, patience=2)
    assert _lr(model) == pytest.approx(0.1, rel=1e-6)


def test_min_delta(data):
    # Each value improves by 0.001 < min_delta: a plateau.
    model, _, _ = _fit(data, [1.0, 0.999, 0.998], factor=0.5, patience=2,
                       min_delta=0.01)
    assert _lr(model) == pytest.approx(0.05, rel=1e-6)


def test_cooldown(data):
    _, history, _ = _fit(data, [1.0] * 5, factor=0.5, patience=1,
                             cooldown=2)
    # Reduced at epoch 1; cooldown skips epoch 2; reduced again at 3.
    np.testing.assert_allclose(history.history["learning_rate"],
                               [0.1, 0.1, 0.05, 0.05, 0.025], rtol=1e-6)


def test_min_lr_bounds_the_rate(data):
    _, history, _ = _fit(data, [1.0] * 6, factor=0.1, patience=1,
                             min_lr=0.005)
    np.testing.assert_allclose(history.history["learning_rate"],
                               [0.1, 0.1, 0.01, 0.005, 0.005, 0.005],
                               rtol=1e-6)


def test_max_mode_inferred_for_accuracy(data):
    model, _, reduce_lr = _fit(data, [0.5, 0.6, 0.7, 0.8],
                               monitor="val_accuracy", factor=0.5,
                               patience=1)
    assert reduce_lr.direction == "max"
    assert _lr(model) == pytest.approx(0.1, rel=1e-6)


def test_unknown_name_is_minimized(data):
    model, _, reduce_lr = _fit(data, [3.0, 2.0, 1.0], monitor="score",
                               factor=0.5, patience=1)
    assert reduce_lr.direction == "min"
    assert _lr(model) == pytest.approx(0.1, rel=1e-6)


def test_new_rate_reaches_the_optimizer(data):
    # After a reduction to 0, training leaves the weights unchanged.
    model = make_model(learning_rate=0.1)
    reduce_lr = callbacks.ReduceLROnPlateau(monitor="loss", factor=0.0,
                                            patience=0, min_delta=10.0)
    x, y = data
    model.fit(x, y, epochs=2, batch_size=8, verbose=0, callbacks=[reduce_lr])
    assert _lr(model) == 0.0
    before = [np.array(w, copy=True) for w in model.get_weights()]
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    for got, want in zip(model.get_weights(), before):
        np.testing.assert_array_equal(got, want)


def test_verbose_message(data, capsys):
    _fit(data, [1.0, 1.0], factor=0.5, patience=1, verbose=1)
    assert capsys.readouterr().out.splitlines() == [
        ("Epoch 2: ReduceLROnPlateau reducing learning rate to "
         f"{np.float32(0.1).item() * 0.5}.")]


def test_missing_monitor_warns(model, data):
    x, y = data
    reduce_lr = callbacks.ReduceLROnPlateau(monitor="val_loss")
    with pytest.warns(UserWarning, match="Available metrics are: loss"):
        history = model.fit(x, y, epochs=1, verbose=0,
                            callbacks=[reduce_lr])
    assert "learning_rate" in history.history


def test_factor_must_be_below_one():
    with pytest.raises(ValueError, match="factor >= 1.0"):
        callbacks.ReduceLROnPlateau(factor=1.0)


def test_keras2_epsilon_spelling():
    with pytest.warns(DeprecationWarning, match="min_delta=0.01"):
        reduce_lr = callbacks.ReduceLROnPlateau(epsilon=0.01)
    assert reduce_lr.min_delta == 0.01
    with pytest.raises(TypeError, match="unrecognized"):
        callbacks.ReduceLROnPlateau(patients=3)


def test_config_round_trip():
    reduce_lr = callbacks.ReduceLROnPlateau(
        monitor="loss", factor=0.2, patience=3, verbose=1, mode="min",
        min_delta=0.01, cooldown=2, min_lr=1e-5)
    config = reduce_lr.get_config()
    again = callbacks.ReduceLROnPlateau.from_config(config)
    assert again.get_config() == config
    restored = saving.deserialize(saving.serialize(reduce_lr), "callbacks")
    assert restored.get_config() == config
