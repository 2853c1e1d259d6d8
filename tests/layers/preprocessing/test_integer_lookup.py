"""IntegerLookup: host and in-graph lookups against a dict from
collections.Counter, OOV buckets, invert, encodings in models, training,
saving and errors."""

import collections

import numpy as np
import pytest

import lamina
from lamina import ops
from lamina.layers import IntegerLookup
from lamina.layers.preprocessing import ALL_OBJECTS
from lamina.saving.config import deserialize, serialize
from lamina.testing import run_layer_test

rng = np.random.default_rng(5)
DATA = rng.choice([3, 7, 7, 12, 12, 12, 40, 40, 99, -5], size=(20, 4))
VOCAB = [12, 40, 7, 3]


def np_(x):
    return np.asarray(ops.convert_to_numpy(x))


def both_paths(layer, x):
    """The layer on NumPy data (host) and on a tensor (in-graph)."""
    return np_(layer(x)), np_(layer(ops.convert_to_tensor(x)))


def reference(x, vocabulary, mask=None, num_oov=1):
    start = (mask is not None) + num_oov
    table = {t: start + i for i, t in enumerate(vocabulary)}

    def one(v):
        if mask is not None and v == mask:
            return 0
        if v in table:
            return table[v]
        return (mask is not None) + (v % num_oov if num_oov > 1 else 0)
    return np.vectorize(one)(x)


@pytest.mark.parametrize("mask, num_oov", [(None, 1), (0, 1), (None, 3),
                                           (99, 2)])
def test_lookup_on_host_and_in_graph(mask, num_oov):
    layer = IntegerLookup(vocabulary=VOCAB, mask_token=mask,
                          num_oov_indices=num_oov)
    want = reference(DATA, VOCAB, mask, num_oov)
    host, graph = both_paths(layer, DATA)
    np.testing.assert_array_equal(host, want)
    np.testing.assert_array_equal(graph, want)
    assert host.dtype == graph.dtype == np.int64


def test_adapt_orders_by_count_then_value_descending():
    counts = collections.Counter(DATA.ravel().tolist())
    ranked = sorted(counts, key=lambda v: (counts[v], v), reverse=True)
    layer = IntegerLookup()
    layer.adapt(DATA)
    assert layer.get_vocabulary() == [-1] + ranked
    np.testing.assert_array_equal(both_paths(layer, DATA)[1],
                                  reference(DATA, ranked))
    capped = IntegerLookup(max_tokens=3, mask_token=99)
    capped.adapt(ops.convert_to_tensor(DATA))  # 99 is never counted
    without = [v for v in ranked if v != 99]
    assert capped.get_vocabulary() == [99, -1, without[0]]


def test_oov_methods_match_keras_examples():
    # Keras 3's IntegerLookup docstring: floormod puts these all in OOV
    # index 0, FarmHash of the decimal text spreads them.
    values = np.array([100, 300, 700, 1100, 1700, 2000])
    floormod = IntegerLookup(vocabulary=[10, 20, 30], num_oov_indices=4)
    assert both_paths(floormod, values)[1].tolist() == [0] * 6
    farmhash = IntegerLookup(vocabulary=[10, 20, 30], num_oov_indices=4,
                             oov_method="farmhash")
    host, graph = both_paths(farmhash, values)
    assert host.tolist() == graph.tolist() == [3, 3, 2, 2, 0, 1]
    salted = IntegerLookup(vocabulary=[10, 20, 30], num_oov_indices=4,
                           oov_method="farmhash", salt=5)
    assert salted.get_config()["salt"] == [5, 5]
    assert set(np_(salted(values)).tolist()) <= {0, 1, 2, 3}


def test_invert_on_host_and_in_graph():
    forward = IntegerLookup(vocabulary=VOCAB, mask_token=0)
    inverse = IntegerLookup(vocabulary=forward.get_vocabulary(), invert=True,
                            mask_token=0)
    x = np.array([[12, 0, 3, 55], [7, 40, 8, 12]])
    want = np.where(np.isin(x, VOCAB + [0]), x, -1)
    for ids in both_paths(forward, x):
        host, graph = both_paths(inverse, ids)
        np.testing.assert_array_equal(host, want)
        np.testing.assert_array_equal(graph, want)
    np.testing.assert_array_equal(both_paths(inverse, np.array([9, -3]))[1],
                                  [-1, -1])


@pytest.mark.parametrize("mode", ["one_hot", "multi_hot", "count", "tf_idf"])
def test_encodings_in_a_model(mode):
    ids = reference(DATA, VOCAB)
    depth = len(VOCAB) + 1
    hot = np.eye(depth, dtype="float32")[ids]
    idf = np.array([0.5, 1.0, 2.0, 3.0])
    want = {"one_hot": hot, "multi_hot": hot.max(axis=1),
            "count": hot.sum(axis=1),
            "tf_idf": hot.sum(axis=1) * np.r_[idf.mean(), idf]}[mode]
    extra = {"idf_weights": idf} if mode == "tf_idf" else {}
    layer = IntegerLookup(vocabulary=VOCAB, output_mode=mode, **extra)
    inp = lamina.Input(shape=(4,), dtype="int64")
    out = layer(inp)
    assert out.shape == (None,) + want.shape[1:]
    model = lamina.Model(inp, out)
    np.testing.assert_allclose(model.predict(DATA, verbose=0), want,
                               rtol=1e-6)
    np.testing.assert_allclose(np_(layer(DATA)), want, rtol=1e-6)


def test_layer_checks_and_config():
    run_layer_test(IntegerLookup, {"vocabulary": [0, 1, 2]}, (3, 4), (3, 4),
                   expected_num_weights=0, input_dtype="int64")
    run_layer_test(IntegerLookup, {"vocabulary": [0, 1, 2],
                                   "output_mode": "multi_hot"},
                   (3, 4), (3, 4), expected_num_weights=0,
                   input_dtype="int64")
    layer = IntegerLookup(vocabulary=np.array(VOCAB), mask_token=0,
                          num_oov_indices=2, name="ids")
    config = layer.get_config()
    assert config["vocabulary"] == VOCAB
    assert config["vocabulary_dtype"] == "int64"
    assert config["mask_token"] == 0 and config["oov_token"] == -1
    clone = deserialize(serialize(layer), "layers",
                        custom_objects=ALL_OBJECTS)
    assert clone.get_config() == config


def test_saved_model_keeps_vocabulary_and_idf(tmp_path):
    lookup = IntegerLookup(output_mode="tf_idf")
    lookup.adapt(DATA)
    inp = lamina.Input(shape=(4,), dtype="int64")
    model = lamina.Model(inp, lookup(inp))
    want = model.predict(DATA, verbose=0)
    model.save(tmp_path / "m.keras")
    loaded = lamina.models.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(loaded.predict(DATA, verbose=0), want,
                               rtol=1e-6)
    (layer,) = [lay for lay in loaded.layers
                if isinstance(lay, IntegerLookup)]
    assert layer.get_vocabulary() == lookup.get_vocabulary()


def test_vocabulary_file(tmp_path):
    path = tmp_path / "ids.txt"
    path.write_text("7\n12\n-3\n")
    layer = IntegerLookup(vocabulary=str(path))
    assert layer.get_vocabulary() == [-1, 7, 12, -3]
    np.testing.assert_array_equal(np_(layer(np.array([-3, 5, 7]))),
                                  [3, 0, 1])
    path.write_text("7\nseven\n")
    with pytest.raises(ValueError, match="'seven', not an integer"):
        IntegerLookup(vocabulary=str(path))


@pytest.mark.requires_training
@pytest.mark.parametrize("jit_compile", [False, True])
def test_lookup_then_dense_learns(jit_compile):
    # Label: whether the (sparse, unbounded) id is one of two "good" ids.
    x = rng.choice([3, 17, 42, 99, 1000, 77777], size=(120, 1))
    y = np.isin(x, [17, 1000]).astype("float32")
    lookup = IntegerLookup(output_mode="one_hot")
    lookup.adapt(x)
    model = lamina.Sequential([lamina.Input((1,), dtype="int64"), lookup,
                               lamina.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=lamina.optimizers.Adam(0.1),
                  loss="binary_crossentropy", metrics=["accuracy"],
                  jit_compile=jit_compile)
    history = model.fit(x, y, epochs=30, batch_size=30, verbose=0)
    assert history.history["accuracy"][-1] == 1.0


def test_errors():
    with pytest.raises(ValueError, match="vocabulary_dtype='int64'"):
        IntegerLookup(vocabulary_dtype="int32")
    with pytest.raises(ValueError, match="num_oov_indices=-1"):
        IntegerLookup(num_oov_indices=-1)
    with pytest.raises(ValueError, match="oov_method"):
        IntegerLookup(oov_method="modulo")
    with pytest.raises(ValueError, match="salt.*farmhash"):
        IntegerLookup(salt=3)
    with pytest.raises(ValueError, match="mask_token"):
        IntegerLookup(mask_token="0")
    with pytest.raises(ValueError, match=r"out-of-vocabulary values \[5\]"):
        IntegerLookup(vocabulary=[1, 2], num_oov_indices=0)(np.array([1, 5]))
    with pytest.raises(ValueError, match="expects integers"):
        IntegerLookup(vocabulary=[1, 2])(np.array([1.5]))
    with pytest.raises(ValueError, match="OOV token -1 is inside"):
        IntegerLookup(vocabulary=[2, 3, -1], invert=True)
    with pytest.raises(RuntimeError, match="size can't change"):
        layer = IntegerLookup(vocabulary=[1, 2], output_mode="count")
        layer.set_vocabulary([1, 2, 3])
