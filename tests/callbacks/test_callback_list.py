"""Tests for `CallbackList` (lamina/callbacks/callback_list.py), the order
of callbacks in `fit`, and the keys of the logs they receive."""

import pytest
from callback_helpers import make_model

import lamina
from lamina import callbacks
from lamina.callbacks.callback_list import CallbackList


def test_progbar_first_history_last():
    mine = callbacks.Callback()
    cbs = CallbackList([mine], add_history=True, add_progbar=True)
    assert [type(c) for c in cbs.callbacks] == [
        callbacks.ProgbarLogger, callbacks.Callback, callbacks.History]
    assert cbs.history is cbs.callbacks[-1]


def test_existing_history_and_progbar_are_reused():
    history, progbar = callbacks.History(), callbacks.ProgbarLogger()
    cbs = CallbackList([progbar, history], add_history=True,
                       add_progbar=True)
    assert cbs.callbacks == [progbar, history]
    assert cbs.history is history


def test_order_in_fit(data, capsys):
    model = make_model()
    seen = []

    def on_epoch_end(epoch, logs):
        # The progress bar has printed this epoch's line; History has not
        # recorded this epoch yet.
        lines = capsys.readouterr().out.splitlines()
        recorded = len(model.history.epoch) if model.history else 0
        seen.append((lines[-1].startswith("4/4"), recorded))

    x, y = data
    model.fit(x, y, epochs=2, batch_size=8, verbose=2,
              callbacks=[callbacks.LambdaCallback(on_epoch_end=on_epoch_end)])
    assert seen == [(True, 0), (True, 1)]


def test_logs_keys(data):
    model = make_model(metrics=["mean_absolute_error"])
    batch_keys, epoch_keys = [], []
    cb = callbacks.LambdaCallback(
        on_batch_end=lambda b, logs: batch_keys.append(sorted(logs)),
        on_epoch_end=lambda e, logs: epoch_keys.append(sorted(logs)))
    x, y = data
    history = model.fit(x, y, epochs=2, batch_size=8, verbose=0,
                        validation_data=(x[:8], y[:8]), callbacks=[cb])
    mae = "mean_absolute_error"
    assert batch_keys == [["loss", mae]] * 8
    assert epoch_keys == [["loss", mae, "val_loss", f"val_{mae}"]] * 2
    assert sorted(history.history) == ["loss", mae, "val_loss", f"val_{mae}"]
    assert all(isinstance(v, float) for v in history.history[f"val_{mae}"])


def test_keras1_batch_hook_names_are_called(model, data):
    class Counter(callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.begins = self.ends = 0

        def on_batch_begin(self, batch, logs=None):
            self.begins += 1

        def on_batch_end(self, batch, logs=None):
            self.ends += 1

    counter = Counter()
    x, y = data
    model.fit(x, y, epochs=2, batch_size=8, verbose=0, callbacks=[counter])
    assert (counter.begins, counter.ends) == (8, 8)


def test_instance_hooks_are_registered():
    cb = callbacks.Callback()
    assert not CallbackList([cb]).has("on_train_batch_end")
    cb.on_train_batch_end = lambda batch, logs=None: None
    assert CallbackList([cb]).has("on_train_batch_end")


def test_model_and_params_are_set(data):
    model = make_model()
    seen = {}

    class Peek(callbacks.Callback):
        def on_train_begin(self, logs=None):
            seen["model"] = self.model
            seen["params"] = dict(self.params)

    x, y = data
    model.fit(x, y, epochs=3, batch_size=8, verbose=0, callbacks=[Peek()])
    assert seen["model"] is model
    assert seen["params"] == {"epochs": 3, "steps": 4, "verbose": 0}


def test_rejects_non_callbacks():
    with pytest.raises(TypeError, match="Callback instances"):
        CallbackList([print])


def test_all_objects_and_exports():
    for name, cls in callbacks.ALL_OBJECTS.items():
        assert getattr(callbacks, name) is cls
        assert cls.__name__ == name
    for name in ("EarlyStopping", "ModelCheckpoint", "ReduceLROnPlateau",
                 "LearningRateScheduler", "CSVLogger", "TerminateOnNaN",
                 "LambdaCallback", "History", "ProgbarLogger", "Callback",
                 "CallbackList"):
        assert name in callbacks.ALL_OBJECTS
    assert lamina.callbacks is callbacks
