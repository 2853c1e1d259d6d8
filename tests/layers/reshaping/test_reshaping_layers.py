"""Permute, RepeatVector, Cropping1D/2D/3D, ZeroPadding1D/2D/3D,
UpSampling1D/2D/3D: standard checks and values against NumPy formulas
(and torch's F.interpolate for bilinear upsampling)."""

import json

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from lamina import ops
from lamina.layers.reshaping import (
    ALL_OBJECTS, Cropping1D, Cropping2D, Cropping3D, Permute, RepeatVector,
    UpSampling1D, UpSampling2D, UpSampling3D, ZeroPadding1D, ZeroPadding2D,
    ZeroPadding3D)
from lamina.saving.config import deserialize, serialize
from lamina.testing import run_layer_test

rng = np.random.default_rng(0)


def _run(layer, x):
    got = ops.convert_to_numpy(layer(x))
    assert got.shape == tuple(layer.compute_output_shape(x.shape))
    return got


STANDARD = [
    (Permute, {"dims": (2, 1)}, (2, 3, 4), (2, 4, 3)),
    (Permute, {"dims": (3, 1, 2)}, (2, 3, 4, 5), (2, 5, 3, 4)),
    (RepeatVector, {"n": 3}, (2, 4), (2, 3, 4)),
    (Cropping1D, {"cropping": (1, 2)}, (2, 6, 3), (2, 3, 3)),
    (Cropping2D, {"cropping": ((1, 0), (0, 2))}, (2, 4, 5, 3), (2, 3, 3, 3)),
    (Cropping3D, {"cropping": 1, "data_format": "channels_first"},
     (1, 2, 4, 3, 5), (1, 2, 2, 1, 3)),
    (ZeroPadding1D, {"padding": (2, 1)}, (2, 3, 4), (2, 6, 4)),
    (ZeroPadding2D, {"padding": (1, 2)}, (2, 3, 3, 2), (2, 5, 7, 2)),
    (ZeroPadding3D, {"padding": 1}, (1, 2, 2, 2, 3), (1, 4, 4, 4, 3)),
    (UpSampling1D, {"size": 3}, (2, 3, 4), (2, 9, 4)),
    (UpSampling2D, {"size": (2, 3), "data_format": "channels_first"},
     (2, 3, 2, 2), (2, 3, 4, 6)),
    (UpSampling3D, {"size": 2}, (1, 2, 1, 2, 3), (1, 4, 2, 4, 3)),
]


@pytest.mark.parametrize("cls, kwargs, shape, out_shape", STANDARD)
def test_standard_checks(cls, kwargs, shape, out_shape):
    run_layer_test(cls, kwargs, input_shape=shape,
                   expected_output_shape=out_shape, expected_num_weights=0)


@pytest.mark.parametrize("cls, kwargs, shape, out_shape", STANDARD)
def test_serialize_round_trip(cls, kwargs, shape, out_shape):
    layer = cls(**kwargs)
    config = json.loads(json.dumps(serialize(layer)))
    clone = deserialize(config, "layers", custom_objects=ALL_OBJECTS)
    assert clone.get_config() == layer.get_config()
    x = rng.normal(size=shape).astype("float32")
    np.testing.assert_array_equal(_run(clone, x), _run(layer, x))


def test_permute_values():
    x = rng.normal(size=(2, 3, 4, 5)).astype("float32")
    np.testing.assert_array_equal(_run(Permute((3, 1, 2)), x),
                                  x.transpose(0, 3, 1, 2))


def test_repeat_vector_values():
    x = rng.normal(size=(2, 4)).astype("float32")
    np.testing.assert_array_equal(_run(RepeatVector(3), x),
                                  np.repeat(x[:, None], 3, axis=1))


def _first(x):
    return np.ascontiguousarray(np.moveaxis(x, -1, 1))


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_cropping_values(data_format):
    x = rng.normal(size=(2, 6, 7, 5, 3)).astype("float32")
    fmt = _first if data_format == "channels_first" else (lambda v: v)
    np.testing.assert_array_equal(_run(Cropping1D((1, 2)), x[:, :, 0, 0]),
                                  x[:, 1:4, 0, 0])
    got = _run(Cropping2D(((1, 2), (0, 3)), data_format), fmt(x[:, :, :, 0]))
    np.testing.assert_array_equal(got, fmt(x[:, 1:4, 0:4, 0]))
    got = _run(Cropping3D((1, (0, 1), 2), data_format), fmt(x))
    np.testing.assert_array_equal(got, fmt(x[:, 1:5, 0:6, 2:3]))


def test_cropping_too_much_is_an_error():
    with pytest.raises(ValueError, match="cropping"):
        Cropping1D((2, 2))(np.ones((1, 4, 1), "float32"))


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_zero_padding_values(data_format):
    x = rng.normal(size=(2, 3, 4, 2, 2)).astype("float32")
    spatial = [(1, 2), (0, 1), (3, 0)]
    for rank, cls in ((1, ZeroPadding1D), (2, ZeroPadding2D),
                      (3, ZeroPadding3D)):
        xs = x.reshape(x.shape[:rank + 1] + (-1,))
        if data_format == "channels_first":
            xs = np.ascontiguousarray(np.moveaxis(xs, -1, 1))
        pairs = spatial[:rank]
        widths = [(0, 0)] + pairs + [(0, 0)] if data_format == \
            "channels_last" else [(0, 0), (0, 0)] + pairs
        padding = pairs[0] if rank == 1 else tuple(pairs)
        got = _run(cls(padding, data_format=data_format), xs)
        np.testing.assert_array_equal(got, np.pad(xs, widths))


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_up_sampling_values(data_format):
    x = rng.normal(size=(2, 3, 2, 2, 3)).astype("float32")
    np.testing.assert_array_equal(_run(UpSampling1D(2), x[:, :, 0, 0]),
                                  np.repeat(x[:, :, 0, 0], 2, axis=1))
    axes = (2, 3, 4) if data_format == "channels_first" else (1, 2, 3)
    want = np.repeat(np.repeat(x[..., 0], 2, axes[0]), 3, axes[1])
    np.testing.assert_array_equal(
        _run(UpSampling2D((2, 3), data_format), x[..., 0]), want)
    want = x
    for axis, factor in zip(axes, (1, 2, 3)):
        want = np.repeat(want, factor, axis)
    np.testing.assert_array_equal(
        _run(UpSampling3D((1, 2, 3), data_format), x), want)


def test_up_sampling2d_bilinear_hand_computed():
    x = np.array([[0.0, 2.0], [4.0, 6.0]], "float32").reshape(1, 2, 2, 1)
    got = _run(UpSampling2D(2, interpolation="bilinear"), x)
    # Half-pixel centers (Keras, TF, torch align_corners=False).
    row = np.array([0.0, 0.5, 1.5, 2.0])
    want = row[None, :] + 2 * row[:, None]
    np.testing.assert_allclose(got[0, :, :, 0], want, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_up_sampling2d_bilinear_matches_torch_interpolate(data_format):
    x = rng.normal(size=(2, 3, 4, 5)).astype("float32")  # channels first
    inputs = x if data_format == "channels_first" else \
        np.ascontiguousarray(np.moveaxis(x, 1, -1))
    got = _run(UpSampling2D((2, 3), data_format, "bilinear"), inputs)
    if data_format == "channels_last":
        got = np.moveaxis(got, -1, 1)
    want = F.interpolate(torch.tensor(x), scale_factor=(2, 3),
                         mode="bilinear", align_corners=False).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("make, match", [
    (lambda: Permute((1, 3)), "dims"),
    (lambda: RepeatVector(0), "n"),
    (lambda: Cropping2D(((1, 1), (1, 1), (1, 1))), "cropping"),
    (lambda: ZeroPadding2D((1, -1)), "padding"),
    (lambda: UpSampling2D(interpolation="area"), "interpolation"),
    (lambda: UpSampling3D((2, 2)), "size"),
])
def test_bad_arguments(make, match):
    with pytest.raises(ValueError, match=match):
        make()
