"""`.keras` archives: round trips, compile and optimizer state, atomic
saves, errors for files that are missing, corrupt or not archives."""

import io
import json
import os
import zipfile

import h5py
import numpy as np
import pytest

import lamina
from lamina import layers as L
from lamina.saving import archive
from lamina.saving import weights as weights_lib

RNG = np.random.default_rng(0)


def _sequential():
    return lamina.Sequential([lamina.Input((4,)),
                              L.Dense(8, activation="relu"), L.Dense(2)])


def _merge_model():
    a, b = lamina.Input((4,), name="a"), lamina.Input((3,), name="b")
    merged = L.Concatenate()([L.Dense(5)(a), L.Dense(5)(b)])
    return lamina.Model([a, b], L.Dense(2, activation="tanh")(merged))


def _nested_model():
    inner_in = lamina.Input((6,))
    inner = lamina.Model(inner_in, L.Dense(3)(inner_in), name="inner")
    stack = lamina.Sequential([lamina.Input((6,)), L.Dense(3)], name="stack")
    x = lamina.Input((4,))
    h = L.Dense(6)(x)
    return lamina.Model(x, L.Average()([inner(h), stack(h)]))


def _shared_model():
    a, b = lamina.Input((4,)), lamina.Input((4,))
    shared = L.Dense(3)
    return lamina.Model([a, b], L.Multiply()([shared(a), shared(b)]))


CASES = {
    "sequential": (_sequential, lambda: RNG.random((5, 4), "float32")),
    "merge": (_merge_model, lambda: [RNG.random((5, 4), "float32"),
                                     RNG.random((5, 3), "float32")]),
    "nested": (_nested_model, lambda: RNG.random((5, 4), "float32")),
    "shared": (_shared_model, lambda: [RNG.random((5, 4), "float32"),
                                       RNG.random((5, 4), "float32")]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_round_trip(tmp_path, case):
    make, data = CASES[case]
    model, inputs = make(), data()
    path = tmp_path / "model.keras"
    model.save(path)
    loaded = lamina.models.load_model(path)
    assert type(loaded) is type(model)
    assert loaded.get_config() == model.get_config()
    np.testing.assert_array_equal(model.predict(inputs, verbose=0),
                                  loaded.predict(inputs, verbose=0))


def test_archive_contents(tmp_path):
    model = _sequential()
    path = tmp_path / "model.keras"
    lamina.models.save_model(model, path)
    with zipfile.ZipFile(path) as z:
        assert sorted(z.namelist()) == ["config.json", "metadata.json",
                                        "model.weights.h5"]
        metadata = json.loads(z.read("metadata.json"))
        config = json.loads(z.read("config.json"))
    assert set(metadata) >= {"keras_version", "date_saved"}
    assert (config["module"], config["class_name"]) == ("keras",
                                                        "Sequential")
    assert "compile_config" not in config
    dense = config["config"]["layers"][1]["config"]
    # Keras 3 files hold a layer's dtype as a DTypePolicy.
    assert dense["dtype"] == {"module": "keras", "class_name": "DTypePolicy",
                              "config": {"name": "float32"},
                              "registered_name": None}
    assert config["config"]["layers"][0]["config"]["dtype"] == "float32"


def test_compiled_model_resumes_training_identically(tmp_path):
    model = _sequential()
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    x, y = RNG.random((32, 4), "float32"), RNG.random((32, 2), "float32")
    model.fit(x, y, epochs=2, batch_size=8, shuffle=False, verbose=0)
    path = tmp_path / "trained.keras"
    model.save(path)
    with zipfile.ZipFile(path) as z:
        compile_config = json.loads(z.read("config.json"))["compile_config"]
    assert compile_config["loss"] == "mse"
    assert compile_config["optimizer"]["class_name"] == "Adam"
    loaded = lamina.models.load_model(path)
    assert loaded.compiled
    assert int(loaded.optimizer.iterations.numpy()) == 8
    more = {"epochs": 1, "batch_size": 8, "shuffle": False, "verbose": 0}
    h1, h2 = model.fit(x, y, **more), loaded.fit(x, y, **more)
    # Float tolerance: on JAX the loaded model's first step runs eagerly
    # (to find its state) and XLA's fused jitted step rounds differently.
    assert h1.history.keys() == h2.history.keys()
    for key in h1.history:
        np.testing.assert_allclose(h1.history[key], h2.history[key],
                                   rtol=1e-6)
    for a, b in zip(model.get_weights(), loaded.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


def test_load_without_compile(tmp_path):
    model = _sequential()
    model.compile("sgd", "mse")
    model.save(tmp_path / "m.keras")
    loaded = lamina.models.load_model(tmp_path / "m.keras", compile=False)
    assert not loaded.compiled


def test_json_round_trip():
    model = _merge_model()
    model.compile("rmsprop", "mse")
    text = model.to_json(indent=1)
    assert json.loads(text)["compile_config"]["loss"] == "mse"
    twin = lamina.models.model_from_json(text)
    assert twin.compiled and twin.get_config() == model.get_config()
    with pytest.raises(ValueError, match="not valid JSON"):
        lamina.models.model_from_json("{nope")


def test_save_is_atomic(tmp_path, monkeypatch):
    path = tmp_path / "model.keras"
    first = _sequential()
    first.save(path)
    before = path.read_bytes()

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(zipfile.ZipFile, "writestr", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        _sequential().save(path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["model.keras"]  # no temporary left
    loaded = lamina.models.load_model(path)
    x = RNG.random((2, 4), "float32")
    np.testing.assert_array_equal(first.predict(x, verbose=0),
                                  loaded.predict(x, verbose=0))


def test_weights_save_is_atomic(tmp_path, monkeypatch):
    path = tmp_path / "w.weights.h5"
    model = _sequential()
    model.save_weights(path)
    before = path.read_bytes()

    def fail(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(weights_lib, "write_weights", fail)
    with pytest.raises(KeyboardInterrupt):
        model.save_weights(path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["w.weights.h5"]


def test_save_arguments(tmp_path):
    model = _sequential()
    with pytest.raises(ValueError, match=r"\.keras"):
        model.save(tmp_path / "model.txt")
    with pytest.raises(ValueError, match="SavedModel"):
        model.save(tmp_path / "model", save_format="tf")
    model.save(tmp_path / "m.keras")
    with pytest.raises(FileExistsError, match="overwrite"):
        model.save(tmp_path / "m.keras", overwrite=False)
    with pytest.raises(FileNotFoundError, match="directory"):
        model.save(tmp_path / "missing" / "m.keras")


def test_load_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="no file"):
        lamina.models.load_model(tmp_path / "absent.keras")
    with pytest.raises(ValueError, match="directory"):
        lamina.models.load_model(tmp_path)
    (tmp_path / "text.keras").write_text("hello")
    with pytest.raises(ValueError, match="not a `.keras` archive"):
        lamina.models.load_model(tmp_path / "text.keras")
    good = tmp_path / "good.keras"
    _sequential().save(good)
    data = good.read_bytes()
    (tmp_path / "cut.keras").write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match="cut.keras"):
        lamina.models.load_model(tmp_path / "cut.keras")
    with zipfile.ZipFile(tmp_path / "noconfig.keras", "w") as z:
        z.writestr("model.weights.h5", b"")
    with pytest.raises(ValueError, match="config.json"):
        lamina.models.load_model(tmp_path / "noconfig.keras")
    with zipfile.ZipFile(tmp_path / "badjson.keras", "w") as z:
        z.writestr("config.json", "{")
        z.writestr("model.weights.h5", b"")
    with pytest.raises(ValueError, match="not valid JSON"):
        lamina.models.load_model(tmp_path / "badjson.keras")


def test_corrupt_member_is_reported(tmp_path):
    good = tmp_path / "good.keras"
    _sequential().save(good)
    with zipfile.ZipFile(good) as z:
        config = z.read("config.json")
    bad = tmp_path / "bad.keras"
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("config.json", config)
        z.writestr("model.weights.h5", b"garbage, not HDF5")
    with pytest.raises(ValueError, match="HDF5"):
        lamina.models.load_model(bad)
    raw = bytearray(good.read_bytes())
    start = raw.find(b"\x89HDF")  # flip bytes inside the stored weights
    for i in range(start + 100, start + 400):
        raw[i] ^= 0xFF  # zip's CRC check catches this
    (tmp_path / "flipped.keras").write_bytes(bytes(raw))
    with pytest.raises(ValueError, match="flipped.keras"):
        lamina.models.load_model(tmp_path / "flipped.keras")


def test_load_weights_from_archive(tmp_path):
    model, twin = _merge_model(), _merge_model()
    model.save(tmp_path / "m.keras")
    twin.load_weights(tmp_path / "m.keras")
    for a, b in zip(model.get_weights(), twin.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_model_config_helper_matches_saved_file(tmp_path):
    model = _nested_model()
    model.save(tmp_path / "n.keras")
    with zipfile.ZipFile(tmp_path / "n.keras") as z:
        assert json.loads(z.read("config.json")) == json.loads(
            json.dumps(archive.model_config(model)))


def test_optimizer_state_is_stored_in_keras_order(tmp_path):
    # lamina builds the optimizer on its own layer order (d3, d1, d2 here);
    # Keras 3 orders by depth (d1, d3, d2). Files hold Keras 3's order.
    x = lamina.Input((3,))
    short = L.Dense(2, name="d3")(x)
    long = L.Dense(2, name="d2")(L.Dense(5, name="d1")(x))
    model = lamina.Model(x, L.Add()([short, long]))
    model.compile(optimizer="adam", loss="mse")
    data, target = RNG.random((8, 3), "float32"), RNG.random((8, 2),
                                                             "float32")
    model.fit(data, target, epochs=1, batch_size=4, verbose=0)
    path = tmp_path / "graph.keras"
    model.save(path)
    with zipfile.ZipFile(path) as z, \
            h5py.File(io.BytesIO(z.read("model.weights.h5")), "r") as f:
        group = f["optimizer/vars"]
        shapes = [group[str(i)].shape for i in range(len(group))]
    keras_order = [(3, 5), (5,), (3, 2), (2,), (5, 2), (2,)]  # d1, d3, d2
    assert shapes == [(), ()] + [s for s in keras_order for _ in (0, 1)]
    loaded = lamina.models.load_model(path)
    more = {"epochs": 1, "batch_size": 4, "shuffle": False, "verbose": 0}
    model.fit(data, target, **more)
    loaded.fit(data, target, **more)
    for a, b in zip(model.get_weights(), loaded.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


def test_wrong_kind_of_file_is_named(tmp_path):
    model = _sequential()
    model.save_weights(tmp_path / "w.weights.h5")
    with pytest.raises(ValueError, match=r"w\.weights\.h5' is a "
                       r"`\.weights\.h5` weights file.*load_weights"):
        lamina.models.load_model(tmp_path / "w.weights.h5")
    with h5py.File(tmp_path / "other.h5", "w") as f:
        f["data"] = np.zeros(3)
    with pytest.raises(ValueError, match="other.h5' is an HDF5 file "
                       "without a model"):
        lamina.models.load_model(tmp_path / "other.h5")
    with h5py.File(tmp_path / "bad.h5", "w") as f:
        f.attrs["model_config"] = "{"
    with pytest.raises(ValueError, match="bad.h5' is not valid JSON"):
        lamina.models.load_model(tmp_path / "bad.h5")
    (tmp_path / "notes.weights.h5").write_text("not weights")
    with pytest.raises(ValueError, match="notes.weights.h5' is neither"):
        model.load_weights(tmp_path / "notes.weights.h5")
    model.save(tmp_path / "m.keras")
    with pytest.raises(ValueError, match="by_name=True applies to legacy"):
        model.load_weights(tmp_path / "m.keras", by_name=True)


def test_corrupt_hdf5_files_are_named(tmp_path):
    model = _sequential()
    model.save_weights(tmp_path / "w.weights.h5")
    with pytest.warns(UserWarning, match="legacy"):
        model.save(tmp_path / "m.h5")
    for name in ("w.weights.h5", "m.h5"):
        data = (tmp_path / name).read_bytes()
        cut = tmp_path / f"cut_{name}"
        cut.write_bytes(data[: len(data) // 3])
        with pytest.raises(ValueError, match=f"cut_{name}"):
            model.load_weights(cut)
    with pytest.raises(ValueError, match="cut_m.h5"):
        lamina.models.load_model(tmp_path / "cut_m.h5")


def test_safe_mode_refuses_lambdas(tmp_path):
    x = lamina.Input((2,))
    model = lamina.Model(x, L.Lambda(lambda t: t * 3.0)(x))
    model.save(tmp_path / "lambda.keras")
    with pytest.raises(ValueError, match="safe_mode"):
        lamina.models.load_model(tmp_path / "lambda.keras")
    loaded = lamina.models.load_model(tmp_path / "lambda.keras",
                                      safe_mode=False)
    data = np.ones((1, 2), "float32")
    np.testing.assert_array_equal(loaded.predict(data, verbose=0),
                                  3.0 * data)


def test_unknown_loss_loads_uncompiled(tmp_path):
    def my_loss(y_true, y_pred):
        return lamina.ops.mean(lamina.ops.abs(y_true - y_pred))

    model = _sequential()
    model.compile("sgd", my_loss)
    model.save(tmp_path / "custom.keras")
    with pytest.warns(UserWarning, match="not compiled"):
        loaded = lamina.models.load_model(tmp_path / "custom.keras")
    assert not loaded.compiled
    loaded = lamina.models.load_model(tmp_path / "custom.keras",
                                      custom_objects={"my_loss": my_loss})
    assert loaded.compiled
