"""Discretization: given boundaries against np.digitize, adapted
boundaries against np.quantile, encodings, models, config and errors."""

import numpy as np
import pytest

import lamina
from lamina import ops
from lamina.layers import Discretization
from lamina.layers.preprocessing import ALL_OBJECTS
from lamina.layers.preprocessing.discretization import searchsorted_right
from lamina.saving.config import deserialize, serialize
from lamina.testing import run_layer_test
from lamina.utils import PyDataset

rng = np.random.default_rng(11)
BOUNDS = [-1.0, -0.25, 0.0, 0.5, 2.0]


def np_(x):
    return np.asarray(ops.convert_to_numpy(x))


@pytest.mark.parametrize("size", [0, 1, 2, 3, 7, 16, 33])
def test_searchsorted_right_matches_numpy(size):
    table = np.sort(rng.integers(-5, 6, size=size)).astype("float32")
    x = rng.integers(-7, 8, size=(4, 9)).astype("float32")
    got = np_(searchsorted_right(ops.convert_to_tensor(table),
                                 ops.convert_to_tensor(x)))
    np.testing.assert_array_equal(got, np.searchsorted(table, x, "right"))


def test_bins_match_np_digitize():
    x = rng.normal(size=(6, 5)).astype("float32")
    x[0, :len(BOUNDS)] = BOUNDS  # values on the edges go right
    layer = Discretization(bin_boundaries=BOUNDS)
    out = np_(layer(x))
    np.testing.assert_array_equal(out, np.digitize(x, BOUNDS))
    assert out.dtype == np.int64
    ints = np.array([[-3, 0, 1, 5]])
    np.testing.assert_array_equal(np_(layer(ints)),
                                  np.digitize(ints, BOUNDS))


@pytest.mark.parametrize("mode", ["one_hot", "multi_hot", "count"])
def test_encoded_outputs(mode):
    x = rng.normal(size=(4, 3)).astype("float32")
    bins = np.digitize(x, BOUNDS)
    hot = np.eye(len(BOUNDS) + 1, dtype="float32")[bins]
    want = {"one_hot": hot, "multi_hot": hot.max(axis=1),
            "count": hot.sum(axis=1)}[mode]
    out = np_(Discretization(bin_boundaries=BOUNDS, output_mode=mode)(x))
    np.testing.assert_array_equal(out, want)


def _fraction_below(data, boundaries):
    return np.array([(data <= b).mean() for b in boundaries])


def test_adapt_finds_quantiles_within_epsilon():
    data = rng.normal(size=(2000, 3)).astype("float32")
    for num_bins, epsilon in ((4, 0.01), (5, 0.02), (10, 0.01)):
        layer = Discretization(num_bins=num_bins, epsilon=epsilon)
        layer.adapt(data)
        assert len(layer.bin_boundaries) == num_bins - 1
        wanted = np.arange(1, num_bins) / num_bins
        # Each boundary sits within ~epsilon of its quantile's rank.
        np.testing.assert_allclose(_fraction_below(data, layer.bin_boundaries),
                                   wanted, atol=2 * epsilon)
        np.testing.assert_allclose(layer.bin_boundaries,
                                   np.quantile(data, wanted), atol=0.1)
        counts = np.bincount(np_(layer(data)).ravel(), minlength=num_bins)
        np.testing.assert_allclose(counts / data.size, 1 / num_bins,
                                   atol=3 * epsilon)


class _Batches(PyDataset):
    def __init__(self, data):
        super().__init__()
        self.data = data

    def __len__(self):
        return 5

    def __getitem__(self, i):
        return self.data[i * 200:(i + 1) * 200], None


def test_adapt_on_batches_and_keras_example():
    data = rng.uniform(-3, 3, size=1000).astype("float32")
    wanted = np.arange(1, 4) / 4
    sources = [(data[i:i + 150] for i in range(0, 1000, 150)),
               _Batches(data)]
    for source in sources:
        layer = Discretization(num_bins=4, epsilon=0.01)
        layer.adapt(source)
        np.testing.assert_allclose(_fraction_below(data,
                                                   layer.bin_boundaries),
                                   wanted, atol=0.03)
    sliced = Discretization(num_bins=4)
    sliced.adapt(data, batch_size=128)
    np.testing.assert_allclose(_fraction_below(data, sliced.bin_boundaries),
                               wanted, atol=0.03)
    # The example in Keras 3's Discretization docstring.
    x = np.array([[-1.5, 1.0, 3.4, .5], [0.0, 3.0, 1.3, 0.0]])
    layer = Discretization(num_bins=4, epsilon=0.01)
    layer.adapt(x)
    assert np_(layer(x)).tolist() == [[0, 2, 3, 2], [1, 3, 3, 1]]


def test_in_a_model_shapes_and_config(tmp_path):
    run_layer_test(Discretization, {"bin_boundaries": BOUNDS}, (3, 4),
                   (3, 4), expected_num_weights=0)
    run_layer_test(Discretization, {"bin_boundaries": BOUNDS,
                                    "output_mode": "one_hot"},
                   (3, 4), (3, 4, 6), expected_num_weights=0)
    adapted = Discretization(num_bins=3, name="disc")
    adapted.adapt(rng.normal(size=300))
    config = adapted.get_config()
    assert "trainable" not in config  # Keras 3's Discretization lacks it
    clone = deserialize(serialize(adapted), "layers",
                        custom_objects=ALL_OBJECTS)
    assert clone.bin_boundaries == adapted.bin_boundaries
    assert clone.num_bins == 3
    inp = lamina.Input(shape=(4,))
    model = lamina.Model(inp, adapted(inp))
    x = rng.normal(size=(5, 4)).astype("float32")
    model.save(tmp_path / "d.keras")
    loaded = lamina.models.load_model(tmp_path / "d.keras")
    np.testing.assert_array_equal(loaded.predict(x, verbose=0),
                                  np.digitize(x, adapted.bin_boundaries))


@pytest.mark.requires_training
def test_one_hot_bins_then_dense_learns():
    # Label: whether x falls in [-0.5, 0.5): learnable from the bin one-hot.
    x = rng.uniform(-2, 2, size=(200, 1)).astype("float32")
    y = (np.abs(x) < 0.5).astype("float32")
    model = lamina.Sequential([
        lamina.Input((1,)),
        Discretization(bin_boundaries=[-0.5, 0.5], output_mode="one_hot"),
        lamina.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=lamina.optimizers.Adam(0.1),
                  loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=30, batch_size=50, verbose=0)
    assert history.history["accuracy"][-1] == 1.0


def test_errors():
    with pytest.raises(ValueError, match="not both"):
        Discretization(bin_boundaries=[0.0], num_bins=2)
    with pytest.raises(ValueError, match="bin_boundaries"):
        Discretization()
    with pytest.raises(ValueError, match="ascending"):
        Discretization(bin_boundaries=[1.0, 0.0])
    with pytest.raises(ValueError, match="num_bins=-1"):
        Discretization(num_bins=-1)
    with pytest.raises(ValueError, match="epsilon=0"):
        Discretization(num_bins=2, epsilon=0)
    with pytest.raises(ValueError, match="output_mode.*'tf_idf'"):
        Discretization(num_bins=2, output_mode="tf_idf")
    with pytest.raises(ValueError, match="sparse"):
        Discretization(num_bins=2, output_mode="count", sparse=True)
    with pytest.raises(ValueError, match="only a layer made with `num_bins`"):
        Discretization(bin_boundaries=[0.0]).adapt(np.ones(3))
    with pytest.raises(ValueError, match="adapt"):
        Discretization(num_bins=3)(np.ones((2, 2), "float32"))
    with pytest.raises(ValueError, match="no data"):
        Discretization(num_bins=3).adapt(iter([]))
