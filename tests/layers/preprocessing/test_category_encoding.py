"""CategoryEncoding: one-hot, multi-hot and count encodings against NumPy
formulas, in a model, in training, config and errors."""

import numpy as np
import pytest

import lamina
from lamina import ops
from lamina.layers import CategoryEncoding
from lamina.layers.preprocessing import ALL_OBJECTS
from lamina.saving.config import deserialize, serialize
from lamina.testing import run_layer_test

rng = np.random.default_rng(3)
IDS = rng.integers(0, 6, size=(5, 4))


def np_(x):
    return np.asarray(ops.convert_to_numpy(x))


def multi_hot(ids, depth):
    out = np.zeros(ids.shape[:-1] + (depth,), "float32")
    for index in np.ndindex(ids.shape[:-1]):
        out[index][np.unique(ids[index])] = 1.0
    return out


def bincount_rows(ids, depth, weights=None):
    rows = ids.reshape(-1, ids.shape[-1])
    w = None if weights is None else weights.reshape(rows.shape)
    out = [np.bincount(r, weights=None if w is None else w[i],
                       minlength=depth) for i, r in enumerate(rows)]
    return np.asarray(out, "float64").reshape(ids.shape[:-1] + (depth,))


def test_one_hot_against_an_identity_matrix():
    eye = np.eye(6, dtype="float32")
    layer = CategoryEncoding(num_tokens=6, output_mode="one_hot")
    np.testing.assert_array_equal(np_(layer(IDS)), eye[IDS])
    # A last axis of 1 is replaced, a rank-1 input gains an axis.
    np.testing.assert_array_equal(np_(layer(IDS[:, :1])), eye[IDS[:, 0]])
    np.testing.assert_array_equal(np_(layer(IDS[:, 0])), eye[IDS[:, 0]])
    assert np_(layer(IDS)).dtype == np.float32


def test_multi_hot_and_count_against_formulas():
    multi = CategoryEncoding(num_tokens=6, output_mode="multi_hot")
    np.testing.assert_array_equal(np_(multi(IDS)), multi_hot(IDS, 6))
    count = CategoryEncoding(num_tokens=6, output_mode="count")
    np.testing.assert_array_equal(np_(count(IDS)), bincount_rows(IDS, 6))
    # A rank-1 input is one sample; rank 3 treats the last axis as samples.
    np.testing.assert_array_equal(np_(multi(IDS[0])), multi_hot(IDS[0], 6))
    cube = rng.integers(0, 6, size=(2, 3, 4))
    np.testing.assert_array_equal(np_(count(cube)), bincount_rows(cube, 6))
    weights = rng.uniform(size=IDS.shape).astype("float32")
    np.testing.assert_allclose(
        np_(count(IDS, count_weights=weights)),
        bincount_rows(IDS, 6, weights), rtol=1e-6)


def test_in_a_functional_model_and_shapes():
    inp = lamina.Input(shape=(4,), dtype="int32")
    out = CategoryEncoding(num_tokens=7, output_mode="count")(inp)
    assert out.shape == (None, 7)
    model = lamina.Model(inp, out)
    np.testing.assert_array_equal(
        model.predict(IDS.astype("int32"), verbose=0), bincount_rows(IDS, 7))
    for mode, shape in (("one_hot", (3, 4, 6)), ("multi_hot", (3, 6)),
                        ("count", (3, 6))):
        run_layer_test(CategoryEncoding, {"num_tokens": 6,
                                          "output_mode": mode},
                       (3, 4), shape, expected_num_weights=0,
                       input_dtype="int64")


@pytest.mark.requires_training
@pytest.mark.parametrize("jit_compile", [False, True])
def test_multi_hot_then_dense_learns(jit_compile):
    # Label: whether category 2 or 5 occurs in the sample.
    x = rng.integers(0, 8, size=(128, 3))
    y = np.any((x == 2) | (x == 5), axis=1).astype("float32")[:, None]
    model = lamina.Sequential([
        lamina.Input((3,), dtype="int64"),
        CategoryEncoding(num_tokens=8, output_mode="multi_hot"),
        lamina.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=lamina.optimizers.Adam(0.1),
                  loss="binary_crossentropy", metrics=["accuracy"],
                  jit_compile=jit_compile)
    history = model.fit(x, y, epochs=40, batch_size=32, verbose=0)
    assert history.history["accuracy"][-1] == 1.0


def test_config_and_saved_model(tmp_path):
    layer = CategoryEncoding(num_tokens=9, output_mode="count", name="enc")
    config = layer.get_config()
    assert config["num_tokens"] == 9 and config["output_mode"] == "count"
    clone = deserialize(serialize(layer), "layers",
                        custom_objects=ALL_OBJECTS)
    assert clone.get_config() == config
    inp = lamina.Input(shape=(4,), dtype="int32")
    model = lamina.Model(inp, CategoryEncoding(6, "multi_hot")(inp))
    model.save(tmp_path / "m.keras")
    loaded = lamina.models.load_model(tmp_path / "m.keras")
    np.testing.assert_array_equal(loaded.predict(IDS, verbose=0),
                                  multi_hot(IDS, 6))


def test_errors():
    with pytest.raises(ValueError, match="num_tokens"):
        CategoryEncoding()
    with pytest.raises(ValueError, match="num_tokens=0"):
        CategoryEncoding(num_tokens=0)
    with pytest.raises(ValueError, match="output_mode.*'tf_idf'"):
        CategoryEncoding(4, output_mode="tf_idf")
    with pytest.raises(ValueError, match="sparse"):
        CategoryEncoding(4, sparse=True)
    layer = CategoryEncoding(4)
    with pytest.raises(ValueError, match=r"\[0, 4\).*got values from 0 to 4"):
        layer(np.array([[0, 4]]))
    with pytest.raises(ValueError, match="integer ids"):
        layer(np.array([[0.5, 1.0]]))
    with pytest.raises(ValueError, match="count_weights"):
        layer(np.array([[0, 1]]), count_weights=np.ones((1, 2)))
    with pytest.warns(DeprecationWarning, match="output_mode='multi_hot'"):
        old = CategoryEncoding(4, output_mode="binary")
    assert old.output_mode == "multi_hot"
