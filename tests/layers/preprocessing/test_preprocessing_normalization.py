"""Normalization: given statistics, `adapt` from arrays and from batches,
and `invert`, against NumPy formulas."""

import numpy as np
import pytest

import lamina
from lamina import backend, ops
from lamina.layers.preprocessing import ALL_OBJECTS, Normalization
from lamina.saving.config import deserialize, serialize
from lamina.testing import run_layer_test
from lamina.utils import PyDataset

rng = np.random.default_rng(6)
DATA = rng.normal(3.0, 2.0, size=(40, 4, 3)).astype("float32")


def np_(x):
    return np.asarray(ops.convert_to_numpy(x))


def test_given_statistics_and_invert():
    mean, var = [1.0, 2.0, 3.0], [4.0, 1.0, 0.25]
    x = DATA[:5]
    layer = Normalization(mean=mean, variance=var)
    want = (x - np.array(mean)) / np.sqrt(var)
    np.testing.assert_allclose(np_(layer(x)), want, rtol=1e-5)
    assert layer.weights == []
    inverse = Normalization(mean=mean, variance=var, invert=True)
    np.testing.assert_allclose(np_(inverse(want.astype("float32"))), x,
                               rtol=1e-5)
    scalar = Normalization(axis=None, mean=2.0, variance=9.0)
    np.testing.assert_allclose(np_(scalar(x)), (x - 2.0) / 3.0, rtol=1e-5)


@pytest.mark.parametrize("axis, reduce", [(-1, (0, 1)), ((1, 2), (0,)),
                                          (None, (0, 1, 2)), (1, (0, 2))])
def test_adapt_on_an_array(axis, reduce):
    layer = Normalization(axis=axis)
    layer.adapt(DATA)
    mean = DATA.astype("float64").mean(axis=reduce, keepdims=True)
    var = DATA.astype("float64").var(axis=reduce, keepdims=True)
    np.testing.assert_allclose(layer.adapt_mean.numpy(), np.squeeze(
        mean, reduce), rtol=1e-5)
    np.testing.assert_allclose(layer.adapt_variance.numpy(), np.squeeze(
        var, reduce), rtol=1e-5)
    np.testing.assert_allclose(np_(layer(DATA)), (DATA - mean) /
                               np.sqrt(var), rtol=1e-4, atol=1e-5)
    assert [w.name for w in layer.weights] == ["mean", "variance", "count"]
    assert layer.trainable_weights == []


class _Batches(PyDataset):
    def __len__(self):
        return 4

    def __getitem__(self, i):
        x = DATA[i * 10:(i + 1) * 10]
        return x, np.zeros(len(x))


def test_adapt_on_batches_matches_the_whole_array():
    whole = Normalization()
    whole.adapt(DATA)
    sources = [
        (DATA[i:i + 7] for i in range(0, 40, 7)),  # a generator
        _Batches(),  # a PyDataset of (x, y)
    ]
    for source in sources:
        layer = Normalization()
        layer.adapt(source)
        np.testing.assert_allclose(layer.get_weights()[0],
                                   whole.get_weights()[0], rtol=1e-5)
        np.testing.assert_allclose(layer.get_weights()[1],
                                   whole.get_weights()[1], rtol=1e-5)
    sliced = Normalization()
    sliced.adapt(DATA, batch_size=9)
    np.testing.assert_allclose(sliced.get_weights()[1],
                               whole.get_weights()[1], rtol=1e-5)
    first = Normalization()
    first.adapt(_Batches(), steps=1)
    np.testing.assert_allclose(first.get_weights()[0],
                               DATA[:10].mean(axis=(0, 1)), rtol=1e-5)


def test_adapted_layer_in_a_model_and_constant_feature():
    data = np.stack([np.linspace(0, 1, 10), np.full(10, 5.0)],
                    axis=1).astype("float32")
    layer = Normalization()
    layer.adapt(data)
    inp = lamina.Input(shape=(2,))
    model = lamina.Model(inp, layer(inp))
    out = model.predict(data, verbose=0)
    np.testing.assert_allclose(out[:, 0], (data[:, 0] - data[:, 0].mean())
                               / data[:, 0].std(), rtol=1e-4, atol=1e-5)
    # Zero variance: the denominator is floored at epsilon, not 0.
    np.testing.assert_array_equal(out[:, 1], 0.0)
    assert backend.epsilon() > 0


def test_layer_test_config_and_errors():
    run_layer_test(Normalization, {"mean": 0.5, "variance": 4.0}, (2, 3),
                   (2, 3), expected_num_weights=0)
    run_layer_test(Normalization, {"axis": 1}, (2, 3, 2), (2, 3, 2),
                   expected_num_weights=3)
    layer = Normalization(axis=(1,), mean=[1.0, 2.0], variance=[1.0, 4.0],
                          invert=True)
    clone = deserialize(serialize(layer), "layers",
                        custom_objects=ALL_OBJECTS)
    assert clone.get_config() == layer.get_config()
    assert layer.get_config()["mean"] == [1.0, 2.0]
    with pytest.raises(ValueError, match="both"):
        Normalization(mean=1.0)
    with pytest.raises(ValueError, match="adapted"):
        Normalization(mean=1.0, variance=1.0).adapt(DATA)
    built = Normalization()
    built.adapt(DATA)
    with pytest.raises(ValueError, match="built for"):
        built.adapt(DATA[..., :2])
    with pytest.raises(ValueError, match="axis"):
        Normalization(axis="last")
