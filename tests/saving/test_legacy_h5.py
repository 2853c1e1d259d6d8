"""Legacy `.h5` model files: Keras 2 and Keras 1 files (built from the
documented layout, see `legacy_fixtures`) load with their weights and
compile settings; lamina writes the format too (round trip, atomic).
Keras 3's own `.h5` files are covered by test_keras_interop.py."""

import os
import warnings

import h5py
import legacy_fixtures as F
import numpy as np
import pytest

import lamina
from lamina import layers as L
from lamina.saving import legacy_h5


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def _load(path, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return lamina.models.load_model(path, **kwargs)


def _keras2_reference(arrays, a, b):
    kernel, bias = arrays["dense"]
    dense = np.maximum(a @ kernel + bias, 0)
    w, u, bias = arrays["gru"]
    h = np.zeros((len(b), 3), "float32")
    for t in range(b.shape[1]):
        x = b[:, t]
        z = _sigmoid(x @ w[:, :3] + bias[:3] + h @ u[:, :3])
        r = _sigmoid(x @ w[:, 3:6] + bias[3:6] + h @ u[:, 3:6])
        hh = np.tanh(x @ w[:, 6:] + bias[6:] + (r * h) @ u[:, 6:])
        h = z * h + (1 - z) * hh
    kernel, bias = arrays["out"]
    return _softmax(np.concatenate([dense, h], -1) @ kernel + bias)


def test_keras2_functional_model(tmp_path):
    rng = np.random.default_rng(0)
    arrays = F.keras2_functional(tmp_path / "k2.h5", rng)
    a = rng.normal(size=(3, 4)).astype("float32")
    b = rng.normal(size=(3, 5, 2)).astype("float32")
    model = _load(tmp_path / "k2.h5")
    np.testing.assert_allclose(model.predict([a, b], verbose=0),
                               _keras2_reference(arrays, a, b),
                               rtol=1e-5, atol=1e-6)
    assert model.get_layer("gru").cell.reset_after is False
    assert model.compiled and type(model.optimizer).__name__ == "Adam"
    np.testing.assert_allclose(model.optimizer.learning_rate.numpy(), 0.002)
    assert model.loss == "categorical_crossentropy"


def test_keras2_weights_into_a_model_built_in_code(tmp_path):
    rng = np.random.default_rng(1)
    arrays = F.keras2_functional(tmp_path / "k2.h5", rng)
    a, b = lamina.Input((4,)), lamina.Input((5, 2))
    merged = L.Concatenate()([L.Dense(3, activation="relu")(a),
                              L.GRU(3, reset_after=False)(b)])
    model = lamina.Model([a, b], L.Dense(2, activation="softmax")(merged))
    model.load_weights(tmp_path / "k2.h5")
    xa = rng.normal(size=(2, 4)).astype("float32")
    xb = rng.normal(size=(2, 5, 2)).astype("float32")
    np.testing.assert_allclose(model.predict([xa, xb], verbose=0),
                               _keras2_reference(arrays, xa, xb),
                               rtol=1e-5, atol=1e-6)


def test_by_name_and_skip_mismatch(tmp_path):
    rng = np.random.default_rng(2)
    arrays = F.keras2_functional(tmp_path / "k2.h5", rng)
    x = lamina.Input((4,))
    h = L.Dense(3, name="dense")(x)
    model = lamina.Model(x, L.Dense(5, name="extra")(h))
    with pytest.raises(ValueError, match="by_name=True"):
        model.load_weights(tmp_path / "k2.h5")
    before = model.get_layer("extra").get_weights()
    model.load_weights(tmp_path / "k2.h5", by_name=True)
    np.testing.assert_array_equal(model.get_layer("dense").get_weights()[0],
                                  arrays["dense"][0])
    np.testing.assert_array_equal(model.get_layer("extra").get_weights()[0],
                                  before[0])  # not in the file: untouched
    y = L.Dense(3, name="dense")(x)
    other = lamina.Model(x, L.Dense(7, name="out")(y))  # 'out' is (6, 2)
    with pytest.raises(ValueError, match=r"'out'.*\(3, 7\).*\(6, 2\)"):
        other.load_weights(tmp_path / "k2.h5", by_name=True)
    with pytest.warns(UserWarning, match="Skipping layer 'out'"):
        other.load_weights(tmp_path / "k2.h5", by_name=True,
                           skip_mismatch=True)
    np.testing.assert_array_equal(other.get_layer("dense").get_weights()[1],
                                  arrays["dense"][1])


def _theano_conv_reference(arrays, x):
    kernel, bias = arrays["convolution2d_1"]
    out = np.zeros((len(x), 2, 4, 4), "float32")
    flipped = kernel[:, :, ::-1, ::-1]  # Theano convolves (flips)
    for i in range(4):
        for j in range(4):
            patch = x[:, :, i:i + 3, j:j + 3]
            out[:, :, i, j] = np.einsum("bcuv,ocuv->bo", patch, flipped)
    out = np.maximum(out + bias[None, :, None, None], 0)
    kernel, bias = arrays["dense_1"]
    return _softmax(out.reshape(len(x), -1) @ kernel + bias)


@pytest.mark.parametrize("backend", ["theano", "tensorflow"])
def test_keras1_sequential_convnet(tmp_path, backend):
    rng = np.random.default_rng(3)
    arrays = F.keras1_sequential(tmp_path / "k1.h5", rng, backend)
    if backend == "tensorflow":  # no flip: store the flipped kernel
        with h5py.File(tmp_path / "k1.h5", "r+") as f:
            group = f["model_weights/convolution2d_1"]
            group["convolution2d_1_W"][...] = \
                arrays["convolution2d_1"][0][:, :, ::-1, ::-1]
    x = rng.normal(size=(2, 1, 6, 6)).astype("float32")
    model = _load(tmp_path / "k1.h5")
    assert isinstance(model, lamina.Sequential)
    np.testing.assert_allclose(model.predict(x, verbose=0),
                               _theano_conv_reference(arrays, x),
                               rtol=1e-5, atol=1e-6)
    dense = model.get_layer("dense_1")
    assert dense.kernel_regularizer.get_config()["l2"] == \
        pytest.approx(0.01)
    assert dense.kernel_constraint.get_config()["max_value"] == 2
    assert model.compiled and type(model.optimizer).__name__ == "SGD"


def test_keras1_functional_merge_and_lstm_gates(tmp_path):
    rng = np.random.default_rng(4)
    gates, dense = F.keras1_functional(tmp_path / "k1f.h5", rng)
    model = _load(tmp_path / "k1f.h5")
    x = rng.normal(size=(3, 4, 3)).astype("float32")
    side = rng.normal(size=(3, 2)).astype("float32")
    h = np.zeros((3, 2), "float32")
    c = np.zeros((3, 2), "float32")
    for t in range(4):
        pre = {g: x[:, t] @ w + b + h @ u for g, (w, u, b) in gates.items()}
        c = _sigmoid(pre["f"]) * c + _sigmoid(pre["i"]) * np.tanh(pre["c"])
        h = _sigmoid(pre["o"]) * np.tanh(c)
    want = np.concatenate([h, side], -1) @ dense[0] + dense[1]
    np.testing.assert_allclose(model.predict([x, side], verbose=0), want,
                               rtol=1e-5, atol=1e-6)
    assert type(model.get_layer("merge_1")).__name__ == "Concatenate"
    assert not model.compiled  # the file has no training_config


@pytest.mark.requires_training
def test_lamina_h5_round_trip_resumes_training(tmp_path):
    a, b = lamina.Input((4,)), lamina.Input((3,))
    h = L.BatchNormalization()(L.Dense(5, activation="relu")(a))
    merged = L.Concatenate()([h, L.Dense(2)(b)])
    model = lamina.Model([a, b], L.Dense(2)(merged))
    # Momentum, not Adam: Adam's m/sqrt(v) turns rounding differences of
    # near-zero gradients (JAX's jitted vs eager step) into visible ones.
    model.compile(optimizer=lamina.optimizers.SGD(0.05, momentum=0.9),
                  loss="mse", metrics=["mae"])
    rng = np.random.default_rng(5)
    x = [rng.random((8, 4), "float32"), rng.random((8, 3), "float32")]
    y = rng.random((8, 2), "float32")
    fit = {"epochs": 1, "batch_size": 4, "shuffle": False, "verbose": 0}
    model.fit(x, y, **fit)
    with pytest.warns(UserWarning, match="legacy HDF5"):
        model.save(tmp_path / "m.h5")
    loaded = _load(tmp_path / "m.h5")
    assert loaded.get_config() == model.get_config()
    np.testing.assert_array_equal(loaded.predict(x, verbose=0),
                                  model.predict(x, verbose=0))
    for mine, theirs in zip(model.optimizer.variables,
                            loaded.optimizer.variables):
        np.testing.assert_array_equal(mine.numpy(), theirs.numpy())
    model.fit(x, y, **fit)
    loaded.fit(x, y, **fit)
    for got, want in zip(loaded.get_weights(), model.get_weights()):
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-7)


def test_lamina_h5_layout_and_options(tmp_path):
    model = lamina.Sequential([lamina.Input((3,)), L.Dense(2, name="d")])
    model.compile("sgd", "mse")
    with pytest.warns(UserWarning):
        model.save(tmp_path / "m.h5", include_optimizer=False)
    with pytest.warns(UserWarning):
        model.save(tmp_path / "m2.hdf5")
    with h5py.File(tmp_path / "m.h5", "r") as f:
        assert "training_config" not in f.attrs
        assert [n.decode() for n in f["model_weights"].attrs[
            "layer_names"]] == ["d"]
        assert [n.decode() for n in f["model_weights/d"].attrs[
            "weight_names"]] == ["d/d/kernel", "d/d/bias"]
    assert not _load(tmp_path / "m.h5").compiled
    assert _load(tmp_path / "m2.hdf5").compiled
    x = np.ones((1, 3), "float32")
    np.testing.assert_array_equal(
        _load(tmp_path / "m.h5", compile=False).predict(x, verbose=0),
        model.predict(x, verbose=0))


def test_h5_save_is_atomic(tmp_path, monkeypatch):
    path = tmp_path / "m.h5"
    model = lamina.Sequential([lamina.Input((3,)), L.Dense(2)])
    with pytest.warns(UserWarning):
        model.save(path)
    before = path.read_bytes()

    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(legacy_h5, "write_model", fail)
    with pytest.raises(OSError, match="disk full"), pytest.warns(
            UserWarning):
        model.save(path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["m.h5"]


def test_unknown_layer_in_legacy_file_is_named(tmp_path):
    rng = np.random.default_rng(6)
    F.keras2_functional(tmp_path / "k2.h5", rng)
    with h5py.File(tmp_path / "k2.h5", "r+") as f:
        config = f.attrs["model_config"]
        if isinstance(config, bytes):
            config = config.decode()
        f.attrs["model_config"] = config.replace('"GRU"', '"MyRNN"')
    with pytest.raises(ValueError, match="'MyRNN'.*custom_objects"):
        _load(tmp_path / "k2.h5")


def test_keras2_lambda_needs_safe_mode_off(tmp_path):
    import base64
    import json
    import marshal

    code = base64.encodebytes(marshal.dumps(
        (lambda t, k=2.0: t * k + 1.0).__code__)).decode("ascii")
    layers = [
        {"class_name": "InputLayer", "name": "x", "inbound_nodes": [],
         "config": {"batch_input_shape": [None, 2], "dtype": "float32",
                    "sparse": False, "name": "x"}},
        {"class_name": "Lambda", "name": "lambda",
         "inbound_nodes": [[["x", 0, 0, {}]]],
         "config": {"name": "lambda", "trainable": True, "dtype": "float32",
                    "function": [code, [2.0], None],
                    "function_type": "lambda", "module": "__main__",
                    "output_shape": None, "output_shape_type": "raw",
                    "output_shape_module": None, "arguments": {}}}]
    with h5py.File(tmp_path / "lam.h5", "w") as f:
        f.attrs["model_config"] = json.dumps({
            "class_name": "Model", "config": {
                "name": "m", "layers": layers,
                "input_layers": [["x", 0, 0]],
                "output_layers": [["lambda", 0, 0]]}})
        f.attrs["keras_version"] = "2.4.0"
        weights = f.create_group("model_weights")
        weights.attrs["layer_names"] = [b"x", b"lambda"]
        for name in ("x", "lambda"):
            weights.create_group(name).attrs["weight_names"] = []
    with pytest.raises(ValueError, match="safe_mode=False"):
        _load(tmp_path / "lam.h5")
    model = _load(tmp_path / "lam.h5", safe_mode=False)
    data = np.array([[1.0, -2.0]], "float32")
    np.testing.assert_allclose(model.predict(data, verbose=0),
                               data * 2.0 + 1.0)
