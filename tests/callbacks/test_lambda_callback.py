"""Tests for `LambdaCallback` (lamina/callbacks/lambda_callback.py)."""

import collections

import pytest

from lamina import callbacks
from lamina.callbacks.callback_list import CallbackList
from lamina.saving import config as saving


def _counting_callback(*hooks):
    counts = collections.Counter()

    def make(name):
        return lambda *args: counts.update([name])

    return counts, callbacks.LambdaCallback(**{h: make(h) for h in hooks})


def test_hooks_called_the_right_number_of_times(model, data):
    counts, cb = _counting_callback(
        "on_epoch_begin", "on_epoch_end", "on_batch_begin", "on_batch_end",
        "on_train_begin", "on_train_end")
    x, y = data
    model.fit(x, y, epochs=3, batch_size=8, verbose=0, callbacks=[cb])
    assert counts == {"on_epoch_begin": 3, "on_epoch_end": 3,
                      "on_batch_begin": 12, "on_batch_end": 12,
                      "on_train_begin": 1, "on_train_end": 1}


def test_hook_arguments(model, data):
    calls = []
    cb = callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: calls.append(
            ("epoch_end", epoch, sorted(logs))),
        on_batch_end=lambda batch, logs: calls.append(
            ("batch_end", batch, sorted(logs))),
        on_train_end=lambda logs: calls.append(("train_end", sorted(logs))))
    x, y = data
    model.fit(x, y, epochs=1, batch_size=16, verbose=0, callbacks=[cb])
    assert calls == [("batch_end", 0, ["loss"]), ("batch_end", 1, ["loss"]),
                     ("epoch_end", 0, ["loss"]), ("train_end", ["loss"])]


def test_test_and_predict_hooks(model, data):
    counts, cb = _counting_callback(
        "on_test_begin", "on_test_end", "on_test_batch_end",
        "on_predict_begin", "on_predict_batch_end", "on_predict_end")
    x, y = data
    model.evaluate(x, y, batch_size=8, verbose=0, callbacks=[cb])
    model.predict(x, batch_size=16, verbose=0, callbacks=[cb])
    assert counts == {"on_test_begin": 1, "on_test_end": 1,
                      "on_test_batch_end": 4, "on_predict_begin": 1,
                      "on_predict_batch_end": 2, "on_predict_end": 1}


def test_train_batch_hook_names(model, data):
    counts, cb = _counting_callback("on_train_batch_begin",
                                    "on_train_batch_end")
    x, y = data
    model.fit(x, y, epochs=2, batch_size=8, verbose=0, callbacks=[cb])
    assert counts == {"on_train_batch_begin": 8, "on_train_batch_end": 8}


def test_registers_only_the_hooks_given():
    _, epoch_only = _counting_callback("on_epoch_end")
    cbs = CallbackList([epoch_only])
    assert cbs.has("on_epoch_end")
    for hook in ("on_train_batch_begin", "on_train_batch_end",
                 "on_test_batch_end", "on_predict_batch_end",
                 "on_epoch_begin"):
        assert not cbs.has(hook)
    _, batch_end = _counting_callback("on_batch_end")
    cbs = CallbackList([batch_end])
    assert cbs.has("on_train_batch_end")
    assert not cbs.has("on_train_batch_begin")


def test_stop_training_from_a_hook(model, data):
    def stop(epoch, logs):
        if epoch == 1:
            model.stop_training = True

    x, y = data
    history = model.fit(x, y, epochs=5, verbose=0,
                        callbacks=[callbacks.LambdaCallback(on_epoch_end=stop)])
    assert history.epoch == [0, 1]


def test_unknown_hook():
    with pytest.raises(TypeError, match="unknown hooks \\['on_epoch_ends'\\]"):
        callbacks.LambdaCallback(on_epoch_ends=print)


def test_both_spellings_of_a_hook():
    with pytest.raises(ValueError, match="on_batch_end.*on_train_batch_end"):
        callbacks.LambdaCallback(on_batch_end=print,
                                 on_train_batch_end=print)


def test_hook_must_be_callable():
    with pytest.raises(TypeError, match="`on_epoch_end` must be a function"):
        callbacks.LambdaCallback(on_epoch_end=3)


def test_config_round_trip():
    def on_epoch_end(epoch, logs):
        pass

    cb = callbacks.LambdaCallback(on_epoch_end=on_epoch_end,
                                  on_test_end=print)
    config = cb.get_config()
    assert config == {"on_epoch_end": on_epoch_end, "on_test_end": print}
    again = callbacks.LambdaCallback.from_config(config)
    assert again.on_epoch_end is on_epoch_end
    assert CallbackList([again]).has("on_test_end")
    restored = saving.deserialize(saving.serialize(cb), "callbacks")
    assert restored.get_config() == config
