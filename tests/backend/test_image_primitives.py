"""resize: the NumPy reference against independent implementations, then
torch and JAX against NumPy.

References: `torch.nn.functional.interpolate` (bilinear with
`align_corners=False`, 'nearest-exact', bilinear antialias) and
`jax.image.resize` (Keys cubic with a = -0.5 and Lanczos, TF2's rules),
called directly; the nearest-neighbour and crop/pad geometry are written
out by hand here.
"""

import itertools
from fractions import Fraction

import jax
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from lamina import backend

REF = backend.get("numpy")
OTHERS = ("torch", "jax")
rng = np.random.default_rng(0)
SIZES = [((5, 7), (9, 4)), ((8, 8), (3, 5)), ((6, 6), (6, 13)),
         ((4, 9), (2, 3)), ((3, 3), (3, 3))]
# The backend grid uses fewer sizes: each new shape costs JAX a compile.
GRID_SIZES = [SIZES[0], SIZES[1], SIZES[3], SIZES[4]]
METHODS = ("nearest", "bilinear", "bicubic", "lanczos3", "lanczos5")


def _np(B, x):
    return np.asarray(B.convert_to_numpy(x))


def _images(h, w, batch=2, channels=3):
    return rng.normal(size=(batch, h, w, channels)).astype("float32")


def _torch_nchw(fn, x_last, **kwargs):
    x = torch.tensor(np.ascontiguousarray(np.moveaxis(x_last, -1, 1)))
    return np.moveaxis(fn(x, **kwargs).numpy(), 1, -1)


@pytest.mark.parametrize("sizes", SIZES)
def test_bilinear_matches_torch_interpolate(sizes):
    (h, w), size = sizes
    x = _images(h, w)
    want = _torch_nchw(F.interpolate, x, size=size, mode="bilinear",
                       align_corners=False)
    np.testing.assert_allclose(REF.resize(x, size), want, atol=1e-5)


@pytest.mark.parametrize("sizes", [((8, 8), (3, 5)), ((9, 4), (2, 3)),
                                   ((5, 7), (9, 2))])
def test_bilinear_antialias_matches_torch(sizes):
    (h, w), size = sizes
    x = _images(h, w)
    want = _torch_nchw(F.interpolate, x, size=size, mode="bilinear",
                       align_corners=False, antialias=True)
    np.testing.assert_allclose(REF.resize(x, size, antialias=True), want,
                               atol=1e-5)


def test_nearest_reads_half_pixel_centers():
    # Output i reads input floor((i + 0.5) * in / out), exactly.
    for n_in, n_out in itertools.product(range(1, 12), range(1, 45)):
        x = np.arange(n_in, dtype="float32").reshape(1, n_in, 1, 1)
        got = REF.resize(x, (n_out, 1), "nearest")[0, :, 0, 0]
        want = [min(int((Fraction(i) + Fraction(1, 2)) * n_in / n_out),
                    n_in - 1) for i in range(n_out)]
        np.testing.assert_array_equal(got, want, err_msg=f"{n_in}->{n_out}")


@pytest.mark.parametrize("sizes", SIZES[:4])
def test_nearest_matches_torch_nearest_exact(sizes):
    (h, w), size = sizes
    x = _images(h, w)
    want = _torch_nchw(F.interpolate, x, size=size, mode="nearest-exact")
    np.testing.assert_array_equal(REF.resize(x, size, "nearest"), want)


@pytest.mark.parametrize("method, antialias", itertools.product(
    ("bicubic", "lanczos3", "lanczos5"), (False, True)))
def test_kernel_methods_match_jax_image_resize(method, antialias):
    names = {"bicubic": "cubic"}
    for (h, w), size in GRID_SIZES[:3]:
        x = _images(h, w)
        want = jax.image.resize(x, (2,) + size + (3,),
                                method=names.get(method, method),
                                antialias=antialias)
        np.testing.assert_allclose(
            REF.resize(x, size, method, antialias=antialias),
            np.asarray(want), atol=1e-5, err_msg=f"{(h, w)}->{size}")


def test_bicubic_uses_keys_a_half():
    # Upsampling [0, 1] x2: the sample at 0.25 weights pixel 0 and 1 by
    # the Keys kernel (a = -0.5) at distances 0.25 and 0.75, and the
    # out-of-image taps are dropped and the weights renormalized.
    def keys(t, a=-0.5):
        t = abs(t)
        if t <= 1:
            return (a + 2) * t ** 3 - (a + 3) * t ** 2 + 1
        return a * t ** 3 - 5 * a * t ** 2 + 8 * a * t - 4 * a if t < 2 \
            else 0.0
    x = np.array([0.0, 1.0, 0.0, 0.0], "float64").reshape(1, 4, 1, 1)
    got = REF.resize(x, (8, 1), "bicubic")[0, :, 0, 0]
    samples = (np.arange(8) + 0.5) / 2 - 0.5
    want = []
    for s in samples:
        taps = {j: keys(s - j) for j in range(4)}
        want.append(taps[1] / sum(taps.values()))
    np.testing.assert_allclose(got, want, atol=1e-12)


def test_crop_to_aspect_ratio_crops_the_center_first():
    x = _images(6, 10)
    # crop height = min(6, 10 * 3 // 3) = 6, crop width = 6 * 3 // 3 = 6,
    # so columns 2..7 are kept.
    got = REF.resize(x, (3, 3), crop_to_aspect_ratio=True)
    np.testing.assert_allclose(got, REF.resize(x[:, :, 2:8], (3, 3)))


def test_pad_to_aspect_ratio_pads_both_sides():
    x = _images(4, 8)
    padded = np.full((2, 8, 8, 3), 0.5, "float32")
    padded[:, 2:6] = x  # 2 rows of fill above and below
    got = REF.resize(x, (4, 4), pad_to_aspect_ratio=True, fill_value=0.5)
    np.testing.assert_allclose(got, REF.resize(padded, (4, 4)))
    # Wide target on a tall image pads the width instead.
    y = _images(8, 4)
    got = REF.resize(y, (2, 4), pad_to_aspect_ratio=True, fill_value=0.5,
                     interpolation="nearest")
    padded = np.full((2, 8, 16, 3), 0.5, "float32")
    padded[:, :, 6:10] = y
    np.testing.assert_array_equal(got, REF.resize(padded, (2, 4),
                                                  "nearest"))


def test_unbatched_and_channels_first_agree():
    x = _images(5, 7, batch=1)
    want = REF.resize(x, (3, 4))
    np.testing.assert_allclose(REF.resize(x[0], (3, 4)), want[0])
    first = REF.resize(np.moveaxis(x, -1, 1), (3, 4),
                       data_format="channels_first")
    np.testing.assert_allclose(np.moveaxis(first, 1, -1), want)
    first3 = REF.resize(np.moveaxis(x[0], -1, 0), (3, 4),
                        data_format="channels_first")
    np.testing.assert_allclose(np.moveaxis(first3, 0, -1), want[0])


@pytest.mark.parametrize("name", ("numpy",) + OTHERS)
def test_dtypes(name):
    B = backend.get(name)
    ints = rng.integers(0, 255, (1, 4, 4, 1)).astype("uint8")
    out = B.resize(B.convert_to_tensor(ints), (2, 3), "nearest")
    assert B.dtype(out) == "uint8"
    assert B.dtype(B.resize(B.convert_to_tensor(ints), (2, 3))) == "float32"
    x64 = _images(3, 3).astype("float64")
    assert B.dtype(B.resize(B.convert_to_tensor(x64), (5, 5),
                            "bicubic")) == "float64"


@pytest.mark.parametrize("name", ("numpy",) + OTHERS)
def test_errors(name):
    B = backend.get(name)
    x = B.convert_to_tensor(_images(4, 4))
    with pytest.raises(ValueError, match="size"):
        B.resize(x, (3,))
    with pytest.raises(ValueError, match="interpolation.*'area'"):
        B.resize(x, (3, 3), "area")
    with pytest.raises(ValueError, match="only one"):
        B.resize(x, (3, 3), crop_to_aspect_ratio=True,
                 pad_to_aspect_ratio=True)
    with pytest.raises(ValueError, match="fill_mode"):
        B.resize(x, (3, 3), fill_mode="reflect")
    with pytest.raises(ValueError, match="3-D"):
        B.resize(B.convert_to_tensor(np.ones((4, 4), "float32")), (2, 2))


CASES = [pytest.param(m, aa, s, df, id=f"{m}-aa{int(aa)}-{s[0]}{s[1]}-{df}")
         for m, aa, s, df in itertools.product(
             METHODS[:4], (False, True), GRID_SIZES,
             ("channels_last", "channels_first"))]


@pytest.mark.parametrize("name", OTHERS)
@pytest.mark.parametrize("method, antialias, sizes, data_format", CASES)
def test_backends_match_numpy(name, method, antialias, sizes, data_format):
    B = backend.get(name)
    (h, w), size = sizes
    x = _images(h, w)
    if data_format == "channels_first":
        x = np.ascontiguousarray(np.moveaxis(x, -1, 1))
    want = REF.resize(x, size, method, antialias, data_format=data_format)
    got = _np(B, B.resize(B.convert_to_tensor(x), size, method, antialias,
                          data_format=data_format))
    assert got.shape == want.shape and got.dtype == want.dtype
    np.testing.assert_allclose(got, want, atol=2e-6)


@pytest.mark.parametrize("name", OTHERS)
@pytest.mark.parametrize("data_format", ("channels_last", "channels_first"))
def test_backends_match_numpy_crop_pad_unbatched(name, data_format):
    B = backend.get(name)
    for shape, size, kwargs in [
            ((6, 10), (3, 3), {"crop_to_aspect_ratio": True}),
            ((10, 5), (4, 6), {"crop_to_aspect_ratio": True}),
            ((4, 8), (4, 4), {"pad_to_aspect_ratio": True,
                              "fill_value": 2.0}),
            ((8, 3), (2, 4), {"pad_to_aspect_ratio": True})]:
        x = _images(*shape, batch=1)[0]
        if data_format == "channels_first":
            x = np.ascontiguousarray(np.moveaxis(x, -1, 0))
        want = REF.resize(x, size, data_format=data_format, **kwargs)
        got = _np(B, B.resize(B.convert_to_tensor(x), size,
                              data_format=data_format, **kwargs))
        np.testing.assert_allclose(got, want, atol=2e-6)


def test_torch_nearest_is_exact_where_interpolate_rounds():
    # F.interpolate's 'nearest-exact' maps output 20 of 2 -> 41 to pixel 0
    # (its float scale rounds the exact tie 1.0 down); lamina reads pixel 1
    # like TF's definition, JAX and the NumPy reference.
    B = backend.get("torch")
    x = np.array([0.0, 1.0], "float32").reshape(1, 2, 1, 1)
    got = _np(B, B.resize(B.convert_to_tensor(x), (41, 1), "nearest"))
    np.testing.assert_array_equal(got, REF.resize(x, (41, 1), "nearest"))
    assert got[0, 20, 0, 0] == 1.0
