"""LayerNormalization against torch.nn.functional.layer_norm / rms_norm."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from lamina import ops
from lamina.layers.normalization import ALL_OBJECTS, LayerNormalization
from lamina.saving.config import deserialize, serialize
from lamina.testing import run_layer_test

rng = np.random.default_rng(1)


def np_(x):
    return np.asarray(ops.convert_to_numpy(x))


def test_layer_test():
    run_layer_test(LayerNormalization, {}, (3, 5), (3, 5),
                   expected_num_weights=2, expected_num_trainable_weights=2)
    run_layer_test(LayerNormalization, {"axis": [1, 2], "epsilon": 0.1},
                   (2, 3, 4), (2, 3, 4), expected_num_weights=2)
    run_layer_test(LayerNormalization, {"rms_scaling": True}, (3, 5),
                   (3, 5), expected_num_weights=1)


def _set_random_weights(layer):
    weights = [rng.normal(size=w.shape).astype("float32")
               for w in layer.weights]
    layer.set_weights(weights)
    return weights


@pytest.mark.parametrize("axis, normalized", [(-1, (5,)), ([1, 2], (3, 5)),
                                              ([-2, -1], (3, 5))])
def test_values_match_torch_layer_norm(axis, normalized):
    shape = (2, 4, 5) if axis == -1 else (2, 3, 5)
    x = rng.normal(1.0, 2.0, size=shape).astype("float32")
    layer = LayerNormalization(axis=axis, epsilon=1e-2)
    layer.build(x.shape)
    gamma, beta = _set_random_weights(layer)
    want = F.layer_norm(torch.tensor(x), normalized, torch.tensor(gamma),
                        torch.tensor(beta), eps=1e-2).numpy()
    np.testing.assert_allclose(np_(layer(x)), want, atol=1e-5)


def test_unsorted_axes_keep_weight_order():
    x = rng.normal(size=(2, 3, 4)).astype("float32")
    layer = LayerNormalization(axis=[2, 1])
    layer.build(x.shape)
    assert layer.gamma.shape == (4, 3)
    gamma, beta = _set_random_weights(layer)
    want = F.layer_norm(torch.tensor(x), (3, 4), torch.tensor(gamma.T),
                        torch.tensor(beta.T), eps=1e-3).numpy()
    np.testing.assert_allclose(np_(layer(x)), want, atol=1e-5)


def test_no_center_no_scale():
    x = rng.normal(size=(4, 6)).astype("float32")
    layer = LayerNormalization(center=False, scale=False)
    want = F.layer_norm(torch.tensor(x), (6,), eps=1e-3).numpy()
    np.testing.assert_allclose(np_(layer(x)), want, atol=1e-5)
    assert layer.weights == []


def test_rms_scaling_matches_torch_rms_norm():
    x = rng.normal(1.0, 2.0, size=(3, 6)).astype("float32")
    layer = LayerNormalization(rms_scaling=True, epsilon=1e-2)
    layer.build(x.shape)
    assert [w.name for w in layer.weights] == ["gamma"]
    (gamma,) = _set_random_weights(layer)
    want = F.rms_norm(torch.tensor(x), (6,), torch.tensor(gamma),
                      eps=1e-2).numpy()
    np.testing.assert_allclose(np_(layer(x)), want, atol=1e-5)


def test_config_round_trip_and_errors():
    layer = LayerNormalization(axis=[1, 2], epsilon=0.01, center=False,
                               beta_regularizer="l1")
    clone = deserialize(serialize(layer), "layers",
                        custom_objects=ALL_OBJECTS)
    assert clone.get_config() == layer.get_config()
    assert clone.axis == [1, 2]
    with pytest.raises(TypeError, match="axis"):
        LayerNormalization(axis="last")
    with pytest.raises(ValueError, match="out of range"):
        LayerNormalization(axis=2)(np.ones((2, 3), "float32"))
