"""Rescaling: `x * scale + offset` in the layer's float dtype."""

import numpy as np
import pytest

from lamina import backend, ops
from lamina.layers.preprocessing import ALL_OBJECTS, Rescaling
from lamina.saving.config import deserialize, serialize
from lamina.testing import run_layer_test


def np_(x):
    return np.asarray(ops.convert_to_numpy(x))


def test_values_and_dtype():
    x = np.arange(0, 256, 51, dtype="uint8").reshape(2, 3)
    out = Rescaling(1 / 255.0, offset=-0.5)(x)
    assert ops.dtype(out) == "float32"
    np.testing.assert_allclose(np_(out), x / 255.0 - 0.5, rtol=1e-6,
                               atol=1e-7)
    run_layer_test(Rescaling, {"scale": 2.0, "offset": 1.0}, (2, 3), (2, 3),
                   expected_num_weights=0)


def test_per_channel_scale_both_image_formats():
    x = np.random.default_rng(5).normal(size=(2, 4, 4, 3)).astype("float32")
    scale, offset = [1.0, 2.0, 3.0], [0.0, 1.0, -1.0]
    got = np_(Rescaling(scale, offset)(x))
    np.testing.assert_allclose(got, x * np.array(scale) + np.array(offset),
                               rtol=1e-6)
    saved = backend.image_data_format()
    backend.set_image_data_format("channels_first")
    try:
        # Keras lays a 1-D scale along the channels of (C, H, W) images.
        xf = np.moveaxis(x, -1, 1)
        got = np_(Rescaling(scale)(xf))
    finally:
        backend.set_image_data_format(saved)
    np.testing.assert_allclose(got, xf * np.array(scale)[:, None, None],
                               rtol=1e-6)


def test_config_round_trip_and_errors():
    layer = Rescaling(np.array([0.5, 2.0]), offset=1)
    config = layer.get_config()
    assert config["scale"] == [0.5, 2.0] and config["offset"] == 1
    clone = deserialize(serialize(layer), "layers",
                        custom_objects=ALL_OBJECTS)
    assert clone.get_config() == config
    with pytest.raises(ValueError, match="scale"):
        Rescaling("big")
