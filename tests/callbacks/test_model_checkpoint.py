"""Tests for `ModelCheckpoint` (lamina/callbacks/model_checkpoint.py)."""

import os

import numpy as np
import pytest
from callback_helpers import ScriptedLogs

from lamina import callbacks
from lamina.callbacks.callback_list import CallbackList
from lamina.saving import config as saving


@pytest.fixture
def saved(model, monkeypatch):
    """Records `model.save` / `save_weights` calls (and touches the file):
    these tests check which paths the callback saves, not the format."""
    calls = []

    def recorder(kind):
        def save(filepath, overwrite=True):
            calls.append((kind, os.path.basename(filepath)))
            with open(filepath, "w") as f:
                f.write(kind)
        return save

    monkeypatch.setattr(model, "save", recorder("model"), raising=False)
    monkeypatch.setattr(model, "save_weights", recorder("weights"),
                        raising=False)
    return calls


def _fit(model, data, ckpt, epochs, scripted=None, batch_size=8):
    x, y = data
    cbs = [ScriptedLogs(*scripted)] if scripted else []
    return model.fit(x, y, epochs=epochs, batch_size=batch_size, verbose=0,
                     callbacks=cbs + [ckpt])


def test_saves_every_epoch_named_by_pattern(model, data, saved, tmp_path):
    pattern = str(tmp_path / "w-{epoch:02d}-{loss:.2f}.weights.h5")
    ckpt = callbacks.ModelCheckpoint(pattern, monitor="loss",
                                     save_weights_only=True)
    history = _fit(model, data, ckpt, epochs=3)
    expected = [f"w-{e + 1:02d}-{loss:.2f}.weights.h5"
                for e, loss in enumerate(history.history["loss"])]
    assert saved == [("weights", name) for name in expected]
    assert sorted(os.listdir(tmp_path)) == sorted(expected)


def test_full_model_with_validation_fields(model, data, saved, tmp_path):
    x, y = data
    ckpt = callbacks.ModelCheckpoint(
        str(tmp_path / "m{epoch}-{val_loss:.3f}.keras"))
    history = model.fit(x, y, epochs=2, batch_size=8, verbose=0,
                        validation_split=0.25, callbacks=[ckpt])
    assert saved == [
        ("model", f"m{e + 1}-{v:.3f}.keras")
        for e, v in enumerate(history.history["val_loss"])]


def test_save_best_only_saves_on_improvement(model, data, saved,
                                             tmp_path):
    ckpt = callbacks.ModelCheckpoint(str(tmp_path / "{epoch:02d}.keras"),
                                     save_best_only=True)
    _fit(model, data, ckpt, 5, ("val_loss", [1.0, 0.5, 0.7, 0.4, 0.4]))
    assert [name for _, name in saved] == ["01.keras", "02.keras",
                                           "04.keras"]
    assert ckpt.best == 0.4


def test_save_best_only_max_mode(model, data, saved, tmp_path):
    ckpt = callbacks.ModelCheckpoint(str(tmp_path / "{epoch}.keras"),
                                     monitor="val_accuracy",
                                     save_best_only=True)
    _fit(model, data, ckpt, 4, ("val_accuracy", [0.5, 0.4, 0.6, 0.6]))
    assert [name for _, name in saved] == ["1.keras", "3.keras"]


def test_initial_value_threshold(model, data, saved, tmp_path):
    ckpt = callbacks.ModelCheckpoint(str(tmp_path / "{epoch}.keras"),
                                     save_best_only=True,
                                     initial_value_threshold=0.6)
    _fit(model, data, ckpt, 4, ("val_loss", [1.0, 0.5, 0.7, 0.4]))
    assert [name for _, name in saved] == ["2.keras", "4.keras"]


def test_best_only_without_monitor_warns_and_saves(model, data, saved,
                                                   tmp_path):
    ckpt = callbacks.ModelCheckpoint(str(tmp_path / "best.keras"),
                                     save_best_only=True)
    with pytest.warns(UserWarning, match="val_loss available"):
        _fit(model, data, ckpt, 1)
    assert saved == [("model", "best.keras")]


def test_save_freq_in_batches(model, data, saved, tmp_path):
    pattern = str(tmp_path / "e{epoch}-b{batch}.weights.h5")
    ckpt = callbacks.ModelCheckpoint(pattern, save_weights_only=True,
                                     save_freq=2)
    _fit(model, data, ckpt, 2)  # 32 samples, 4 batches per epoch
    assert [name for _, name in saved] == [
        "e1-b2.weights.h5", "e1-b4.weights.h5", "e2-b2.weights.h5",
        "e2-b4.weights.h5"]


def test_save_freq_counts_across_epochs(model, data, saved, tmp_path):
    ckpt = callbacks.ModelCheckpoint(
        str(tmp_path / "e{epoch}-b{batch}-{loss:.1f}.weights.h5"),
        save_weights_only=True, save_freq=3)
    _fit(model, data, ckpt, 3)  # saves after batches 3, 6, 9, 12
    assert [name.split("-")[:2] for _, name in saved] == [
        ["e1", "b3"], ["e2", "b2"], ["e3", "b1"], ["e3", "b4"]]


def test_epoch_saving_adds_no_batch_hook(tmp_path):
    per_epoch = callbacks.ModelCheckpoint(str(tmp_path / "a.keras"))
    per_batch = callbacks.ModelCheckpoint(str(tmp_path / "a.keras"),
                                          save_freq=5)
    assert not CallbackList([per_epoch]).has("on_train_batch_end")
    assert CallbackList([per_batch]).has("on_train_batch_end")


def test_creates_missing_directories(model, data, saved, tmp_path):
    ckpt = callbacks.ModelCheckpoint(str(tmp_path / "a" / "b" / "m.keras"))
    _fit(model, data, ckpt, 1)
    assert (tmp_path / "a" / "b" / "m.keras").exists()


def test_directory_path_is_an_error(model, data, saved, tmp_path):
    (tmp_path / "m.keras").mkdir()
    ckpt = callbacks.ModelCheckpoint(str(tmp_path / "m.keras"))
    with pytest.raises(IOError, match="non-directory filepath"):
        _fit(model, data, ckpt, 1)


def test_unknown_format_field(model, data, saved, tmp_path):
    ckpt = callbacks.ModelCheckpoint(str(tmp_path / "{val_acc}.keras"))
    with pytest.raises(KeyError, match="Failed to format"):
        _fit(model, data, ckpt, 1)


def test_verbose_messages(model, data, saved, tmp_path, capsys):
    path = str(tmp_path / "best.keras")
    ckpt = callbacks.ModelCheckpoint(path, save_best_only=True, verbose=1)
    _fit(model, data, ckpt, 2, ("val_loss", [0.5, 0.7]))
    assert capsys.readouterr().out.splitlines() == [
        (f"Epoch 1: val_loss improved from None to 0.50000, saving model "
         f"to {path}"),
        "Epoch 2: val_loss did not improve from 0.50000"]


@pytest.mark.parametrize("kwargs, message", [
    ({"filepath": "w.h5", "save_weights_only": True}, r"\.weights\.h5"),
    ({"filepath": "model.ckpt"}, r"must end in `\.keras`"),
    ({"filepath": "m.keras", "save_freq": "batch"}, "save_freq"),
    ({"filepath": "m.keras", "save_freq": 0}, "save_freq"),
])
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        callbacks.ModelCheckpoint(**kwargs)


def test_pathlike_filepath(tmp_path):
    ckpt = callbacks.ModelCheckpoint(tmp_path / "m.keras")
    assert ckpt.filepath == str(tmp_path / "m.keras")


def test_config_round_trip(tmp_path):
    ckpt = callbacks.ModelCheckpoint(
        str(tmp_path / "{epoch}.weights.h5"), monitor="val_accuracy",
        verbose=1, save_best_only=True, save_weights_only=True, mode="max",
        save_freq=10, initial_value_threshold=0.5)
    config = ckpt.get_config()
    assert callbacks.ModelCheckpoint.from_config(config).get_config() == \
        config
    restored = saving.deserialize(saving.serialize(ckpt), "callbacks")
    assert restored.get_config() == config


def test_real_weights_file_holds_that_epochs_weights(model, data, tmp_path):
    snapshots = []
    record = callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: snapshots.append(
            [np.array(w, copy=True) for w in model.get_weights()]))
    ckpt = callbacks.ModelCheckpoint(
        str(tmp_path / "{epoch}.weights.h5"), save_weights_only=True)
    x, y = data
    model.fit(x, y, epochs=2, batch_size=8, verbose=0,
              callbacks=[record, ckpt])
    model.load_weights(str(tmp_path / "1.weights.h5"))
    for got, want in zip(model.get_weights(), snapshots[0]):
        np.testing.assert_array_equal(got, want)


def test_real_model_file_loads(model, data, tmp_path):
    import lamina

    ckpt = callbacks.ModelCheckpoint(str(tmp_path / "m.keras"))
    x, y = data
    model.fit(x, y, epochs=1, batch_size=8, verbose=0, callbacks=[ckpt])
    loaded = lamina.models.load_model(str(tmp_path / "m.keras"))
    np.testing.assert_allclose(loaded.predict(x, verbose=0),
                               model.predict(x, verbose=0), rtol=1e-6)


def test_real_best_only_file_holds_the_best_epoch(model, data, tmp_path):
    snapshots = []
    record = callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: snapshots.append(
            [np.array(w, copy=True) for w in model.get_weights()]))
    path = str(tmp_path / "best.weights.h5")
    ckpt = callbacks.ModelCheckpoint(path, save_weights_only=True,
                                     save_best_only=True)
    x, y = data
    model.fit(x, y, epochs=3, batch_size=8, verbose=0, callbacks=[
        ScriptedLogs("val_loss", [1.0, 0.5, 0.7]), record, ckpt])
    assert os.listdir(tmp_path) == ["best.weights.h5"]
    model.load_weights(path)
    for got, want in zip(model.get_weights(), snapshots[1]):
        np.testing.assert_array_equal(got, want)
