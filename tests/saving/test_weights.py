"""`.weights.h5` files: Keras 3's group layout, round trips, mismatches."""

import h5py
import numpy as np
import pytest

import lamina
from lamina import layers as L
from lamina.saving import weights as weights_lib


def _two_branch_model():
    a, b = lamina.Input((4,), name="a"), lamina.Input((3,), name="b")
    x = L.Concatenate()([L.Dense(5, name="sh")(a), L.Dense(5)(b)])
    inner_in = lamina.Input((10,))
    inner = lamina.Model(inner_in, L.Dense(2)(inner_in), name="inner")
    stack = lamina.Sequential([lamina.Input((10,)), L.Dense(3), L.Dense(2)])
    return lamina.Model([a, b], L.Add()([inner(x), stack(x)]))


def _datasets(path):
    found = {}
    with h5py.File(path, "r") as f:
        f.visititems(lambda name, obj: found.__setitem__(name, obj.shape)
                     if isinstance(obj, h5py.Dataset) else None)
    return found


def _randomize(model, seed):
    rng = np.random.default_rng(seed)
    model.set_weights([rng.normal(size=w.shape).astype(w.dtype)
                       for w in model.get_weights()])


def test_keras_snake_case():
    assert weights_lib.keras_snake_case("Conv2D") == "conv2d"
    assert weights_lib.keras_snake_case("BatchNormalization") == \
        "batch_normalization"
    assert weights_lib.keras_snake_case("LSTM") == "lstm"
    assert weights_lib.keras_snake_case("InputLayer") == "input_layer"


def test_layout_matches_keras_3(tmp_path):
    # The datasets Keras 3.15 writes for the same graph (see test above's
    # model): groups named by class and position, not by layer name.
    model = _two_branch_model()
    path = tmp_path / "m.weights.h5"
    model.save_weights(path)
    assert _datasets(path) == {
        "layers/dense/vars/0": (4, 5), "layers/dense/vars/1": (5,),
        "layers/dense_1/vars/0": (3, 5), "layers/dense_1/vars/1": (5,),
        "layers/functional/layers/dense/vars/0": (10, 2),
        "layers/functional/layers/dense/vars/1": (2,),
        "layers/sequential/layers/dense/vars/0": (10, 3),
        "layers/sequential/layers/dense/vars/1": (3,),
        "layers/sequential/layers/dense_1/vars/0": (3, 2),
        "layers/sequential/layers/dense_1/vars/1": (2,)}
    with h5py.File(path, "r") as f:
        assert f["layers/dense/vars"].attrs["name"] == "sh"
        assert "layers/input_layer_1/vars" in f  # empty groups, as Keras
        assert "vars" in f


def test_round_trip_same_predictions(tmp_path):
    model, twin = _two_branch_model(), _two_branch_model()
    _randomize(model, 0)
    model.save_weights(tmp_path / "m.weights.h5")
    twin.load_weights(tmp_path / "m.weights.h5")
    rng = np.random.default_rng(1)
    data = [rng.random((3, 4), "float32"), rng.random((3, 3), "float32")]
    np.testing.assert_array_equal(model.predict(data, verbose=0),
                                  twin.predict(data, verbose=0))


def test_shared_layer_saved_once(tmp_path):
    a, b = lamina.Input((3,)), lamina.Input((3,))
    shared = L.Dense(2)
    model = lamina.Model([a, b], L.Add()([shared(a), shared(b)]))
    path = tmp_path / "s.weights.h5"
    model.save_weights(path)
    assert sorted(_datasets(path)) == ["layers/dense/vars/0",
                                       "layers/dense/vars/1"]


def test_mismatch_names_layer_and_shapes_and_changes_nothing(tmp_path):
    small = lamina.Sequential([lamina.Input((4,)), L.Dense(3), L.Dense(2)])
    big = lamina.Sequential([lamina.Input((4,)), L.Dense(3), L.Dense(5)])
    small.save_weights(tmp_path / "small.weights.h5")
    before = big.get_weights()
    with pytest.raises(ValueError) as error:
        big.load_weights(tmp_path / "small.weights.h5")
    message = str(error.value)
    assert big.layers[1].name in message and "layers/dense_1" in message
    assert "(3, 5)" in message and "(3, 2)" in message
    for old, new in zip(before, big.get_weights()):
        np.testing.assert_array_equal(old, new)  # first layer untouched


def test_skip_mismatch_loads_the_rest(tmp_path):
    small = lamina.Sequential([lamina.Input((4,)), L.Dense(3), L.Dense(2)])
    big = lamina.Sequential([lamina.Input((4,)), L.Dense(3), L.Dense(5)])
    _randomize(small, 2)
    small.save_weights(tmp_path / "small.weights.h5")
    with pytest.warns(UserWarning, match="Skipping"):
        big.load_weights(tmp_path / "small.weights.h5", skip_mismatch=True)
    np.testing.assert_array_equal(big.layers[0].get_weights()[0],
                                  small.layers[0].get_weights()[0])


def test_missing_layer_in_file(tmp_path):
    one = lamina.Sequential([lamina.Input((4,)), L.Dense(3)])
    two = lamina.Sequential([lamina.Input((4,)), L.Dense(3), L.Dense(2)])
    one.save_weights(tmp_path / "one.weights.h5")
    with pytest.raises(ValueError, match="layers/dense_1.*file has 0"):
        two.load_weights(tmp_path / "one.weights.h5")


def test_unbuilt_model_error(tmp_path):
    built = lamina.Sequential([lamina.Input((4,)), L.Dense(3)])
    built.save_weights(tmp_path / "b.weights.h5")
    unbuilt = lamina.Sequential([L.Dense(3)])
    with pytest.raises(ValueError, match="not built"):
        unbuilt.load_weights(tmp_path / "b.weights.h5")


def test_file_name_and_missing_file(tmp_path):
    model = lamina.Sequential([lamina.Input((2,)), L.Dense(1)])
    with pytest.raises(ValueError, match=r"\.weights\.h5"):
        model.save_weights(tmp_path / "w.h5")
    with pytest.raises(FileNotFoundError, match="nothere"):
        model.load_weights(tmp_path / "nothere.weights.h5")
    (tmp_path / "junk.weights.h5").write_bytes(b"not hdf5 at all")
    with pytest.raises(ValueError, match="HDF5"):
        model.load_weights(tmp_path / "junk.weights.h5")
    model.save_weights(tmp_path / "w.weights.h5")
    with pytest.raises(FileExistsError):
        model.save_weights(tmp_path / "w.weights.h5", overwrite=False)


def test_optimizer_state_in_weights_file(tmp_path):
    model = lamina.Sequential([lamina.Input((3,)), L.Dense(2)])
    model.compile("adam", "mse")
    x, y = np.ones((4, 3), "float32"), np.zeros((4, 2), "float32")
    model.fit(x, y, epochs=1, verbose=0)
    path = tmp_path / "o.weights.h5"
    model.save_weights(path)
    variables = model.optimizer.variables
    found = _datasets(path)
    assert [found[f"optimizer/vars/{i}"] for i in range(len(variables))] \
        == [tuple(v.shape) for v in variables]
    twin = lamina.Sequential([lamina.Input((3,)), L.Dense(2)])
    twin.compile("adam", "mse")
    twin.optimizer.build(twin.trainable_variables)
    twin.load_weights(path)
    for mine, theirs in zip(variables, twin.optimizer.variables):
        np.testing.assert_array_equal(mine.numpy(), theirs.numpy())


def test_keras2_h5_weights(tmp_path):
    # Keras 2's layout: `layer_names` on the root, `weight_names` per layer.
    model = lamina.Sequential([lamina.Input((3,)), L.Dense(4), L.Dense(2)])
    rng = np.random.default_rng(3)
    values = [rng.normal(size=w.shape).astype("float32")
              for w in model.get_weights()]
    path = tmp_path / "old.h5"
    with h5py.File(path, "w") as f:
        f.attrs["layer_names"] = [b"dense_9", b"flatten_1", b"dense_10"]
        f.create_group("flatten_1").attrs["weight_names"] = []
        for name, (kernel, bias) in (("dense_9", values[:2]),
                                     ("dense_10", values[2:])):
            group = f.create_group(name)
            group.attrs["weight_names"] = [f"{name}/kernel:0".encode(),
                                           f"{name}/bias:0".encode()]
            group[f"{name}/kernel:0"] = kernel
            group[f"{name}/bias:0"] = bias
    model.load_weights(path)
    for got, want in zip(model.get_weights(), values):
        np.testing.assert_array_equal(got, want)


def test_optimizer_state_maps_by_variable_when_orders_differ(tmp_path):
    def build():
        x = lamina.Input((3,))
        short = L.Dense(2, name="d3")(x)
        long = L.Dense(2, name="d2")(L.Dense(5, name="d1")(x))
        model = lamina.Model(x, L.Add()([short, long]))
        model.compile("adam", "mse")
        return model

    x, y = np.ones((4, 3), "float32"), np.zeros((4, 2), "float32")
    model, twin = build(), build()
    model.fit(x, y, epochs=2, verbose=0)
    twin.fit(x, y, epochs=1, verbose=0)  # built in lamina's order too
    model.save_weights(tmp_path / "g.weights.h5")
    twin.load_weights(tmp_path / "g.weights.h5")
    for mine, theirs in zip(model.optimizer.variables,
                            twin.optimizer.variables):
        assert mine.name == theirs.name
        np.testing.assert_array_equal(mine.numpy(), theirs.numpy())


def test_optimizer_state_that_does_not_fit_is_skipped(tmp_path):
    model = lamina.Sequential([lamina.Input((3,)), L.Dense(2)])
    model.compile("adam", "mse")
    x, y = np.ones((4, 3), "float32"), np.zeros((4, 2), "float32")
    model.fit(x, y, epochs=1, verbose=0)
    model.save_weights(tmp_path / "adam.weights.h5")
    other = lamina.Sequential([lamina.Input((3,)), L.Dense(2)])
    other.compile(lamina.optimizers.SGD(momentum=0.9), "mse")
    other.fit(x, y, epochs=1, verbose=0)
    with pytest.warns(UserWarning, match="optimizer starts fresh"):
        other.load_weights(tmp_path / "adam.weights.h5")
    np.testing.assert_array_equal(other.get_weights()[0],
                                  model.get_weights()[0])
