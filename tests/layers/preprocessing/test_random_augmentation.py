"""The random augmentation layers: values against NumPy / SciPy references
(np.flip, np.rot90, np.roll, the documented contrast and brightness
formulas, map_coordinates with the transform built by hand from the drawn
parameters), ranges over many draws, inference identity, configs."""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from scipy import ndimage

import lamina
from lamina import layers, ops
from lamina.layers.preprocessing import (
    ALL_OBJECTS,
    RandomBrightness,
    RandomContrast,
    RandomCrop,
    RandomFlip,
    RandomRotation,
    RandomTranslation,
    RandomZoom,
)
from lamina.saving.config import deserialize, serialize
from lamina.testing import run_layer_test

rng = np.random.default_rng(11)
SCIPY_MODES = {"constant": "grid-constant", "reflect": "reflect",
               "wrap": "grid-wrap", "nearest": "nearest"}


def np_(x):
    return np.asarray(ops.convert_to_numpy(x))


def images(shape=(4, 5, 6, 3), low=0.0, high=255.0):
    return rng.uniform(low, high, size=shape).astype("float32")


def twin(layer):
    """A layer with the same config (so the same seed): its draws are the
    ones `layer` makes on its next call."""
    return type(layer).from_config(layer.get_config())


def resample(x, matrices, order, fill_mode, fill_value=0.0):
    """SciPy reference: image n read at `matrices[n] @ (col, row, 1)`."""
    out = np.empty(x.shape, "float64")
    _, height, width, channels = x.shape
    rows, cols = np.meshgrid(np.arange(height), np.arange(width),
                             indexing="ij")
    for n, m in enumerate(matrices):
        coords = [m[1][0] * cols + m[1][1] * rows + m[1][2],
                  m[0][0] * cols + m[0][1] * rows + m[0][2]]
        for c in range(channels):
            out[n, :, :, c] = ndimage.map_coordinates(
                x[n, :, :, c].astype("float64"), coords, order=order,
                mode=SCIPY_MODES[fill_mode], cval=fill_value)
    return out


# -- inference and shapes -------------------------------------------------

LAYERS = [
    (RandomFlip, {"seed": 1}),
    (RandomRotation, {"factor": 0.2, "seed": 1}),
    (RandomZoom, {"height_factor": 0.3, "width_factor": (-0.2, 0.1)}),
    (RandomTranslation, {"height_factor": 0.2, "width_factor": 0.3}),
    (RandomContrast, {"factor": 0.4, "seed": 2}),
    (RandomBrightness, {"factor": (-0.3, 0.2), "value_range": (0, 1)}),
]


@pytest.mark.parametrize("cls, kwargs", LAYERS)
def test_inference_returns_the_input(cls, kwargs):
    x = images(high=1.0)
    layer = cls(**kwargs)
    np.testing.assert_array_equal(np_(layer(x, training=False)), x)
    np.testing.assert_array_equal(np_(layer(x[0], training=False)), x[0])
    assert not np.allclose(np_(layer(x, training=True)), x)
    # As in Keras 3, a direct call augments; `predict` does not.
    assert not np.allclose(np_(layer(x)), x)
    model = lamina.Sequential([lamina.Input(x.shape[1:]), layer])
    np.testing.assert_array_equal(model.predict(x, verbose=0), x)
    ints = x.astype("uint8")
    assert ops.dtype(layer(ints, training=False)) == "float32"


@pytest.mark.parametrize("cls, kwargs", LAYERS + [
    (RandomCrop, {"height": 3, "width": 4, "seed": 3})])
def test_layer_test_config_and_serialization(cls, kwargs):
    out_shape = (2, 3, 4, 3) if cls is RandomCrop else (2, 5, 6, 3)
    run_layer_test(cls, kwargs, (2, 5, 6, 3), out_shape,
                   expected_num_weights=0, call_kwargs={"training": False})
    layer = cls(**kwargs, data_format="channels_first", name="aug")
    clone = deserialize(serialize(layer), "layers",
                        custom_objects=ALL_OBJECTS)
    assert type(clone) is cls
    assert clone.get_config() == layer.get_config()
    assert getattr(layers, cls.__name__) is cls


@pytest.mark.parametrize("cls, kwargs", LAYERS + [
    (RandomCrop, {"height": 3, "width": 4, "seed": 3})])
def test_outputs_take_the_compute_dtype(cls, kwargs):
    layer = cls(**kwargs, dtype="mixed_bfloat16")
    x = images(high=1.0)
    assert ops.dtype(layer(x, training=True)) == "bfloat16"
    assert ops.dtype(layer(x)) == "bfloat16"


@pytest.mark.parametrize("cls, kwargs", LAYERS + [
    (RandomCrop, {"height": 3, "width": 4, "seed": 3})])
def test_seeded_layers_repeat_and_move_on(cls, kwargs):
    kwargs = dict(kwargs, seed=7)
    x = images((4, 12, 12, 3), high=1.0)
    first = np_(cls(**kwargs)(x, training=True))
    layer = cls(**kwargs)
    np.testing.assert_array_equal(np_(layer(x, training=True)), first)
    later = [np_(layer(x, training=True)) for _ in range(3)]
    assert not all(np.array_equal(y, first) for y in later)


# -- RandomFlip ------------------------------------------------------------

@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_flip_matches_np_flip(data_format):
    x = images((64, 3, 4, 2))
    axes = (1, 2) if data_format == "channels_last" else (2, 3)
    if data_format == "channels_first":
        x = np.ascontiguousarray(np.moveaxis(x, -1, 1))
    layer = RandomFlip(seed=5, data_format=data_format)
    drawn = twin(layer).get_random_transformation(x)
    got = np_(layer(x, training=True))
    seen = set()
    for n in range(len(x)):
        h, v = bool(np_(drawn["horizontal"])[n]), bool(
            np_(drawn["vertical"])[n])
        want = x[n]
        if h:
            want = np.flip(want, axes[1] - 1)
        if v:
            want = np.flip(want, axes[0] - 1)
        np.testing.assert_array_equal(got[n], want)
        seen.add((h, v))
    assert len(seen) == 4  # the two flips are drawn independently


@pytest.mark.parametrize("mode, axis", [("horizontal", 1), ("vertical", 0)])
def test_flip_one_axis(mode, axis):
    x = images((40, 3, 4, 1))
    got = np_(RandomFlip(mode, seed=2)(x, training=True))
    flipped = [np.array_equal(g, np.flip(a, axis)) for g, a in zip(got, x)]
    kept = [np.array_equal(g, a) for g, a in zip(got, x)]
    assert all(f or k for f, k in zip(flipped, kept))
    assert 5 < sum(flipped) < 35
    one = np_(RandomFlip(mode, seed=2)(x[0], training=True))
    assert np.array_equal(one, x[0]) or np.array_equal(one,
                                                       np.flip(x[0], axis))


# -- RandomRotation, RandomZoom, RandomTranslation ---------------------------

@pytest.mark.parametrize("interpolation", ["nearest", "bilinear"])
def test_rotation_by_fixed_quarter_turns(interpolation):
    x = images((2, 5, 5, 2))
    for turns in (1, 2, -1):
        layer = RandomRotation((turns / 4, turns / 4),
                               interpolation=interpolation)
        got = np_(layer(x, training=True))
        # Positive factors turn counter-clockwise, as np.rot90 does.
        np.testing.assert_allclose(got, np.rot90(x, turns, axes=(1, 2)),
                                   atol=2e-3)
    got = np_(RandomRotation((0.5, 0.5))(x[0], training=True))
    np.testing.assert_allclose(got, np.rot90(x[0], 2), atol=2e-3)


@pytest.mark.parametrize("fill_mode", list(SCIPY_MODES))
def test_rotation_matches_hand_built_transform(fill_mode):
    x = images((3, 5, 7, 2))
    layer = RandomRotation(0.3, fill_mode=fill_mode, fill_value=9.0,
                           seed=4)
    angles = np_(twin(layer).get_random_transformation(x)["angle"])
    cy, cx = 2.0, 3.0
    matrices = [[[math.cos(a), -math.sin(a),
                  cx - cx * math.cos(a) + cy * math.sin(a)],
                 [math.sin(a), math.cos(a),
                  cy - cx * math.sin(a) - cy * math.cos(a)]]
                for a in angles.astype("float64")]
    want = resample(x, matrices, 1, fill_mode, 9.0)
    np.testing.assert_allclose(np_(layer(x, training=True)), want,
                               rtol=1e-4, atol=2e-2)


def test_rotation_channels_first_and_angle_range():
    x = images((3, 5, 7, 2))
    last = np_(RandomRotation(0.3, seed=4)(x, training=True))
    first = np_(RandomRotation(0.3, seed=4, data_format="channels_first")(
        np.ascontiguousarray(np.moveaxis(x, -1, 1)), training=True))
    np.testing.assert_allclose(np.moveaxis(first, 1, -1), last, atol=1e-3)
    layer = RandomRotation((-0.1, 0.25), seed=1)
    angles = np_(layer.get_random_transformation(images((2000, 2, 2, 1)))[
        "angle"])
    lo, hi = -0.1 * 2 * math.pi, 0.25 * 2 * math.pi
    assert angles.min() >= lo - 1e-6 and angles.max() <= hi + 1e-6
    assert angles.min() < lo + 0.05 and angles.max() > hi - 0.05


def test_zoom_fixed_factor_and_hand_built_transform():
    x = images((2, 4, 4, 1))
    got = np_(RandomZoom((-0.5, -0.5), interpolation="nearest")(
        x, training=True))
    # Zoomed in 2x about the center: output pixel i reads 0.5 i + 0.75.
    src = np.round(0.5 * np.arange(4) + 0.75).astype(int)
    np.testing.assert_array_equal(got, x[:, src][:, :, src])
    x = images((3, 5, 6, 2))
    layer = RandomZoom((-0.4, 0.6), (0.1, 0.3), fill_mode="constant",
                       seed=8)
    drawn = twin(layer).get_random_transformation(x)
    zy, zx = np_(drawn["height_zoom"]), np_(drawn["width_zoom"])
    matrices = [[[zx[n], 0.0, 2.5 * (1 - zx[n])],
                 [0.0, zy[n], 2.0 * (1 - zy[n])]] for n in range(3)]
    want = resample(x, matrices, 1, "constant")
    np.testing.assert_allclose(np_(layer(x, training=True)), want,
                               rtol=1e-4, atol=2e-2)


def test_zoom_ranges_and_aspect_ratio():
    many = images((2000, 2, 2, 1))
    drawn = RandomZoom((-0.3, 0.2), seed=3).get_random_transformation(many)
    zy, zx = np_(drawn["height_zoom"]), np_(drawn["width_zoom"])
    np.testing.assert_array_equal(zy, zx)  # width_factor None: same zoom
    assert 0.7 - 1e-6 <= zy.min() < 0.75 and 1.15 < zy.max() <= 1.2 + 1e-6
    drawn = RandomZoom(0.2, 0.5, seed=3).get_random_transformation(many)
    zx = np_(drawn["width_zoom"])
    assert 0.5 - 1e-6 <= zx.min() < 0.55 and 1.45 < zx.max() <= 1.5 + 1e-6


@pytest.mark.parametrize("fill_mode", list(SCIPY_MODES))
def test_translation_by_whole_pixels(fill_mode):
    x = images((2, 4, 6, 2))
    layer = RandomTranslation((0.25, 0.25), (-1 / 3, -1 / 3),
                              fill_mode=fill_mode, fill_value=-1.0)
    got = np_(layer(x, training=True))  # down 1, left 2
    if fill_mode == "wrap":
        np.testing.assert_allclose(got, np.roll(x, (1, -2), axis=(1, 2)),
                                   atol=1e-4)
    np.testing.assert_allclose(got[:, 1:, :4], x[:, :3, 2:], atol=1e-4)
    if fill_mode == "constant":
        np.testing.assert_array_equal(got[:, 0], -1.0)
        np.testing.assert_array_equal(got[:, :, 4:], -1.0)


def test_translation_matches_hand_built_transform_and_range():
    x = images((3, 5, 6, 2))
    layer = RandomTranslation(0.3, (-0.2, 0.4), seed=9)
    drawn = twin(layer).get_random_transformation(x)
    dy, dx = np_(drawn["dy"]), np_(drawn["dx"])
    matrices = [[[1.0, 0.0, -dx[n]], [0.0, 1.0, -dy[n]]] for n in range(3)]
    want = resample(x, matrices, 1, "reflect")
    np.testing.assert_allclose(np_(layer(x, training=True)), want,
                               rtol=1e-4, atol=2e-2)
    drawn = layer.get_random_transformation(images((2000, 10, 5, 1)))
    dy, dx = np_(drawn["dy"]), np_(drawn["dx"])
    assert -3.0 - 1e-5 <= dy.min() < -2.8 and 2.8 < dy.max() <= 3.0 + 1e-5
    assert -1.0 - 1e-5 <= dx.min() < -0.9 and 1.9 < dx.max() <= 2.0 + 1e-5


# -- RandomCrop ------------------------------------------------------------

def test_crop_in_training_takes_a_window():
    x = images((2, 6, 6, 1))
    layer = RandomCrop(4, 3, seed=1)
    starts = set()
    for _ in range(60):
        got = np_(layer(x, training=True))
        found = [(t, s) for t in range(3) for s in range(4)
                 if np.array_equal(got, x[:, t:t + 4, s:s + 3])]
        assert len(found) == 1
        starts.add(found[0])
    assert starts == {(t, s) for t in range(3) for s in range(4)}
    first = np.ascontiguousarray(np.moveaxis(x, -1, 1))
    got = np_(RandomCrop(4, 3, seed=1, data_format="channels_first")(
        first, training=True))
    want = np_(RandomCrop(4, 3, seed=1)(x, training=True))
    np.testing.assert_array_equal(np.moveaxis(got, 1, -1), want)
    assert np_(layer(x[0], training=True)).shape == (4, 3, 1)


def torch_resize(x, size):
    """Bilinear resize with half-pixel centers (no antialiasing)."""
    t = torch.tensor(np.moveaxis(x, -1, 1).copy())
    return np.moveaxis(F.interpolate(t, size=size, mode="bilinear",
                                     align_corners=False).numpy(), 1, -1)


def test_crop_at_inference_and_for_small_images_resizes():
    x = images((2, 6, 8, 1))
    layer = RandomCrop(3, 3, seed=1)
    # Inference: the centered 6 x 6 window (columns 1..6), resized.
    np.testing.assert_allclose(np_(layer(x, training=False)),
                               torch_resize(x[:, :, 1:7], (3, 3)), atol=1e-4)
    small = images((2, 4, 6, 1))
    got = np_(RandomCrop(5, 5, seed=1)(small, training=True))
    np.testing.assert_allclose(got, torch_resize(small[:, :, 1:5], (5, 5)),
                               atol=1e-4)
    same = images((1, 3, 3, 2))
    np.testing.assert_array_equal(np_(layer(same)), same)


# -- RandomContrast, RandomBrightness ----------------------------------------

@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_contrast_formula(data_format):
    x = images((5, 4, 6, 3), 0.0, 1.0)
    layer = RandomContrast((0.5, 0.8), value_range=(0.1, 0.9), seed=3,
                           data_format=data_format)
    if data_format == "channels_first":
        x = np.ascontiguousarray(np.moveaxis(x, -1, 1))
    axes = (1, 2) if data_format == "channels_last" else (2, 3)
    factor = np_(twin(layer).get_random_transformation(x)[
        "contrast_factor"])
    mean = x.mean(axis=axes, keepdims=True)
    want = np.clip((x - mean) * factor.reshape(-1, 1, 1, 1) + mean, 0.1,
                   0.9)
    np.testing.assert_allclose(np_(layer(x, training=True)), want,
                               atol=1e-5)
    assert len(np.unique(factor)) == 5  # one factor per image


def test_contrast_ranges_and_unbatched():
    many = images((2000, 2, 2, 1))
    factor = np_(RandomContrast(0.3, seed=1).get_random_transformation(
        many)["contrast_factor"])
    assert 0.7 - 1e-6 <= factor.min() < 0.72
    assert 1.28 < factor.max() <= 1.3 + 1e-6
    x = images((4, 5, 2))
    layer = RandomContrast(0.5, seed=2)
    c = float(np_(twin(layer).get_random_transformation(x)[
        "contrast_factor"])[0])
    mean = x.mean(axis=(0, 1))
    np.testing.assert_allclose(np_(layer(x, training=True)),
                               np.clip((x - mean) * c + mean, 0, 255),
                               rtol=1e-5, atol=1e-3)


def test_brightness_formula_and_range():
    x = images((6, 3, 4, 2), 0.0, 255.0)
    layer = RandomBrightness(0.4, seed=6)
    delta = np_(twin(layer).get_random_transformation(x)["delta"])
    want = np.clip(x + delta.reshape(-1, 1, 1, 1), 0, 255)
    np.testing.assert_allclose(np_(layer(x, training=True)), want,
                               atol=1e-3)
    many = RandomBrightness((-0.2, 0.1), value_range=(-1, 1), seed=2)
    delta = np_(many.get_random_transformation(images((2000, 1, 1, 1)))[
        "delta"])
    # A fraction of the value range (here 2).
    assert -0.4 - 1e-6 <= delta.min() < -0.38
    assert 0.18 < delta.max() <= 0.2 + 1e-6


# -- arguments ---------------------------------------------------------------

@pytest.mark.parametrize("make, match", [
    (lambda: RandomFlip("diagonal"), "mode"),
    (lambda: RandomFlip(seed="1"), "seed"),
    (lambda: RandomRotation(1.5), "factor"),
    (lambda: RandomRotation("0.1"), "factor"),
    (lambda: RandomRotation((0.1, 0.2, 0.3)), "factor"),
    (lambda: RandomRotation(0.1, fill_mode="mirror"), "fill_mode"),
    (lambda: RandomRotation(0.1, interpolation="bicubic"), "interpolation"),
    (lambda: RandomZoom(-1.0), "height_factor"),
    (lambda: RandomZoom(0.2, width_factor=(0.1, 2.0)), "width_factor"),
    (lambda: RandomZoom(0.2, fill_value="black"), "fill_value"),
    (lambda: RandomTranslation(0.1, 1.2), "width_factor"),
    (lambda: RandomCrop(0, 3), "height"),
    (lambda: RandomContrast(-0.1), "factor"),
    (lambda: RandomContrast((0.2, 1.5)), "factor"),
    (lambda: RandomContrast(0.2, value_range=(0,)), "value_range"),
    (lambda: RandomBrightness(1.5), "factor"),
    (lambda: RandomBrightness(0.1, value_range="0-255"), "value_range"),
    (lambda: RandomFlip(data_format="nhwc"), "data_format"),
])
def test_bad_arguments(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_bad_rank():
    with pytest.raises(ValueError, match="rank 3"):
        RandomFlip()(np.zeros((4, 4), "float32"), training=True)
