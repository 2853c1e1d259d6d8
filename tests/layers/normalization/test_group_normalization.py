"""GroupNormalization against torch.nn.functional.group_norm."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from lamina import ops
from lamina.layers.normalization import ALL_OBJECTS, GroupNormalization
from lamina.saving.config import deserialize, serialize
from lamina.testing import run_layer_test

rng = np.random.default_rng(2)


def np_(x):
    return np.asarray(ops.convert_to_numpy(x))


def test_layer_test():
    run_layer_test(GroupNormalization, {"groups": 2}, (2, 3, 4), (2, 3, 4),
                   expected_num_weights=2, expected_num_trainable_weights=2)
    run_layer_test(GroupNormalization, {"groups": -1, "axis": 1},
                   (2, 4, 3, 3), (2, 4, 3, 3), expected_num_weights=2)


def _torch_group_norm(x, axis, groups, gamma, beta, eps):
    xt = torch.tensor(np.moveaxis(x, axis, 1).copy())
    out = F.group_norm(xt, groups, torch.tensor(gamma), torch.tensor(beta),
                       eps=eps)
    return np.moveaxis(out.numpy(), 1, axis)


@pytest.mark.parametrize("groups, axis, shape", [
    (2, -1, (3, 4, 5, 6)), (3, -1, (2, 7, 6)), (6, -1, (2, 6)),
    (1, 1, (2, 4, 3, 3)), (-1, 1, (2, 4, 5))])
def test_values_match_torch_group_norm(groups, axis, shape):
    x = rng.normal(2.0, 3.0, size=shape).astype("float32")
    layer = GroupNormalization(groups=groups, axis=axis, epsilon=1e-2)
    layer.build(shape)
    c = shape[axis]
    gamma = rng.normal(size=c).astype("float32")
    beta = rng.normal(size=c).astype("float32")
    layer.set_weights([gamma, beta])
    want = _torch_group_norm(x, axis, c if groups == -1 else groups, gamma,
                             beta, 1e-2)
    np.testing.assert_allclose(np_(layer(x)), want, atol=1e-4)


def test_weights_and_no_affine():
    layer = GroupNormalization(groups=2, center=False)
    layer.build((None, 5, 4))
    assert [w.name for w in layer.weights] == ["gamma"]
    assert layer.weights[0].shape == (4,)
    x = rng.normal(size=(2, 3, 4)).astype("float32")
    want = _torch_group_norm(x, -1, 2, np.ones(4, "float32"),
                             np.zeros(4, "float32"), 1e-3)
    np.testing.assert_allclose(np_(layer(x)), want, atol=1e-5)


def test_errors_and_config():
    with pytest.raises(ValueError, match="divide"):
        GroupNormalization(groups=3)(np.ones((2, 4), "float32"))
    with pytest.raises(ValueError, match="divide"):
        GroupNormalization()(np.ones((2, 4), "float32"))  # 32 > 4
    with pytest.raises(ValueError, match="groups"):
        GroupNormalization(groups=0)
    with pytest.raises(ValueError, match="non-batch"):
        GroupNormalization(groups=1, axis=0)(np.ones((2, 4), "float32"))
    layer = GroupNormalization(groups=4, axis=1, epsilon=0.1,
                               gamma_constraint="non_neg")
    clone = deserialize(serialize(layer), "layers",
                        custom_objects=ALL_OBJECTS)
    assert clone.get_config() == layer.get_config()
    assert layer.get_config()["groups"] == 4
