import json

import numpy as np
import pytest

from lamina import initializers, ops
from lamina.initializers import constant_initializers as ci
from lamina.saving import config as saving


def values(init, shape, dtype=None):
    return ops.convert_to_numpy(init(shape, dtype=dtype))


def test_zeros_and_ones():
    np.testing.assert_array_equal(values(ci.Zeros(), (2, 3)),
                                  np.zeros((2, 3)))
    np.testing.assert_array_equal(values(ci.Ones(), (4,)), np.ones(4))
    assert values(ci.Zeros(), (2,)).dtype == np.float32
    assert values(ci.Ones(), (2,), "float64").dtype == np.float64


def test_constant_scalar_and_broadcast():
    np.testing.assert_array_equal(values(ci.Constant(3.5), (2, 2)),
                                  np.full((2, 2), 3.5))
    row = np.array([1.0, 2.0, 3.0])
    np.testing.assert_array_equal(values(ci.Constant(row), (2, 3)),
                                  np.tile(row, (2, 1)))
    assert ci.Constant().value == 0.0
    assert values(ci.Constant(2), (3,), "float64").dtype == np.float64


def test_constant_bad_broadcast_names_shapes():
    with pytest.raises(ValueError, match=r"\(3,\).*\(2, 2\)"):
        ci.Constant([1.0, 2.0, 3.0])((2, 2))


def test_identity_square_rectangular_and_gain():
    np.testing.assert_array_equal(values(ci.Identity(), (3, 3)), np.eye(3))
    np.testing.assert_array_equal(values(ci.Identity(), (2, 4)),
                                  np.eye(2, 4))
    np.testing.assert_array_equal(values(ci.Identity(gain=0.5), (4, 3)),
                                  0.5 * np.eye(4, 3))
    assert ci.IdentityInitializer is ci.Identity


def test_identity_rejects_non_matrices():
    with pytest.raises(ValueError, match="2-D.*\\(3, 3, 3\\)"):
        ci.Identity()((3, 3, 3))


CASES = [ci.Zeros(), ci.Ones(), ci.Constant(2.5), ci.Constant([1.0, 2.0]),
         ci.Identity(gain=3.0)]


@pytest.mark.parametrize("init", CASES, ids=repr)
def test_config_round_trip(init):
    config = init.get_config()
    json.dumps(config)
    clone = type(init).from_config(config)
    assert clone.get_config() == config
    shape = (2, 2)
    np.testing.assert_array_equal(values(clone, shape), values(init, shape))
    data = json.loads(json.dumps(initializers.serialize(init)))
    assert data["class_name"] == type(init).__name__
    assert data["module"] == "keras.initializers"
    again = initializers.deserialize(data)
    assert type(again) is type(init)
    assert again.get_config() == config
    assert saving.deserialize(data, "initializers").get_config() == config
    assert init.clone().get_config() == config


def test_constant_config_from_numpy_is_json():
    config = ci.Constant(np.array([1.0, 2.0])).get_config()
    assert json.dumps(config) == '{"value": [1.0, 2.0]}'
