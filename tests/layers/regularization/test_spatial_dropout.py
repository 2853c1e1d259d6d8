"""SpatialDropout1D/2D/3D: whole channels dropped in training, identity at
inference, in both data formats."""

import numpy as np
import pytest

from lamina import ops
from lamina.layers.regularization import (
    ALL_OBJECTS,
    SpatialDropout1D,
    SpatialDropout2D,
    SpatialDropout3D,
)
from lamina.saving.config import deserialize, serialize
from lamina.testing import run_layer_test


def np_(x):
    return np.asarray(ops.convert_to_numpy(x))


CASES = [
    (SpatialDropout1D, {}, (20, 5, 30), (1,), -1),
    (SpatialDropout2D, {}, (10, 4, 3, 40), (1, 2), -1),
    (SpatialDropout2D, {"data_format": "channels_first"}, (10, 40, 4, 3),
     (2, 3), 1),
    (SpatialDropout3D, {}, (6, 2, 3, 2, 50), (1, 2, 3), -1),
    (SpatialDropout3D, {"data_format": "channels_first"},
     (6, 50, 2, 3, 2), (2, 3, 4), 1),
]


@pytest.mark.parametrize("cls, kwargs, shape, spatial, channel", CASES)
def test_drops_whole_channels(cls, kwargs, shape, spatial, channel):
    x = np.ones(shape, "float32")
    layer = cls(0.4, seed=3, **kwargs)
    np.testing.assert_array_equal(np_(layer(x)), x)  # inference
    y = np_(layer(x, training=True))
    # Constant over the spatial axes: one draw per (sample, channel).
    np.testing.assert_array_equal(y, np.broadcast_to(
        y.max(axis=spatial, keepdims=True), y.shape))
    assert set(np.unique(y)) <= {0.0, np.float32(1 / 0.6)}
    dropped = (y.max(axis=spatial) == 0).mean()
    assert 0.3 < dropped < 0.5, dropped


@pytest.mark.parametrize("cls, kwargs, shape, spatial, channel", CASES)
def test_layer_test_and_config(cls, kwargs, shape, spatial, channel):
    small = tuple(min(d, 3) for d in shape)
    run_layer_test(cls, {"rate": 0.5, **kwargs}, small, small,
                   expected_num_weights=0)
    layer = cls(0.25, seed=1, **kwargs)
    config = layer.get_config()
    assert "noise_shape" not in config
    assert ("data_format" in config) == (cls is not SpatialDropout1D)
    clone = deserialize(serialize(layer), "layers",
                        custom_objects=ALL_OBJECTS)
    assert clone.get_config() == config


def test_rank_is_checked_and_legacy_p():
    with pytest.raises(ValueError, match="ndim=4"):
        SpatialDropout2D(0.5)(np.ones((2, 3, 4), "float32"))
    with pytest.warns(DeprecationWarning, match="rate=0.2"):
        assert SpatialDropout1D(p=0.2).rate == 0.2
    with pytest.raises(ValueError, match="rate"):
        SpatialDropout3D(1.0)
