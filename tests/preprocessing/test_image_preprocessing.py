"""lamina.preprocessing.image against NumPy / SciPy / Pillow references."""

import os
import sys
import warnings

import numpy as np
import pytest
from scipy import ndimage

import lamina
from lamina.legacy import arguments
from lamina.preprocessing import _image_transforms, image

Image = pytest.importorskip("PIL.Image")


def images(n=6, h=5, w=4, c=3, seed=0):
    return np.random.default_rng(seed).uniform(0, 255, (n, h, w, c)).astype(
        "float32")


# -- transforms ---------------------------------------------------------------
def test_flips_are_exact():
    gen = image.ImageDataGenerator(data_format="channels_last")
    x = images()[0]
    np.testing.assert_array_equal(
        gen.apply_transform(x, {"flip_horizontal": True}), x[:, ::-1, :])
    np.testing.assert_array_equal(
        gen.apply_transform(x, {"flip_vertical": True}), x[::-1, :, :])
    first = image.ImageDataGenerator(data_format="channels_first")
    y = x.transpose(2, 0, 1)
    np.testing.assert_array_equal(
        first.apply_transform(y, {"flip_horizontal": True}), y[:, :, ::-1])


@pytest.mark.parametrize("tx,ty", [(2, 0), (0, -1), (1, 2)])
def test_integer_shift_is_exact(tx, ty):
    x = images(h=6, w=5)[0]
    got = image.apply_affine_transform(x, tx=tx, ty=ty, row_axis=0,
                                       col_axis=1, channel_axis=2,
                                       fill_mode="constant", cval=-7.0)
    want = np.full_like(x, -7.0)
    h, w = x.shape[:2]
    for r in range(h):
        for c in range(w):
            if 0 <= r + tx < h and 0 <= c + ty < w:
                want[r, c] = x[r + tx, c + ty]
    np.testing.assert_allclose(got, want, atol=1e-4)


def test_rotation_by_90_degrees_matches_rot90():
    x = images(h=5, w=5)[0]
    got = image.apply_affine_transform(x, theta=90, row_axis=0, col_axis=1,
                                       channel_axis=2)
    np.testing.assert_allclose(got, np.rot90(x, -1, axes=(0, 1)),
                               atol=1e-3)


@pytest.mark.parametrize("mode", _image_transforms.FILL_MODES)
@pytest.mark.parametrize("order", [0, 1])
def test_numpy_resampling_matches_scipy(mode, order):
    rng = np.random.default_rng(1)
    img = rng.random((9, 7))
    for _ in range(5):
        t = np.deg2rad(rng.uniform(-40, 40))
        m = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]]) * \
            rng.uniform(0.7, 1.3)
        off = rng.uniform(-3, 3, 2)
        scipy_mode = {"wrap": "grid-wrap"}.get(mode, mode)
        want = ndimage.affine_transform(img, m, off, order=order,
                                        mode=scipy_mode, cval=0.3)
        got = _image_transforms._affine_numpy(img, m, off, order, mode, 0.3)
        np.testing.assert_allclose(got, want, atol=1e-9)


def test_without_scipy_the_numpy_path_is_used(monkeypatch):
    x = images()[0]
    params = {"theta": 20, "tx": 1.5, "zx": 0.8, "shear": 10,
              "row_axis": 0, "col_axis": 1, "channel_axis": 2}
    with_scipy = image.apply_affine_transform(x, **params)
    monkeypatch.setitem(sys.modules, "scipy", None)
    monkeypatch.setitem(sys.modules, "scipy.ndimage", None)
    np.testing.assert_allclose(image.apply_affine_transform(x, **params),
                               with_scipy, atol=1e-3)
    with pytest.raises(ImportError, match="scipy"):
        image.apply_affine_transform(x, theta=5, order=3, row_axis=0,
                                     col_axis=1, channel_axis=2)


def test_channel_and_brightness_shift():
    x = images()[0]
    np.testing.assert_allclose(image.apply_channel_shift(x, 30.0, 2),
                               np.clip(x + 30.0, x.min(), x.max()))
    np.testing.assert_allclose(image.apply_brightness_shift(x, 1.5, False),
                               np.clip(x * 1.5, 0, 255), rtol=1e-6)


def test_random_transform_parameters_seeded_and_in_range():
    gen = image.ImageDataGenerator(rotation_range=30, width_shift_range=2,
                                   height_shift_range=0.2, zoom_range=0.1,
                                   horizontal_flip=True, shear_range=5)
    a = gen.get_random_transform((10, 20, 3), seed=4)
    assert a == gen.get_random_transform((10, 20, 3), seed=4)
    draws = [gen.get_random_transform((10, 20, 3), seed=s)
             for s in range(200)]
    assert all(abs(d["theta"]) <= 30 and abs(d["shear"]) <= 5 for d in draws)
    assert {d["ty"] for d in draws} == {-1, 0, 1}  # int n: (-n, n)
    assert all(abs(d["tx"]) <= 0.2 * 10 for d in draws)
    assert all(0.9 <= d["zx"] <= 1.1 for d in draws)
    assert {d["flip_horizontal"] for d in draws} == {True, False}
    assert not any(d["flip_vertical"] for d in draws)


# -- standardize and fit ------------------------------------------------------
def test_rescale_and_samplewise():
    x = images()[0]
    gen = image.ImageDataGenerator(rescale=1 / 255.0)
    np.testing.assert_allclose(gen.standardize(x.copy()), x / 255.0,
                               rtol=1e-6)
    with pytest.warns(UserWarning, match="samplewise_center"):
        gen = image.ImageDataGenerator(samplewise_std_normalization=True)
    want = (x - x.mean()) / (x.std() + 1e-6)
    np.testing.assert_allclose(gen.standardize(x.copy()), want, atol=1e-5)


def test_featurewise_statistics_from_fit():
    x = images(n=20)
    with pytest.warns(UserWarning, match="featurewise_center"):
        gen = image.ImageDataGenerator(featurewise_std_normalization=True,
                                       rescale=0.5)
    gen.fit(x)
    scaled = x.astype("float64") * 0.5
    mean = scaled.mean(axis=(0, 1, 2))
    std = (scaled - mean).std(axis=(0, 1, 2))
    np.testing.assert_allclose(gen.mean.reshape(-1), mean, rtol=1e-4)
    np.testing.assert_allclose(gen.std.reshape(-1), std, rtol=1e-4)
    batch = next(gen.flow(x, batch_size=20, shuffle=False))
    np.testing.assert_allclose(batch, (scaled - mean) / (std + 1e-6),
                               atol=1e-4)


def test_zca_whitening_decorrelates():
    rng = np.random.default_rng(0)
    mix = rng.normal(size=(12, 12))
    x = (rng.normal(size=(400, 12)) @ mix).reshape(400, 2, 2, 3)
    with pytest.warns(UserWarning):
        gen = image.ImageDataGenerator(zca_whitening=True, zca_epsilon=1e-9,
                                       dtype="float64")
    gen.fit(x)
    white = gen.standardize(x.copy()).reshape(400, -1)
    # fit centres per channel, then whitens the second moments.
    np.testing.assert_allclose(white.T @ white / 400, np.eye(12), atol=1e-6)
    w = gen.zca_whitening_matrix
    np.testing.assert_allclose(w, w.T, atol=1e-9)  # ZCA: symmetric
    assert gen.principal_components is gen.zca_whitening_matrix


def test_unfitted_featurewise_warns():
    gen = image.ImageDataGenerator(featurewise_center=True)
    with pytest.warns(UserWarning, match="fit"):
        gen.standardize(images()[0])


# -- flow ---------------------------------------------------------------------
def labelled(n=10):
    x = np.arange(n, dtype="float32")[:, None, None, None] * np.ones(
        (1, 3, 3, 1), "float32")
    return x, np.arange(n)


def test_flow_batches_shapes_and_labels_stay_with_images():
    x, y = labelled(10)
    it = image.ImageDataGenerator(horizontal_flip=True).flow(
        x, y, batch_size=4, seed=1)
    assert len(it) == 3
    sizes = []
    for b in range(len(it)):
        bx, by = it[b]
        sizes.append(len(bx))
        np.testing.assert_array_equal(bx[:, 0, 0, 0], by)
    assert sizes == [4, 4, 2]


def test_flow_seed_repeats_and_epochs_reshuffle():
    x, y = labelled(12)
    gen = image.ImageDataGenerator(width_shift_range=0.3)

    def epoch_orders(it):
        first = np.concatenate([it[b][1] for b in range(len(it))])
        it.on_epoch_end()
        second = np.concatenate([it[b][1] for b in range(len(it))])
        return first, second

    a = epoch_orders(gen.flow(x, y, batch_size=5, seed=3))
    b = epoch_orders(gen.flow(x, y, batch_size=5, seed=3))
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert sorted(a[0]) == list(range(12))
    assert not np.array_equal(a[0], a[1])
    unshuffled = gen.flow(x, y, batch_size=5, shuffle=False)
    np.testing.assert_array_equal(unshuffled[0][1], np.arange(5))


def test_flow_next_wraps_around():
    x, y = labelled(5)
    it = image.ImageDataGenerator().flow(x, y, batch_size=2, shuffle=False)
    got = [next(it)[1].tolist() for _ in range(4)]
    assert got == [[0, 1], [2, 3], [4], [0, 1]]


def test_flow_sample_weight_extra_inputs_and_subsets():
    x, y = labelled(10)
    it = image.ImageDataGenerator().flow(
        x, y, sample_weight=y * 2.0, batch_size=3, shuffle=False)
    _, by, bw = it[0]
    np.testing.assert_array_equal(bw, by * 2.0)
    extra = np.arange(10) * 10
    (_, bextra), by = image.ImageDataGenerator().flow(
        [x, extra], y, batch_size=3, shuffle=False)[1]
    np.testing.assert_array_equal(bextra, by * 10)
    gen = image.ImageDataGenerator(validation_split=0.3)
    labels = np.arange(10) % 2
    val = gen.flow(x, labels, subset="validation", shuffle=False)
    train = gen.flow(x, labels, subset="training", shuffle=False)
    assert val.n == 3 and train.n == 7
    with pytest.raises(ValueError, match="different classes"):
        gen.flow(x, np.arange(10) >= 5, subset="validation")
    with pytest.raises(ValueError, match="rank 4"):
        gen.flow(x[:, 0], y)
    with pytest.raises(ValueError, match="same length"):
        gen.flow(x, y[:3])


def test_keras1_random_transform_override_is_used():
    class AddOne(image.ImageDataGenerator):
        def random_transform(self, x, seed=None):
            return x + 1

    x, y = labelled(4)
    bx, _ = AddOne().flow(x, y, batch_size=4, shuffle=False)[0]
    np.testing.assert_array_equal(bx, x + 1)


def test_dim_ordering_warns_and_sets_data_format():
    arguments._warned.discard(("ImageDataGenerator", "dim_ordering"))
    with pytest.warns(DeprecationWarning, match="data_format='channels_f"):
        gen = image.ImageDataGenerator(dim_ordering="th")
    assert gen.data_format == "channels_first" and gen.channel_axis == 1
    with pytest.raises(ValueError, match="dim_ordering"):
        image.ImageDataGenerator(dim_ordering="xy")


@pytest.mark.parametrize("kwargs,match", [
    ({"zoom_range": [1, 2, 3]}, "zoom_range"),
    ({"brightness_range": 0.5}, "brightness_range"),
    ({"validation_split": 1.5}, "validation_split"),
    ({"fill_mode": "mirror"}, "fill_mode"),
    ({"data_format": "NHWC"}, "data_format"),
])
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        image.ImageDataGenerator(**kwargs)


# -- files --------------------------------------------------------------------
def write_tree(root, classes=("cats", "dogs", "owls"), per_class=3):
    rng = np.random.default_rng(0)
    pixels = {}
    for k, name in enumerate(classes):
        os.makedirs(root / name)
        for i in range(per_class):
            arr = rng.integers(0, 256, (6, 5, 3), dtype=np.uint8)
            path = root / name / f"img{i}.png"
            Image.fromarray(arr).save(path)
            pixels[os.path.join(name, f"img{i}.png")] = arr
    (root / classes[0] / "notes.txt").write_text("not an image")
    return pixels


def test_flow_from_directory_classes_modes_and_pixels(tmp_path):
    pixels = write_tree(tmp_path)
    gen = image.ImageDataGenerator(data_format="channels_last")
    it = gen.flow_from_directory(str(tmp_path), target_size=(6, 5),
                                 batch_size=4, shuffle=False)
    assert it.class_indices == {"cats": 0, "dogs": 1, "owls": 2}
    assert it.samples == 9 and len(it) == 3 and it.num_classes == 3
    np.testing.assert_array_equal(it.classes, np.repeat([0, 1, 2], 3))
    bx, by = it[0]
    assert bx.shape == (4, 6, 5, 3) and bx.dtype == np.float32
    for k, name in enumerate(it.filenames[:4]):
        np.testing.assert_array_equal(bx[k], pixels[name])
    np.testing.assert_array_equal(by, np.eye(3)[it.classes[:4]])
    sparse = gen.flow_from_directory(str(tmp_path), target_size=(6, 5),
                                     class_mode="sparse", shuffle=False)
    np.testing.assert_array_equal(sparse[0][1], it.classes)
    none = gen.flow_from_directory(str(tmp_path), target_size=(3, 2),
                                   class_mode=None, color_mode="grayscale")
    assert none[0].shape == (9, 3, 2, 1)
    same = gen.flow_from_directory(str(tmp_path), target_size=(6, 5),
                                   class_mode="input", shuffle=False)
    np.testing.assert_array_equal(same[0][0], same[0][1])


def test_flow_from_directory_binary_subset_and_errors(tmp_path):
    write_tree(tmp_path, classes=("no", "yes"), per_class=4)
    gen = image.ImageDataGenerator(validation_split=0.25)
    val = gen.flow_from_directory(str(tmp_path), target_size=(4, 4),
                                  class_mode="binary", subset="validation",
                                  shuffle=False)
    assert val.samples == 2 and val[0][1].tolist() == [0.0, 1.0]
    assert gen.flow_from_directory(str(tmp_path), subset="training").samples \
        == 6
    with pytest.raises(ValueError, match="exactly 2"):
        gen.flow_from_directory(str(tmp_path), classes=["no"],
                                class_mode="binary")
    with pytest.raises(ValueError, match="class_mode"):
        gen.flow_from_directory(str(tmp_path), class_mode="onehot")


def test_flow_from_dataframe_with_columns(tmp_path):
    pixels = write_tree(tmp_path, classes=("a", "b"), per_class=2)
    names = sorted(pixels)
    table = {"file": names + ["missing.png"],
             "label": [n.split(os.sep)[0] for n in names] + ["a"],
             "weight": [1.0, 2.0, 3.0, 4.0, 5.0]}
    gen = image.ImageDataGenerator()
    with pytest.warns(UserWarning, match="invalid"):
        it = gen.flow_from_dataframe(table, str(tmp_path), x_col="file",
                                     y_col="label", weight_col="weight",
                                     target_size=(6, 5), shuffle=False)
    bx, by, bw = it[0]
    assert bx.shape == (4, 6, 5, 3)
    np.testing.assert_array_equal(by, np.eye(2)[[0, 0, 1, 1]])
    np.testing.assert_array_equal(bw, [1.0, 2.0, 3.0, 4.0])


def test_image_files_round_trip(tmp_path):
    x = images(n=1, h=4, w=3)[0].round()
    path = tmp_path / "x.png"
    image.save_img(path, x, data_format="channels_last", scale=False)
    img = image.load_img(path)
    assert img.size == (3, 4)
    np.testing.assert_array_equal(image.img_to_array(img, "channels_last"),
                                  x)
    first = image.img_to_array(img, data_format="channels_first")
    assert first.shape == (3, 4, 3)
    back = image.array_to_img(first, data_format="channels_first",
                              scale=False)
    np.testing.assert_array_equal(np.asarray(back), x.astype(np.uint8))
    small = image.load_img(str(path), target_size=(2, 2),
                           color_mode="grayscale")
    assert small.size == (2, 2) and small.mode == "L"
    want = np.asarray(Image.open(path).convert("L").resize(
        (2, 2), Image.Resampling.NEAREST))
    np.testing.assert_array_equal(np.asarray(small), want)


def test_without_pillow_the_error_names_it(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "PIL", None)
    with pytest.raises(ImportError, match="pip install pillow"):
        image.load_img(tmp_path / "x.png")


# -- training -----------------------------------------------------------------
def test_model_fits_on_flow():
    lamina.utils.set_random_seed(0)
    x, y = labelled(16)
    y = (y % 2).astype("float32")
    model = lamina.Sequential([
        lamina.layers.Input((3, 3, 1)), lamina.layers.Flatten(),
        lamina.layers.Dense(1, activation="sigmoid")])
    model.compile("sgd", "binary_crossentropy")
    gen = image.ImageDataGenerator(horizontal_flip=True, rescale=1 / 16,
                                   data_format="channels_last")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        history = model.fit(gen.flow(x, y, batch_size=4, seed=0), epochs=1,
                            verbose=0)
    assert len(history.history["loss"]) == 1
    assert np.isfinite(history.history["loss"][0])
