"""Tests for `LearningRateScheduler`
(lamina/callbacks/learning_rate_scheduler.py)."""

import functools

import numpy as np
import pytest
from callback_helpers import make_model

from lamina import callbacks
from lamina.saving import config as saving


def _fit(data, schedule, epochs=3, lr=0.1, verbose=0):
    model = make_model(learning_rate=lr)
    x, y = data
    history = model.fit(
        x, y, epochs=epochs, batch_size=8, verbose=0,
        callbacks=[callbacks.LearningRateScheduler(schedule, verbose)])
    return model, history


def test_schedule_of_epoch(data):
    _, history = _fit(data, lambda epoch: 0.1 / (epoch + 1))
    np.testing.assert_allclose(history.history["learning_rate"],
                               [0.1, 0.05, 0.1 / 3], rtol=1e-6)


def test_schedule_of_epoch_and_lr(data):
    seen = []

    def schedule(epoch, lr):
        seen.append((epoch, lr))
        return lr * 0.5

    model, history = _fit(data, schedule)
    np.testing.assert_allclose([lr for _, lr in seen], [0.1, 0.05, 0.025],
                               rtol=1e-6)
    assert [epoch for epoch, _ in seen] == [0, 1, 2]
    assert all(isinstance(lr, float) for _, lr in seen)
    np.testing.assert_allclose(history.history["learning_rate"],
                               [0.05, 0.025, 0.0125], rtol=1e-6)
    assert float(np.asarray(model.optimizer.learning_rate)) == \
        pytest.approx(0.0125, rel=1e-6)


def test_partial_and_numpy_float(data):
    schedule = functools.partial(lambda epoch, lr, k: np.float64(k), k=0.2)
    _, history = _fit(data, schedule, epochs=1)
    assert history.history["learning_rate"] == [pytest.approx(0.2)]


def test_zero_rate_freezes_the_weights(data):
    model = make_model(learning_rate=0.1)
    before = [np.array(w, copy=True) for w in model.get_weights()]
    x, y = data
    model.fit(x, y, epochs=2, batch_size=8, verbose=0,
              callbacks=[callbacks.LearningRateScheduler(lambda e: 0.0)])
    for got, want in zip(model.get_weights(), before):
        np.testing.assert_array_equal(got, want)


def test_rate_set_before_the_epoch_trains(data):
    # 0 for epoch 0, then 0.1: only epoch 1 moves the weights.
    model = make_model(learning_rate=0.1)
    snapshots = []
    record = callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: snapshots.append(
            np.array(model.get_weights()[0], copy=True)))
    x, y = data
    initial = np.array(model.get_weights()[0], copy=True)
    model.fit(x, y, epochs=2, batch_size=8, verbose=0, callbacks=[
        callbacks.LearningRateScheduler(lambda e: 0.0 if e == 0 else 0.1),
        record])
    np.testing.assert_array_equal(snapshots[0], initial)
    assert not np.array_equal(snapshots[1], initial)


def test_verbose_message(data, capsys):
    _fit(data, lambda epoch: 0.5, epochs=2, verbose=1)
    assert capsys.readouterr().out.splitlines() == [
        "Epoch 1: LearningRateScheduler setting learning rate to 0.5.",
        "Epoch 2: LearningRateScheduler setting learning rate to 0.5."]


def test_schedule_must_return_a_float(data):
    with pytest.raises(ValueError, match="should be a float. Got: '0.1'"):
        _fit(data, lambda epoch: "0.1")


def test_schedule_must_be_callable():
    with pytest.raises(TypeError, match="schedule"):
        callbacks.LearningRateScheduler(0.1)


def test_type_error_inside_schedule_is_not_hidden(data):
    def schedule(epoch, lr):
        raise TypeError("bug in the schedule")

    with pytest.raises(TypeError, match="bug in the schedule"):
        _fit(data, schedule)


def test_config_round_trip():
    def schedule(epoch):
        return 0.1

    cb = callbacks.LearningRateScheduler(schedule, verbose=1)
    config = cb.get_config()
    assert config == {"schedule": schedule, "verbose": 1}
    again = callbacks.LearningRateScheduler.from_config(config)
    assert again.schedule is schedule and again.verbose == 1
    restored = saving.deserialize(saving.serialize(cb), "callbacks")
    assert restored.get_config() == config
