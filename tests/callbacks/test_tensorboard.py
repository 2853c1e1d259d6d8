"""Tests for `TensorBoard` (lamina/callbacks/tensorboard.py).

The event files are read back with TensorBoard's own reader when the
`tensorboard` package is installed (else with tensorboardX's protobufs, see
tensorboard_events.py), and every value is compared with what `fit`
reported (History, the batch logs, the weights at each epoch end).
"""

import importlib.util
import json
import os

import numpy as np
import pytest
import tensorboard_events
from callback_helpers import make_model

import lamina
from lamina import callbacks
from lamina.callbacks import _tensorboard_summaries as summaries
from lamina.callbacks.callback_list import CallbackList
from lamina.layers.core.embedding import Embedding
from lamina.saving import config as saving

pytest.importorskip("tensorboardX")


def _close(actual, expected):
    return np.allclose(actual, expected, rtol=1e-6, atol=1e-7)


class _Recorder(callbacks.Callback):
    """Records the batch logs and the weights at each epoch end."""

    def __init__(self):
        super().__init__()
        self.batches, self.weights = [], []

    def on_train_batch_end(self, batch, logs=None):
        self.batches.append({k: float(np.asarray(v)) for k, v in
                             dict(logs).items()} if logs is not None
                            else None)

    def on_epoch_end(self, epoch, logs=None):
        self.weights.append({w.path: w.numpy().copy()
                             for layer in self.model.layers
                             for w in layer.weights})


def test_epoch_scalars_match_history(model, data, tmp_path):
    x, y = data
    board = callbacks.TensorBoard(tmp_path, write_graph=False)
    history = model.fit(x, y, epochs=3, batch_size=8, verbose=0,
                        validation_split=0.25, callbacks=[board])
    assert sorted(os.listdir(tmp_path)) == ["train", "validation"]
    train = tensorboard_events.read_run(str(tmp_path / "train"))
    val = tensorboard_events.read_run(str(tmp_path / "validation"))
    assert sorted(train["scalars"]) == ["epoch_learning_rate",
                                        "epoch_loss"]
    assert sorted(val["scalars"]) == ["epoch_loss",
                                      "evaluation_loss_vs_iterations"]
    steps, values = zip(*train["scalars"]["epoch_loss"])
    assert steps == (0, 1, 2)
    assert _close(values, history.history["loss"])
    steps, values = zip(*val["scalars"]["epoch_loss"])
    assert steps == (0, 1, 2)
    assert _close(values, history.history["val_loss"])
    # 24 training samples in batches of 8: 3 optimizer steps per epoch.
    steps, values = zip(*val["scalars"]["evaluation_loss_vs_iterations"])
    assert steps == (3, 6, 9)
    assert _close(values, history.history["val_loss"])
    lr = train["scalars"]["epoch_learning_rate"]
    assert [s for s, _ in lr] == [0, 1, 2]
    assert _close([v for _, v in lr], 0.01)
    assert not train["histograms"] and not train["tensors"]


def test_metrics_and_learning_rate_schedule(data, tmp_path):
    x, y = data
    model = make_model(metrics=["mae"])
    lr_log = []
    schedule = callbacks.LearningRateScheduler(lambda e, lr: 0.1 / (e + 1))
    spy = callbacks.LambdaCallback(on_epoch_end=lambda e, logs: lr_log.append(
        float(np.asarray(model.optimizer.learning_rate.numpy()))))
    board = callbacks.TensorBoard(tmp_path, write_graph=False)
    history = model.fit(x, y, epochs=2, batch_size=16, verbose=0,
                        callbacks=[schedule, spy, board])
    train = tensorboard_events.read_run(str(tmp_path / "train"))
    for key in ("loss", "mae"):
        values = [v for _, v in train["scalars"][f"epoch_{key}"]]
        assert _close(values, history.history[key])
    values = [v for _, v in train["scalars"]["epoch_learning_rate"]]
    assert _close(values, [0.1, 0.05]) and _close(values, lr_log)


@pytest.mark.parametrize("update_freq, every", [("batch", 1), (2, 2)])
def test_batch_scalars_match_batch_logs(model, data, tmp_path, update_freq,
                                        every):
    x, y = data
    recorder = _Recorder()
    board = callbacks.TensorBoard(tmp_path, update_freq=update_freq,
                                  write_graph=False)
    history = model.fit(x, y, epochs=2, batch_size=8, verbose=0,
                        callbacks=[recorder, board])
    scalars = tensorboard_events.read_run(str(tmp_path / "train"))["scalars"]
    assert sorted(scalars) == ["batch_loss", "epoch_learning_rate",
                               "epoch_loss"]
    # Batches are counted from 1 across epochs (4 per epoch here).
    expected = [(i + 1, logs["loss"]) for i, logs in
                enumerate(recorder.batches) if (i + 1) % every == 0]
    steps, values = zip(*scalars["batch_loss"])
    assert list(steps) == [s for s, _ in expected]
    assert _close(values, [v for _, v in expected])
    # The epoch's last batch logs are the epoch's logs.
    assert _close(values[-1], history.history["loss"][-1])


class _CountingLogs(dict):
    """Batch logs that count how often their values are read."""

    reads = 0

    def items(self):
        type(self).reads += 1
        return super().items()

    def values(self):
        type(self).reads += 1
        return super().values()

    def __getitem__(self, key):
        type(self).reads += 1
        return super().__getitem__(key)


def test_batch_logs_read_only_when_written(tmp_path):
    model = make_model()
    board = callbacks.TensorBoard(tmp_path, update_freq=5, write_graph=False)
    board.set_model(model)
    board.on_train_begin()
    for batch in range(12):
        board.on_train_batch_end(batch, _CountingLogs(loss=1.0))
    assert _CountingLogs.reads == 2  # at batches 5 and 10
    board.on_train_end()
    scalars = tensorboard_events.read_run(str(tmp_path / "train"))["scalars"]
    assert [s for s, _ in scalars["batch_loss"]] == [5, 10]


def test_epoch_frequency_adds_no_batch_hook(tmp_path):
    board = callbacks.TensorBoard(tmp_path)
    assert not CallbackList([board]).has("on_train_batch_end")
    assert CallbackList([callbacks.TensorBoard(
        tmp_path, update_freq=3)]).has("on_train_batch_end")
    assert CallbackList([callbacks.TensorBoard(
        tmp_path, write_steps_per_second=True)]).has("on_train_batch_end")


def test_steps_per_second(model, data, tmp_path):
    x, y = data
    board = callbacks.TensorBoard(tmp_path, update_freq=2, write_graph=False,
                                  write_steps_per_second=True)
    model.fit(x, y, epochs=2, batch_size=8, verbose=0, callbacks=[board])
    scalars = tensorboard_events.read_run(str(tmp_path / "train"))["scalars"]
    assert [s for s, _ in scalars["epoch_steps_per_second"]] == [0, 1]
    assert [s for s, _ in scalars["batch_steps_per_second"]] == [2, 4, 6, 8]
    assert all(v > 0 for _, v in scalars["epoch_steps_per_second"] +
               scalars["batch_steps_per_second"])


def test_histograms_and_images_of_weights(data, tmp_path):
    x, y = data
    model = lamina.Sequential([lamina.Input((3,)), lamina.layers.Dense(4),
                               lamina.layers.Dense(1)])
    model.compile(lamina.optimizers.SGD(0.01), "mse")
    recorder = _Recorder()
    board = callbacks.TensorBoard(tmp_path, histogram_freq=2,
                                  write_images=True, write_graph=False)
    model.fit(x, y, epochs=4, batch_size=8, verbose=0,
              callbacks=[recorder, board])
    run = tensorboard_events.read_run(str(tmp_path / "train"))
    paths = [w.path for layer in model.layers for w in layer.weights]
    assert sorted(run["histograms"]) == sorted(f"{p}/histogram"
                                               for p in paths)
    for path in paths:
        logged = run["histograms"][f"{path}/histogram"]
        assert [s for s, _ in logged] == [0, 2]  # every 2nd epoch
        for step, (low, high, num, total) in logged:
            w = recorder.weights[step][path]
            assert num == w.size
            assert _close([low, high, total], [w.min(), w.max(), w.sum()])
    # A (3, 4) kernel is drawn 4 wide, 3 high; a (4, 1) kernel and the
    # biases as one row.
    images = run["images"]
    kernel, kernel_1 = paths[0], paths[2]
    assert images[f"{kernel}/image"] == [(0, (4, 3)), (2, (4, 3))]
    assert images[f"{kernel_1}/image"][0][1] == (4, 1)
    assert images[f"{paths[1]}/image"][0][1] == (4, 1)


def test_weight_image_scaling():
    w = np.array([[1.0, 3.0], [2.0, 5.0], [0.0, 4.0]])
    np.testing.assert_allclose(summaries.weight_image(w), w.T / 5.0)
    np.testing.assert_allclose(summaries.weight_image(np.ones(3)),
                               np.zeros((1, 3)))
    conv = np.arange(24.0).reshape(2, 2, 2, 3)
    assert summaries.weight_image(conv).shape == (3, 8)


def test_graph_is_the_model_config(model, data, tmp_path):
    x, y = data
    board = callbacks.TensorBoard(tmp_path)  # write_graph defaults to True
    model.fit(x, y, epochs=1, batch_size=8, verbose=0, callbacks=[board])
    run = tensorboard_events.read_run(str(tmp_path / "train"))
    [(step, tensor)] = run["tensors"]["keras"]
    assert step == 0
    assert json.loads(tensor.string_val[0]) == json.loads(model.to_json())


def test_embeddings_for_the_projector(data, tmp_path):
    rng = np.random.default_rng(0)
    tokens = rng.integers(0, 5, size=(16, 2))
    target = rng.normal(size=(16, 2, 3)).astype("float32")
    model = lamina.Sequential([
        lamina.Input((2,), dtype="int32"),
        Embedding(5, 3, name="words")])
    model.compile(lamina.optimizers.SGD(0.1), "mse")
    labels = tmp_path / "labels.tsv"
    labels.write_text("".join(f"word{i}\n" for i in range(5)))
    recorded = []
    spy = callbacks.LambdaCallback(
        on_epoch_end=lambda e, logs: recorded.append(
            model.layers[0].embeddings.numpy().copy()))
    board = callbacks.TensorBoard(tmp_path / "logs", embeddings_freq=1,
                                  embeddings_metadata={"words": labels},
                                  write_graph=False)
    model.fit(tokens, target, epochs=2, batch_size=8, verbose=0,
              callbacks=[spy, board])
    json.dumps(board.get_config())  # the file path is stored as text
    train = tmp_path / "logs" / "train"
    config = (train / "projector_config.pbtxt").read_text()
    assert 'tensor_name: "words:00000"' in config
    assert 'tensor_name: "words:00001"' in config
    for epoch in (0, 1):
        folder = train / f"{epoch:05d}" / "words"
        saved = np.loadtxt(folder / "tensors.tsv", delimiter="\t")
        assert _close(saved, recorded[epoch])
        assert (folder / "metadata.tsv").read_text().split() == [
            f"word{i}" for i in range(5)]


def test_embeddings_metadata_must_name_embedding_layers(model, data,
                                                        tmp_path):
    x, y = data
    board = callbacks.TensorBoard(tmp_path, embeddings_freq=1,
                                  embeddings_metadata={"nope": "x.tsv"})
    with pytest.raises(ValueError, match="nope"):
        model.fit(x, y, epochs=1, verbose=0, callbacks=[board])


def test_evaluate_writes_evaluation_scalars(model, data, tmp_path):
    x, y = data
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    board = callbacks.TensorBoard(tmp_path)
    loss = model.evaluate(x, y, verbose=0, callbacks=[board])
    scalars = tensorboard_events.read_run(
        str(tmp_path / "validation"))["scalars"]
    assert [s for s, _ in scalars["evaluation_loss_vs_iterations"]] == [4]
    assert _close(scalars["evaluation_loss_vs_iterations"][0][1], loss)


@pytest.mark.skipif(tensorboard_events.event_accumulator is None,
                    reason="needs the tensorboard package's reader")
def test_both_readers_agree(model, data, tmp_path):
    x, y = data
    board = callbacks.TensorBoard(tmp_path, histogram_freq=1,
                                  update_freq="batch")
    model.fit(x, y, epochs=2, batch_size=16, verbose=0, callbacks=[board])
    run = str(tmp_path / "train")
    ours = tensorboard_events.read_run_with_protos(run)
    theirs = tensorboard_events.read_run(run)
    assert ours["scalars"].keys() == theirs["scalars"].keys()
    for tag, events in theirs["scalars"].items():
        assert _close(np.array(ours["scalars"][tag]), np.array(events))
    assert ours["histograms"] == theirs["histograms"]
    assert [(s, list(t.string_val)) for s, t in ours["tensors"]["keras"]] \
        == [(s, list(t.string_val)) for s, t in theirs["tensors"]["keras"]]


def test_arguments_checked(tmp_path):
    for kwargs, match in [({"update_freq": "step"}, "update_freq"),
                          ({"update_freq": 0}, "update_freq"),
                          ({"histogram_freq": -1}, "histogram_freq"),
                          ({"embeddings_freq": 1.5}, "embeddings_freq"),
                          ({"profile_batch": "a,b"}, "profile_batch"),
                          ({"profile_batch": (5, 2)}, "profile_batch")]:
        with pytest.raises(ValueError, match=match):
            callbacks.TensorBoard(tmp_path, **kwargs)
    with pytest.raises(TypeError, match="embeddings_metadata"):
        callbacks.TensorBoard(tmp_path, embeddings_metadata=3)
    with pytest.warns(UserWarning, match="profile_batch"):
        callbacks.TensorBoard(tmp_path, profile_batch="10,20")


def test_missing_tensorboardx_names_the_pip_command(monkeypatch, tmp_path):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None
                        if name == "tensorboardX" else real(name, *a))
    with pytest.raises(ImportError, match="pip install tensorboardX"):
        callbacks.TensorBoard(tmp_path)


def test_config_round_trips(tmp_path):
    board = callbacks.TensorBoard(str(tmp_path), histogram_freq=2,
                                  write_graph=False, write_images=True,
                                  write_steps_per_second=True, update_freq=7,
                                  embeddings_freq=3,
                                  embeddings_metadata={"emb": "m.tsv"})
    config = board.get_config()
    assert callbacks.TensorBoard.from_config(config).get_config() == config
    twin = saving.deserialize(saving.serialize(board), "callbacks")
    assert isinstance(twin, callbacks.TensorBoard)
    assert twin.get_config() == config
    assert callbacks.ALL_OBJECTS["TensorBoard"] is callbacks.TensorBoard
    default = callbacks.TensorBoard()
    assert default.log_dir == "logs" and default.update_freq == "epoch"
