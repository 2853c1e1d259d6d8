"""CenterCrop: central window by slicing; smaller images are cropped to the
aspect ratio and resized (torch's bilinear interpolate as reference)."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from lamina import ops
from lamina.layers.preprocessing import ALL_OBJECTS, CenterCrop
from lamina.saving.config import deserialize, serialize
from lamina.testing import run_layer_test

rng = np.random.default_rng(8)


def np_(x):
    return np.asarray(ops.convert_to_numpy(x))


@pytest.mark.parametrize("shape, size, top, left", [
    ((7, 9), (3, 4), 2, 2), ((6, 6), (5, 2), 0, 2), ((4, 5), (4, 5), 0, 0)])
def test_crops_the_center(shape, size, top, left):
    x = rng.normal(size=(2,) + shape + (3,)).astype("float32")
    want = x[:, top:top + size[0], left:left + size[1]]
    np.testing.assert_array_equal(np_(CenterCrop(*size)(x)), want)
    first = np.ascontiguousarray(np.moveaxis(x, -1, 1))
    got = np_(CenterCrop(*size, data_format="channels_first")(first))
    np.testing.assert_array_equal(np.moveaxis(got, 1, -1), want)
    np.testing.assert_array_equal(np_(CenterCrop(*size)(x[0])), want[0])


def test_smaller_images_are_resized():
    x = rng.normal(size=(1, 4, 8, 2)).astype("float32")
    got = np_(CenterCrop(6, 6)(x))
    # Crop to the 1:1 aspect ratio (columns 2..5), then bilinear resize.
    cropped = torch.tensor(np.moveaxis(x[:, :, 2:6], -1, 1).copy())
    want = F.interpolate(cropped, size=(6, 6), mode="bilinear",
                         align_corners=False).numpy()
    np.testing.assert_allclose(got, np.moveaxis(want, 1, -1), atol=1e-5)


def test_dtype_shapes_and_config():
    x = rng.integers(0, 255, size=(1, 5, 5, 1)).astype("uint8")
    assert ops.dtype(CenterCrop(3, 3)(x)) == "float32"
    run_layer_test(CenterCrop, {"height": 2, "width": 3}, (2, 4, 5, 3),
                   (2, 2, 3, 3), expected_num_weights=0)
    run_layer_test(CenterCrop, {"height": 2, "width": 3,
                                "data_format": "channels_first"},
                   (2, 3, 4, 5), (2, 3, 2, 3))
    layer = CenterCrop(2, 3, data_format="channels_first")
    clone = deserialize(serialize(layer), "layers",
                        custom_objects=ALL_OBJECTS)
    assert clone.get_config() == layer.get_config()
    with pytest.raises(ValueError, match="width"):
        CenterCrop(2, -1)
