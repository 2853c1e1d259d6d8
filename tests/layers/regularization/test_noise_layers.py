"""GaussianNoise, GaussianDropout, AlphaDropout: statistics of the noise on
large inputs in training, identity at inference."""

import math

import numpy as np
import pytest

from lamina import ops
from lamina.layers.regularization import (
    ALL_OBJECTS,
    AlphaDropout,
    GaussianDropout,
    GaussianNoise,
)
from lamina.saving.config import deserialize, serialize
from lamina.testing import run_layer_test

ALPHA_P = -1.6732632423543772 * 1.0507009873554805


def np_(x):
    return np.asarray(ops.convert_to_numpy(x))


def test_gaussian_noise_statistics():
    x = np.full((200, 500), 3.0, "float32")
    layer = GaussianNoise(0.5, seed=1)
    np.testing.assert_array_equal(np_(layer(x)), x)
    noise = np_(layer(x, training=True)) - 3.0
    assert abs(noise.mean()) < 0.01
    assert abs(noise.std() - 0.5) < 0.01
    # A seeded layer repeats its sequence; the sequence moves on.
    again = np_(GaussianNoise(0.5, seed=1)(x, training=True)) - 3.0
    np.testing.assert_allclose(again, noise, atol=1e-6)
    assert not np.allclose(np_(layer(x, training=True)) - 3.0, noise)


def test_gaussian_dropout_statistics():
    x = np.ones((200, 500), "float32")
    layer = GaussianDropout(0.2, seed=2)
    np.testing.assert_array_equal(np_(layer(x, training=False)), x)
    y = np_(layer(x, training=True))
    assert abs(y.mean() - 1.0) < 0.01
    assert abs(y.std() - math.sqrt(0.2 / 0.8)) < 0.01


def test_alpha_dropout_keeps_mean_and_variance():
    x = np.random.default_rng(0).normal(size=(400, 500)).astype("float32")
    layer = AlphaDropout(0.2, seed=3)
    np.testing.assert_array_equal(np_(layer(x)), x)
    y = np_(layer(x, training=True))
    assert abs(y.mean()) < 0.02 and abs(y.var() - 1.0) < 0.02
    a = ((1 - 0.2) * (1 + 0.2 * ALPHA_P ** 2)) ** -0.5
    b = -a * ALPHA_P * 0.2
    dropped = np.isclose(y, a * ALPHA_P + b, atol=1e-6)
    assert abs(dropped.mean() - 0.2) < 0.01
    np.testing.assert_allclose(y[~dropped], a * x[~dropped] + b, rtol=1e-5,
                               atol=1e-6)


def test_alpha_dropout_noise_shape():
    x = np.zeros((50, 4, 6), "float32")
    y = np_(AlphaDropout(0.5, noise_shape=(None, 1, 6), seed=4)(
        x, training=True))
    np.testing.assert_array_equal(y, np.broadcast_to(y[:, :1], y.shape))


@pytest.mark.parametrize("cls, kwargs", [
    (GaussianNoise, {"stddev": 0.1, "seed": 1}),
    (GaussianDropout, {"rate": 0.3}),
    (AlphaDropout, {"rate": 0.1, "noise_shape": (None, 1), "seed": 2})])
def test_layer_test_and_config(cls, kwargs):
    run_layer_test(cls, kwargs, (2, 3), (2, 3), expected_num_weights=0)
    layer = cls(**kwargs)
    clone = deserialize(serialize(layer), "layers",
                        custom_objects=ALL_OBJECTS)
    assert clone.get_config() == layer.get_config()


def test_bad_arguments_and_legacy_names():
    with pytest.raises(ValueError, match="stddev"):
        GaussianNoise(-1.0)
    with pytest.raises(ValueError, match="rate"):
        GaussianDropout(1.0)
    with pytest.raises(ValueError, match="rate"):
        AlphaDropout(-0.1)
    with pytest.warns(DeprecationWarning, match="stddev=0.2"):
        assert GaussianNoise(sigma=0.2).stddev == 0.2
    with pytest.warns(DeprecationWarning, match="rate=0.4"):
        assert GaussianDropout(p=0.4).rate == 0.4
