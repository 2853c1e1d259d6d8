"""Tests for `CSVLogger` (lamina/callbacks/csv_logger.py)."""

import csv

import numpy as np
import pytest
from callback_helpers import make_model

from lamina import callbacks
from lamina.saving import config as saving


def _rows(path, delimiter=","):
    with open(path, newline="") as f:
        return list(csv.reader(f, delimiter=delimiter))


def test_writes_one_row_per_epoch(data, tmp_path):
    path = tmp_path / "log.csv"
    model = make_model(metrics=["mean_absolute_error"])
    x, y = data
    history = model.fit(x, y, epochs=3, batch_size=8, verbose=0,
                        validation_split=0.25,
                        callbacks=[callbacks.CSVLogger(str(path))])
    rows = _rows(path)
    assert rows[0] == ["epoch", "loss", "mean_absolute_error", "val_loss",
                       "val_mean_absolute_error"]
    assert [row[0] for row in rows[1:]] == ["0", "1", "2"]
    for key_index, key in enumerate(rows[0][1:], start=1):
        np.testing.assert_allclose(
            [float(row[key_index]) for row in rows[1:]],
            history.history[key], rtol=1e-12)


def test_keys_sorted_after_epoch(data, tmp_path):
    # 'learning_rate' (added by a callback) sorts before 'loss'.
    path = tmp_path / "log.csv"
    model = make_model()
    x, y = data
    model.fit(x, y, epochs=1, verbose=0, callbacks=[
        callbacks.LearningRateScheduler(lambda e, lr: lr),
        callbacks.CSVLogger(path)])
    assert _rows(path)[0] == ["epoch", "learning_rate", "loss"]


def test_flushes_every_epoch(data, tmp_path):
    path = tmp_path / "log.csv"
    lines_seen = []
    peek = callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: lines_seen.append(
            len(_rows(path))))
    model = make_model()
    x, y = data
    model.fit(x, y, epochs=3, verbose=0,
              callbacks=[callbacks.CSVLogger(path), peek])
    assert lines_seen == [2, 3, 4]


def test_overwrites_by_default_and_appends_on_request(data, tmp_path):
    path = tmp_path / "log.csv"
    model = make_model()
    x, y = data
    for _ in range(2):
        model.fit(x, y, epochs=2, verbose=0,
                  callbacks=[callbacks.CSVLogger(path)])
    assert len(_rows(path)) == 3
    model.fit(x, y, epochs=2, verbose=0,
              callbacks=[callbacks.CSVLogger(path, append=True)])
    rows = _rows(path)
    assert len(rows) == 5
    assert rows[0][0] == "epoch"
    assert [row[0] for row in rows[1:]] == ["0", "1", "0", "1"]


def test_append_to_new_file_writes_header(data, tmp_path):
    path = tmp_path / "new.csv"
    model = make_model()
    x, y = data
    model.fit(x, y, epochs=1, verbose=0,
              callbacks=[callbacks.CSVLogger(path, append=True)])
    assert _rows(path)[0] == ["epoch", "loss"]


def test_separator(data, tmp_path):
    path = tmp_path / "log.tsv"
    model = make_model()
    x, y = data
    model.fit(x, y, epochs=1, verbose=0,
              callbacks=[callbacks.CSVLogger(path, separator="\t")])
    text = path.read_bytes().decode()
    assert text.startswith("epoch\tloss\r\n0\t")


def test_missing_values_and_lists(tmp_path):
    path = tmp_path / "log.csv"
    logger = callbacks.CSVLogger(path)
    logger.on_train_begin()
    logger.on_epoch_end(0, {"b": 1.5, "a": np.array([1, 2])})
    logger.on_epoch_end(1, {"a": "x", "b": np.float32(2.0)})
    logger.on_epoch_end(2, {"a": "y"})
    logger.on_train_end()
    assert _rows(path) == [["epoch", "a", "b"], ["0", '"[1, 2]"', "1.5"],
                           ["1", "x", "2.0"], ["2", "y", "NA"]]
    assert logger.csv_file is None


def test_bad_separator():
    with pytest.raises(ValueError, match="separator"):
        callbacks.CSVLogger("log.csv", separator=", ")


def test_config_round_trip(tmp_path):
    logger = callbacks.CSVLogger(str(tmp_path / "a.csv"), separator=";",
                                 append=True)
    config = logger.get_config()
    assert config == {"filename": str(tmp_path / "a.csv"), "separator": ";",
                      "append": True}
    assert callbacks.CSVLogger.from_config(config).get_config() == config
    restored = saving.deserialize(saving.serialize(logger), "callbacks")
    assert restored.get_config() == config
