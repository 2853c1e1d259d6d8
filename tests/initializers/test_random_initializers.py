import json
import math

import numpy as np
import pytest

from lamina import initializers, ops, random
from lamina.initializers import random_initializers as ri
from lamina.ops._bind import B
from lamina.saving import config as saving

TRUNC = 0.87962566103423978  # std of N(0, 1) truncated to [-2, 2]


def values(init, shape, dtype=None):
    return ops.convert_to_numpy(init(shape, dtype=dtype))


@pytest.mark.parametrize("shape,fans", [
    ((), (1, 1)), ((7,), (7, 7)), ((3, 5), (3, 5)),
    ((3, 16, 32), (48, 96)), ((3, 3, 16, 32), (144, 288)),
    ((2, 3, 3, 4, 8), (72, 144))])
def test_compute_fans(shape, fans):
    assert initializers.compute_fans(shape) == fans


def test_random_uniform_defaults_and_bounds():
    w = values(ri.RandomUniform(), (400, 300))
    assert w.dtype == np.float32
    assert w.min() >= -0.05 and w.max() < 0.05
    assert abs(w.mean()) < 1e-3
    assert abs(w.std() - 0.1 / math.sqrt(12)) < 5e-4
    w = values(ri.RandomUniform(2.0, 3.0), (1000,), "float64")
    assert w.dtype == np.float64 and w.min() >= 2.0 and w.max() < 3.0


def test_random_normal_statistics():
    w = values(ri.RandomNormal(), (500, 400))
    assert abs(w.mean()) < 1e-3
    assert abs(w.std() - 0.05) / 0.05 < 0.02
    w = values(ri.RandomNormal(mean=1.0, stddev=2.0), (500, 400))
    assert abs(w.mean() - 1.0) < 0.03 and abs(w.std() - 2.0) < 0.04


def test_truncated_normal_statistics():
    w = values(ri.TruncatedNormal(stddev=0.5), (500, 400))
    assert np.abs(w).max() <= 1.0 + 1e-6
    assert abs(w.std() - 0.5 * TRUNC) / (0.5 * TRUNC) < 0.02


@pytest.mark.parametrize("mode", ["fan_in", "fan_out", "fan_avg"])
@pytest.mark.parametrize("distribution", [
    "truncated_normal", "untruncated_normal", "uniform", "normal"])
def test_variance_scaling_std(mode, distribution):
    shape = (3, 3, 40, 60)
    fan_in, fan_out = 360, 540
    n = {"fan_in": fan_in, "fan_out": fan_out,
         "fan_avg": (fan_in + fan_out) / 2}[mode]
    init = ri.VarianceScaling(scale=2.0, mode=mode, distribution=distribution)
    w = values(init, shape)
    expected = math.sqrt(2.0 / n)
    assert abs(w.std() - expected) / expected < 0.03
    if distribution == "uniform":
        assert np.abs(w).max() <= math.sqrt(3 * 2.0 / n) + 1e-6
    if distribution in ("truncated_normal", "normal"):
        assert np.abs(w).max() <= 2 * expected / TRUNC + 1e-6


def test_variance_scaling_normal_means_truncated():
    assert ri.VarianceScaling(
        distribution="Normal").distribution == "truncated_normal"


@pytest.mark.parametrize("cls,scale,mode,uniform", [
    (ri.GlorotUniform, 1.0, "fan_avg", True),
    (ri.GlorotNormal, 1.0, "fan_avg", False),
    (ri.HeNormal, 2.0, "fan_in", False),
    (ri.HeUniform, 2.0, "fan_in", True),
    (ri.LecunNormal, 1.0, "fan_in", False),
    (ri.LecunUniform, 1.0, "fan_in", True)])
def test_presets(cls, scale, mode, uniform):
    init = cls()
    assert (init.scale, init.mode) == (scale, mode)
    assert init.distribution == ("uniform" if uniform else
                                 "truncated_normal")
    assert init.get_config() == {"seed": None}
    for shape, (fan_in, fan_out) in [((300, 500), (300, 500)),
                                     ((3, 3, 32, 64), (288, 576))]:
        n = {"fan_in": fan_in, "fan_avg": (fan_in + fan_out) / 2}[mode]
        w = values(init, shape)
        expected = math.sqrt(scale / n)
        assert abs(w.std() - expected) / expected < 0.03
        if uniform:
            assert np.abs(w).max() <= math.sqrt(3 * scale / n) + 1e-6


def test_glorot_uniform_limit_formula():
    w = values(ri.GlorotUniform(seed=3), (200, 100))
    limit = math.sqrt(6 / 300)
    assert w.max() <= limit and w.min() >= -limit
    assert w.max() > 0.95 * limit and w.min() < -0.95 * limit


@pytest.mark.parametrize("shape", [(50, 30), (30, 50), (40, 40),
                                   (3, 3, 4, 8), (2, 3, 40)])
def test_orthogonal(shape):
    w = values(ri.OrthogonalInitializer(seed=1), shape)
    assert w.shape == shape and w.dtype == np.float32
    flat = w.reshape(-1, shape[-1])
    if flat.shape[0] >= flat.shape[1]:
        gram = flat.T @ flat
    else:
        gram = flat @ flat.T
    np.testing.assert_allclose(gram, np.eye(gram.shape[0]), atol=1e-5)


def test_orthogonal_gain_and_errors():
    w = values(ri.Orthogonal(gain=2.0), (10, 10), "float64")
    assert w.dtype == np.float64
    np.testing.assert_allclose(w.T @ w, 4.0 * np.eye(10), atol=1e-10)
    with pytest.raises(ValueError, match="rank 2 or more.*\\(5,\\)"):
        ri.Orthogonal()((5,))


ALL_RANDOM = [ri.RandomNormal, ri.RandomUniform, ri.TruncatedNormal,
              ri.VarianceScaling, ri.GlorotUniform, ri.GlorotNormal,
              ri.HeNormal, ri.HeUniform, ri.LecunNormal, ri.LecunUniform,
              ri.OrthogonalInitializer]


@pytest.mark.parametrize("cls", ALL_RANDOM, ids=lambda c: c.__name__)
def test_int_seed_repeats_and_none_draws_fresh(cls):
    seeded = cls(seed=42)
    a, b = values(seeded, (8, 6)), values(seeded, (8, 6))
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(a, values(cls(seed=42), (8, 6)))
    assert not np.array_equal(a, values(cls(seed=43), (8, 6)))
    fresh = cls()
    assert not np.array_equal(values(fresh, (8, 6)), values(fresh, (8, 6)))


def test_none_seed_repeats_after_global_seed():
    init = ri.GlorotUniform()
    B.random.set_global_seed(7)
    a = values(init, (5, 5))
    B.random.set_global_seed(7)
    np.testing.assert_array_equal(a, values(init, (5, 5)))


def test_seed_generator_is_a_repeatable_stream():
    first = ri.RandomNormal(seed=random.SeedGenerator(5))
    a, b = values(first, (4, 4)), values(first, (4, 4))
    assert not np.array_equal(a, b)
    second = ri.RandomNormal(seed=random.SeedGenerator(5))
    np.testing.assert_array_equal(a, values(second, (4, 4)))
    np.testing.assert_array_equal(b, values(second, (4, 4)))


@pytest.mark.parametrize("kwargs,match", [
    ({"scale": 0.0}, "scale.*positive"),
    ({"scale": -1}, "scale.*positive"),
    ({"mode": "fan_sum"}, "mode.*fan_in.*'fan_sum'"),
    ({"distribution": "cauchy"}, "distribution.*uniform.*'cauchy'"),
    ({"seed": "abc"}, "seed.*int.*'abc'"),
    ({"seed": 1.5}, "seed"),
])
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        ri.VarianceScaling(**kwargs)


CONFIGURED = [
    ri.RandomNormal(mean=0.5, stddev=2.0, seed=3),
    ri.RandomUniform(minval=-1.0, maxval=2.0, seed=4),
    ri.TruncatedNormal(mean=1.0, stddev=0.1, seed=5),
    ri.VarianceScaling(scale=3.0, mode="fan_out", distribution="uniform",
                       seed=6),
    ri.GlorotUniform(seed=7), ri.GlorotNormal(seed=8), ri.HeNormal(seed=9),
    ri.HeUniform(seed=10), ri.LecunNormal(seed=11), ri.LecunUniform(seed=12),
    ri.OrthogonalInitializer(gain=0.5, seed=13), ri.GlorotUniform(),
    ri.RandomNormal(seed=random.SeedGenerator(14)),
]


@pytest.mark.parametrize("init", CONFIGURED, ids=repr)
def test_config_round_trip(init):
    config = init.get_config()
    json.dumps(config)
    clone = type(init).from_config(config)
    assert clone.get_config() == config
    data = json.loads(json.dumps(initializers.serialize(init)))
    assert data["module"] == "keras.initializers"
    again = initializers.deserialize(data)
    assert type(again) is type(init) and again.get_config() == config
    via_saving = saving.deserialize(data, "initializers")
    assert via_saving.get_config() == config
    if isinstance(config["seed"], int):
        expected = values(init, (6, 4))
        np.testing.assert_array_equal(values(clone, (6, 4)), expected)
        np.testing.assert_array_equal(values(again, (6, 4)), expected)


def test_keras3_class_names():
    assert ri.Orthogonal is ri.OrthogonalInitializer
    data = initializers.serialize(ri.Orthogonal())
    assert data["class_name"] == "OrthogonalInitializer"
    assert data["config"] == {"seed": None, "gain": 1.0}
