"""The Keras 1 functions of `lamina.initializations` (`init=uniform`)."""

import math

import numpy as np
import pytest

from lamina import initializations, initializers, ops
from lamina.ops._bind import B


def values(fn, shape, **kwargs):
    return ops.convert_to_numpy(fn(shape, **kwargs))


def test_exports():
    for name in ["uniform", "normal", "zero", "one", "glorot_uniform",
                 "glorot_normal", "he_normal", "he_uniform", "lecun_uniform",
                 "orthogonal", "identity"]:
        assert callable(getattr(initializations, name))


def test_uniform_and_normal():
    w = values(initializations.uniform, (400, 300))
    assert w.shape == (400, 300) and w.dtype == np.float32
    assert w.min() >= -0.05 and w.max() < 0.05 and w.max() > 0.049
    w = values(initializations.uniform, (100,), scale=0.5)
    assert np.abs(w).max() <= 0.5
    w = values(initializations.normal, (400, 300))
    assert abs(w.std() - 0.05) / 0.05 < 0.02
    assert values(initializations.normal, (3,), dtype="float64").dtype == \
        np.float64


def test_zero_one_identity():
    np.testing.assert_array_equal(values(initializations.zero, (2, 3)),
                                  np.zeros((2, 3)))
    np.testing.assert_array_equal(values(initializations.one, (2, 3)),
                                  np.ones((2, 3)))
    np.testing.assert_array_equal(
        values(initializations.identity, (3, 3), scale=2), 2 * np.eye(3))


@pytest.mark.parametrize("fn,expected_std,limit", [
    ("glorot_uniform", math.sqrt(2 / 700), math.sqrt(6 / 700)),
    ("glorot_normal", math.sqrt(2 / 700), None),
    ("he_normal", math.sqrt(2 / 300), None),
    ("he_uniform", math.sqrt(2 / 300), math.sqrt(6 / 300)),
    ("lecun_uniform", math.sqrt(1 / 300), math.sqrt(3 / 300)),
])
def test_fan_scaled(fn, expected_std, limit):
    w = values(getattr(initializations, fn), (300, 400))
    assert abs(w.std() - expected_std) / expected_std < 0.03
    if limit is not None:
        assert np.abs(w).max() <= limit + 1e-7
    else:
        # Keras 1 drew from an untruncated normal: values beyond 2 std occur.
        assert np.abs(w).max() > 2.5 * expected_std


def test_orthogonal_keras1_scale():
    w = values(initializations.orthogonal, (20, 20))
    np.testing.assert_allclose(w.T @ w, 1.1 ** 2 * np.eye(20), atol=1e-5)
    w = values(initializations.orthogonal, (20, 20), scale=1.0)
    np.testing.assert_allclose(w.T @ w, np.eye(20), atol=1e-5)


@pytest.mark.parametrize("name,cls_name,config", [
    ("uniform", "RandomUniform", {"minval": -0.05, "maxval": 0.05}),
    ("normal", "RandomNormal", {"mean": 0.0, "stddev": 0.05}),
    ("zero", "Zeros", {}),
    ("one", "Ones", {}),
    ("glorot_uniform", "GlorotUniform", {}),
    ("glorot_normal", "VarianceScaling",
     {"scale": 1.0, "mode": "fan_avg", "distribution": "untruncated_normal"}),
    ("he_normal", "VarianceScaling",
     {"scale": 2.0, "mode": "fan_in", "distribution": "untruncated_normal"}),
    ("he_uniform", "HeUniform", {}),
    ("lecun_uniform", "LecunUniform", {}),
    ("orthogonal", "OrthogonalInitializer", {"gain": 1.1}),
    ("identity", "Identity", {"gain": 1.0}),
])
def test_get_gives_the_equivalent_object(name, cls_name, config):
    fn = getattr(initializations, name)
    init = initializers.get(fn)
    assert isinstance(init, initializers.Initializer)
    assert type(init).__name__ == cls_name
    for key, value in config.items():
        assert init.get_config()[key] == value
    data = initializers.serialize(fn)
    assert data["class_name"] == cls_name
    shape = (4, 4)
    assert tuple(ops.shape(init(shape))) == shape


def test_usable_as_a_variable_initializer():
    variable = B.Variable(initializers.get(initializations.uniform),
                          shape=(3, 4))
    assert variable.shape == (3, 4)
    assert np.abs(variable.numpy()).max() <= 0.05
    variable = B.Variable(initializations.one, shape=(2,))
    np.testing.assert_array_equal(variable.numpy(), [1.0, 1.0])


def test_get_by_name():
    assert initializations.get("he_normal") is initializations.he_normal
    assert initializations.get(initializations.zero) is initializations.zero
    with pytest.raises(ValueError, match="'lecun_normal'.*glorot_normal"):
        initializations.get("lecun_normal")
