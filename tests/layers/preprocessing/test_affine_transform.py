"""affine_transform against SciPy's `ndimage.map_coordinates` (Keras's fill
modes are SciPy's 'grid-constant', 'reflect', 'grid-wrap', 'nearest'), the
fill patterns Keras documents, and compiled runs (jax.jit, torch.compile)."""

import math

import numpy as np
import pytest
from scipy import ndimage

from lamina import ops
from lamina.layers.preprocessing.affine import affine_transform
from lamina.ops._bind import B

SCIPY_MODES = {"constant": "grid-constant", "reflect": "reflect",
               "wrap": "grid-wrap", "nearest": "nearest"}
ORDERS = {"nearest": 0, "bilinear": 1}
rng = np.random.default_rng(3)


def np_(x):
    return np.asarray(ops.convert_to_numpy(x))


def rotation(theta, height, width):
    c, s = math.cos(theta), math.sin(theta)
    cx, cy = (width - 1) / 2, (height - 1) / 2
    return [c, -s, cx - c * cx + s * cy, s, c, cy - s * cx - c * cy, 0, 0]


def zoom(scale, height, width):
    return [scale, 0, (1 - scale) * (width - 1) / 2, 0, scale,
            (1 - scale) * (height - 1) / 2, 0, 0]


def reference(images, transforms, interpolation, fill_mode, fill_value):
    """Each channel of each (height, width, channels) image resampled by
    SciPy at the input points the transform gives."""
    out = np.empty(images.shape, "float64")
    _, height, width, channels = images.shape
    rows, cols = np.meshgrid(np.arange(height), np.arange(width),
                             indexing="ij")
    for n, t in enumerate(transforms):
        a0, a1, a2, b0, b1, b2, c0, c1 = t
        k = c0 * cols + c1 * rows + 1.0
        coords = [(b0 * cols + b1 * rows + b2) / k,
                  (a0 * cols + a1 * rows + a2) / k]
        for c in range(channels):
            out[n, :, :, c] = ndimage.map_coordinates(
                images[n, :, :, c].astype("float64"), coords,
                order=ORDERS[interpolation], mode=SCIPY_MODES[fill_mode],
                cval=fill_value)
    return out


TRANSFORMS = {
    "identity": [1, 0, 0, 0, 1, 0, 0, 0],
    "translation": [1, 0, -2.3, 0, 1, 1.6, 0, 0],
    "far_translation": [1, 0, 13.4, 0, 1, -9.7, 0, 0],
    "rotation": rotation(0.7, 5, 7),
    "zoom_out": zoom(1.7, 5, 7),
    "zoom_in": zoom(0.6, 5, 7),
    # No sampled point lies within 0.004 of a rounding tie (nearest).
    "projective": [1.1, 0.2, -1.07, 0.1, 0.9, 0.37, 0.02, -0.03],
}


@pytest.mark.parametrize("interpolation", ["bilinear", "nearest"])
@pytest.mark.parametrize("fill_mode", list(SCIPY_MODES))
@pytest.mark.parametrize("name", list(TRANSFORMS))
def test_matches_scipy(name, fill_mode, interpolation):
    images = rng.normal(size=(2, 5, 7, 2)).astype("float32")
    # One transform per image: the one named, then a rotation.
    transforms = np.array([TRANSFORMS[name], rotation(-2.1, 5, 7)],
                          "float32")
    got = np_(affine_transform(images, transforms, interpolation,
                               fill_mode, 0.5))
    want = reference(images, transforms.astype("float64"), interpolation,
                     fill_mode, 0.5)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, want, atol=2e-5)


def test_identity_is_exact_and_one_transform_serves_the_batch():
    images = rng.normal(size=(3, 4, 6, 2)).astype("float32")
    got = np_(affine_transform(images, TRANSFORMS["identity"]))
    np.testing.assert_array_equal(got, images)
    shift = [1, 0, -1, 0, 1, 0, 0, 0]  # right by one pixel, same for all
    got = np_(affine_transform(images, shift, fill_mode="constant"))
    np.testing.assert_array_equal(got[:, :, 1:], images[:, :, :-1])
    np.testing.assert_array_equal(got[:, :, 0], 0.0)


@pytest.mark.parametrize("fill_mode, pattern", [
    # The extension of a row `a b c d` that Keras documents for each mode.
    ("reflect", "dcba|abcd|dcba"),
    ("wrap", "abcd|abcd|abcd"),
    ("nearest", "aaaa|abcd|dddd"),
    ("constant", "kkkk|abcd|kkkk")])
def test_fill_modes_extend_the_image_as_documented(fill_mode, pattern):
    row = np.array([1.0, 2.0, 3.0, 4.0], "float32")  # a b c d
    values = {"a": 1.0, "b": 2.0, "c": 3.0, "d": 4.0, "k": -9.0}
    image = row.reshape(1, 1, 4, 1)
    for offset in range(-4, 8):  # output column 0 reads column `offset`
        got = np_(affine_transform(image, [1, 0, offset, 0, 1, 0, 0, 0],
                                   "nearest", fill_mode, -9.0))
        assert got[0, 0, 0, 0] == values[pattern.replace("|", "")[offset + 4]]


def test_data_formats_unbatched_and_integer_images():
    images = rng.normal(size=(2, 5, 6, 3)).astype("float32")
    t = rotation(0.4, 5, 6)
    want = np_(affine_transform(images, t, fill_mode="reflect"))
    first = np.ascontiguousarray(np.moveaxis(images, -1, 1))
    got = np_(affine_transform(first, t, fill_mode="reflect",
                               data_format="channels_first"))
    np.testing.assert_allclose(np.moveaxis(got, 1, -1), want, atol=1e-6)
    got = np_(affine_transform(images[1], t, fill_mode="reflect"))
    np.testing.assert_allclose(got, want[1], atol=1e-6)
    ints = rng.integers(0, 255, size=(1, 5, 6, 1)).astype("uint8")
    got = affine_transform(ints, t, fill_mode="nearest")
    assert ops.dtype(got) == "uint8"
    want = reference(ints, [t], "bilinear", "nearest", 0.0)
    np.testing.assert_allclose(np_(got), np.round(want), atol=1)


def test_bad_arguments():
    images = np.zeros((1, 3, 3, 1), "float32")
    identity = TRANSFORMS["identity"]
    with pytest.raises(ValueError, match="interpolation"):
        affine_transform(images, identity, interpolation="bicubic")
    with pytest.raises(ValueError, match="fill_mode"):
        affine_transform(images, identity, fill_mode="mirror")
    with pytest.raises(ValueError, match="fill_value"):
        affine_transform(images, identity, fill_value="zero")
    with pytest.raises(ValueError, match="transform"):
        affine_transform(images, [1, 0, 0, 0, 1, 0])
    with pytest.raises(ValueError, match=r"\(1, 8\)"):
        affine_transform(images, np.zeros((2, 8)))
    with pytest.raises(ValueError, match="rank 3"):
        affine_transform(np.zeros((3, 3)), identity)


def test_runs_under_jax_jit():
    if B.name != "jax":
        pytest.skip("jax.jit needs the JAX backend")
    jax = pytest.importorskip("jax")
    images = rng.normal(size=(2, 5, 7, 1)).astype("float32")
    transforms = np.array([rotation(0.3, 5, 7), zoom(1.4, 5, 7)],
                          "float32")
    fn = jax.jit(lambda x, t: affine_transform(x, t, "bilinear", "wrap"))
    got = np.asarray(fn(images, transforms))
    want = reference(images, transforms.astype("float64"), "bilinear",
                     "wrap", 0.0)
    np.testing.assert_allclose(got, want, atol=2e-5)


def test_runs_under_torch_compile_without_graph_breaks():
    if B.name != "torch":
        pytest.skip("torch.compile needs the torch backend")
    torch = pytest.importorskip("torch")
    images = rng.normal(size=(2, 5, 7, 1)).astype("float32")
    transforms = np.array([rotation(0.3, 5, 7), zoom(0.8, 5, 7)],
                          "float32")
    fn = torch.compile(
        lambda x, t: affine_transform(x, t, "bilinear", "reflect"),
        fullgraph=True)  # any graph break is an error
    got = fn(torch.tensor(images), torch.tensor(transforms))
    want = reference(images, transforms.astype("float64"), "bilinear",
                     "reflect", 0.0)
    np.testing.assert_allclose(got.numpy(), want, atol=2e-5)


def test_gradient_reaches_the_images():
    if not B.supports_training:
        pytest.skip(f"backend '{B.name}' has no autodiff")
    images = rng.normal(size=(1, 5, 5, 1)).astype("float32")
    # Zooming out by 2 about the center reads input points (2i - 2, 2j - 2):
    # whole pixels, so the gradient of the sum counts the reads of each
    # pixel: 1 on even rows and columns, 0 elsewhere ('constant' fill).
    variable = B.Variable(images)
    (_, _), grads = B.value_and_grad(
        lambda: (ops.sum(affine_transform(variable.value, zoom(2.0, 5, 5))),
                 None), [variable])
    want = np.zeros((5, 5))
    want[::2, ::2] = 1.0
    np.testing.assert_allclose(np_(grads[0])[0, :, :, 0], want, atol=1e-6)
