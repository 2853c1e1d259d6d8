"""UnitNormalization against torch.nn.functional.normalize."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from lamina import ops
from lamina.layers.normalization import UnitNormalization
from lamina.testing import run_layer_test


def np_(x):
    return np.asarray(ops.convert_to_numpy(x))


def test_layer_test_and_values():
    run_layer_test(UnitNormalization, {}, (2, 3), (2, 3),
                   expected_num_weights=0)
    x = np.random.default_rng(3).normal(size=(2, 3, 4)).astype("float32")
    for axis in (-1, 1):
        want = F.normalize(torch.tensor(x), dim=axis).numpy()
        np.testing.assert_allclose(np_(UnitNormalization(axis)(x)), want,
                                   rtol=1e-5)
    flat = x.reshape(2, -1)
    want = (flat / np.linalg.norm(flat, axis=1, keepdims=True)).reshape(
        x.shape)
    np.testing.assert_allclose(np_(UnitNormalization([1, 2])(x)), want,
                               rtol=1e-5)


def test_zero_input_stays_zero_and_config():
    out = np_(UnitNormalization()(np.zeros((1, 3), "float32")))
    np.testing.assert_array_equal(out, np.zeros((1, 3)))
    layer = UnitNormalization(axis=[1, 2])
    assert UnitNormalization.from_config(layer.get_config()).axis == [1, 2]
    with pytest.raises(TypeError, match="axis"):
        UnitNormalization(axis=1.5)
