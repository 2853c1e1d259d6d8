"""Resizing against torch.nn.functional.interpolate, in both data formats,
with aspect-ratio cropping and padding."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import lamina
from lamina import ops
from lamina.layers.preprocessing import ALL_OBJECTS, Resizing
from lamina.ops._bind import B
from lamina.saving.config import deserialize, serialize
from lamina.testing import check_gradients, run_layer_test

rng = np.random.default_rng(7)


def np_(x):
    return np.asarray(ops.convert_to_numpy(x))


def _interpolate(x_last, size, **kwargs):
    """torch's interpolate on channels-last images."""
    x = torch.tensor(np.ascontiguousarray(np.moveaxis(x_last, -1, 1)))
    return np.moveaxis(F.interpolate(x, size=size, **kwargs).numpy(), 1, -1)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("interpolation, kwargs", [
    ("bilinear", {"mode": "bilinear", "align_corners": False}),
    ("nearest", {"mode": "nearest-exact"})])
def test_values_match_torch_interpolate(data_format, interpolation, kwargs):
    x = rng.normal(size=(2, 5, 7, 3)).astype("float32")
    layer = Resizing(3, 10, interpolation=interpolation,
                     data_format=data_format)
    xin = x if data_format == "channels_last" else np.moveaxis(x, -1, 1)
    got = np_(layer(np.ascontiguousarray(xin)))
    if data_format == "channels_first":
        got = np.moveaxis(got, 1, -1)
    np.testing.assert_allclose(got, _interpolate(x, (3, 10), **kwargs),
                               atol=1e-5)
    # Unbatched images give the same pixels.
    single = np_(layer(np.ascontiguousarray(xin[0])))
    if data_format == "channels_first":
        single = np.moveaxis(single, 0, -1)
    np.testing.assert_allclose(single, got[0], atol=1e-6)


def test_antialias_matches_torch():
    x = rng.normal(size=(1, 12, 9, 2)).astype("float32")
    got = np_(Resizing(4, 3, antialias=True)(x))
    want = _interpolate(x, (4, 3), mode="bilinear", align_corners=False,
                        antialias=True)
    np.testing.assert_allclose(got, want, atol=1e-5)


def test_crop_and_pad_to_aspect_ratio():
    x = rng.normal(size=(2, 6, 12, 3)).astype("float32")
    got = np_(Resizing(4, 4, crop_to_aspect_ratio=True)(x))
    want = _interpolate(x[:, :, 3:9], (4, 4), mode="bilinear",
                        align_corners=False)
    np.testing.assert_allclose(got, want, atol=1e-5)
    got = np_(Resizing(4, 4, pad_to_aspect_ratio=True, fill_value=1.0)(x))
    padded = np.ones((2, 12, 12, 3), "float32")
    padded[:, 3:9] = x
    want = _interpolate(padded, (4, 4), mode="bilinear",
                        align_corners=False)
    np.testing.assert_allclose(got, want, atol=1e-5)


def test_integer_images_keep_their_dtype():
    x = rng.integers(0, 256, size=(1, 4, 4, 1)).astype("uint8")
    out = Resizing(7, 5)(x)
    assert ops.dtype(out) == "uint8"
    want = _interpolate(x.astype("float32"), (7, 5), mode="bilinear",
                        align_corners=False)
    np.testing.assert_allclose(np_(out), np.clip(np.round(want), 0, 255),
                               atol=1)
    assert ops.dtype(Resizing(2, 2, "nearest")(x)) == "uint8"


def test_shapes_layer_test_and_symbolic():
    run_layer_test(Resizing, {"height": 3, "width": 2}, (2, 5, 4, 3),
                   (2, 3, 2, 3), expected_num_weights=0)
    run_layer_test(Resizing, {"height": 3, "width": 2,
                              "data_format": "channels_first"},
                   (2, 3, 5, 4), (2, 3, 3, 2))
    layer = Resizing(8, 9, data_format="channels_first")
    assert layer.compute_output_shape((3, 4, 5)) == (3, 8, 9)
    out = layer(lamina.Input(shape=(3, 4, 5)))
    assert out.shape == (None, 3, 8, 9)


@pytest.mark.requires_training
@pytest.mark.parametrize("interpolation", ["bilinear", "bicubic",
                                           "nearest"])
def test_gradients_match_finite_differences(interpolation):
    layer = Resizing(5, 3, interpolation=interpolation, antialias=True,
                     dtype="float64")
    x = rng.normal(size=(1, 4, 6, 2))
    layer(B.convert_to_tensor(x))
    check_gradients(layer, x, samples=12)


def test_config_and_errors():
    layer = Resizing(4, 5, interpolation="bicubic", pad_to_aspect_ratio=True,
                     fill_value=2, antialias=True,
                     data_format="channels_first")
    config = layer.get_config()
    assert config["fill_value"] == 2.0 and config["antialias"] is True
    assert "antialias" not in Resizing(2, 2).get_config()  # as Keras
    clone = deserialize(serialize(layer), "layers",
                        custom_objects=ALL_OBJECTS)
    assert clone.get_config() == config
    with pytest.raises(ValueError, match="height"):
        Resizing(0, 4)
    with pytest.raises(ValueError, match="interpolation"):
        Resizing(2, 2, interpolation="area")
    with pytest.raises(ValueError, match="only one"):
        Resizing(2, 2, crop_to_aspect_ratio=True, pad_to_aspect_ratio=True)
    with pytest.raises(ValueError, match="fill_mode"):
        Resizing(2, 2, fill_mode="reflect")
