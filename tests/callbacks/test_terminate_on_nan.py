"""Tests for `TerminateOnNaN` (lamina/callbacks/terminate_on_nan.py)."""

import numpy as np
from callback_helpers import make_model

from lamina import callbacks
from lamina.saving import config as saving


def _count_batches():
    counts = {"batches": 0}

    def on_batch_end(batch, logs):
        counts["batches"] += 1

    return counts, callbacks.LambdaCallback(on_batch_end=on_batch_end)


def test_stops_on_nan_loss(data, capsys):
    x, y = data
    x = x.copy()
    x[:8] = np.nan  # the whole first batch
    model = make_model()
    counts, counter = _count_batches()
    history = model.fit(x, y, epochs=5, batch_size=8, shuffle=False,
                        verbose=0,
                        callbacks=[callbacks.TerminateOnNaN(), counter])
    assert counts["batches"] == 1
    assert len(history.epoch) == 1
    assert np.isnan(history.history["loss"][0])
    assert capsys.readouterr().out == \
        "Batch 0: Invalid loss, terminating training\n"


def test_stops_on_inf_loss(data):
    x, y = data
    y = y.copy()
    y[10] = np.inf  # in the second batch
    model = make_model()
    counts, counter = _count_batches()
    model.fit(x, y, epochs=3, batch_size=8, shuffle=False, verbose=0,
              callbacks=[callbacks.TerminateOnNaN(), counter])
    assert counts["batches"] == 2


def test_finite_loss_trains_to_the_end(data):
    x, y = data
    model = make_model()
    history = model.fit(x, y, epochs=3, batch_size=8, verbose=0,
                        callbacks=[callbacks.TerminateOnNaN()])
    assert len(history.epoch) == 3
    assert model.stop_training is False


def test_config_round_trip():
    cb = callbacks.TerminateOnNaN()
    assert cb.get_config() == {}
    restored = saving.deserialize(saving.serialize(cb), "callbacks")
    assert isinstance(restored, callbacks.TerminateOnNaN)
