import os

import numpy as np
import pytest

import lamina
from lamina import layers
from lamina.utils import directory_datasets

Image = pytest.importorskip("PIL.Image")

image_dataset = directory_datasets.image_dataset_from_directory
SIZES = {"cats": 5, "dogs": 4, "birds": 3}


def _write(path, height=10, width=14, seed=0, mode="RGB"):
    rng = np.random.default_rng(seed)
    channels = {"RGB": 3, "RGBA": 4, "L": 1}[mode]
    pixels = rng.integers(0, 256, (height, width, channels), dtype="uint8")
    if channels == 1:
        pixels = pixels[..., 0]
    img = Image.fromarray(pixels, mode)
    if path.lower().endswith((".jpg", ".jpeg", ".bmp", ".gif")):
        img = img.convert("RGB")
    img.save(path)


@pytest.fixture
def folder(tmp_path):
    seed = 0
    for name, count in SIZES.items():
        os.makedirs(tmp_path / name)
        for i in range(count):
            ext = ".png" if i % 2 == 0 else ".JPG"
            _write(str(tmp_path / name / f"img{i}{ext}"), seed=seed)
            seed += 1
    (tmp_path / "cats" / "notes.txt").write_text("not an image")
    # a top-level image: not in a class, read only without inferred labels
    _write(str(tmp_path / "stray.png"), seed=99)
    return tmp_path


def _reference(path, size, interpolation="bilinear", mode="RGB"):
    img = Image.open(path).convert(mode)
    filt = getattr(Image.Resampling, interpolation.upper())
    out = np.asarray(img.resize((size[1], size[0]), filt), "float32")
    return out[..., None] if out.ndim == 2 else out


def _all_batches(ds):
    xs, ys = zip(*list(ds))
    return np.concatenate(xs), np.concatenate(ys)


def test_infers_sorted_classes_and_labels_from_folders(folder):
    ds = image_dataset(folder, image_size=(6, 8), batch_size=4,
                       shuffle=False, verbose=False)
    assert ds.class_names == sorted(SIZES)
    assert len(ds.file_paths) == sum(SIZES.values())
    assert len(ds) == -(-len(ds.file_paths) // 4)
    _, y = _all_batches(ds)
    folders = [os.path.basename(os.path.dirname(p)) for p in ds.file_paths]
    np.testing.assert_array_equal(
        y, [ds.class_names.index(f) for f in folders])
    assert ds.file_paths == sorted(ds.file_paths)
    assert isinstance(ds, lamina.utils.PyDataset)


def test_class_names_choose_order_and_subset(folder):
    ds = image_dataset(folder, class_names=["dogs", "cats"], shuffle=False,
                       image_size=4, verbose=False)
    assert ds.class_names == ["dogs", "cats"]
    assert len(ds.file_paths) == SIZES["dogs"] + SIZES["cats"]
    _, y = ds[0]
    expected = [0 if "/dogs/" in p.replace(os.sep, "/") else 1
                for p in ds.file_paths]
    np.testing.assert_array_equal(y, expected)


@pytest.mark.parametrize("mode, dtype, shape", [
    ("int", "int32", (12,)),
    ("categorical", "float32", (12, 3)),
])
def test_label_modes(folder, mode, dtype, shape):
    ds = image_dataset(folder, label_mode=mode, image_size=4,
                       batch_size=100, shuffle=False, verbose=False)
    _, y = ds[0]
    assert y.dtype == dtype and y.shape == shape
    ints = image_dataset(folder, image_size=4, batch_size=100,
                         shuffle=False, verbose=False)[0][1]
    if mode == "categorical":
        np.testing.assert_array_equal(y, np.eye(3)[ints])


def test_binary_labels_and_two_class_check(folder):
    with pytest.raises(ValueError, match="exactly 2"):
        image_dataset(folder, label_mode="binary", verbose=False)
    ds = image_dataset(folder, label_mode="binary", image_size=4,
                       class_names=["cats", "dogs"], batch_size=100,
                       shuffle=False, verbose=False)
    _, y = ds[0]
    assert y.dtype == "float32" and y.shape == (9, 1)
    expected = ["/dogs/" in p.replace(os.sep, "/") for p in ds.file_paths]
    np.testing.assert_array_equal(y[:, 0], np.array(expected, "float32"))


@pytest.mark.parametrize("color_mode, pil_mode, channels", [
    ("rgb", "RGB", 3), ("grayscale", "L", 1), ("rgba", "RGBA", 4)])
@pytest.mark.parametrize("interpolation", ["bilinear", "nearest"])
def test_pixels_match_pillow(folder, color_mode, pil_mode, channels,
                             interpolation):
    ds = image_dataset(folder, color_mode=color_mode, image_size=(6, 9),
                       interpolation=interpolation, batch_size=5,
                       shuffle=False, verbose=False)
    x, _ = ds[1]
    assert x.dtype == "float32" and x.shape == (5, 6, 9, channels)
    for k in range(5):
        want = _reference(ds.file_paths[5 + k], (6, 9), interpolation,
                          pil_mode)
        np.testing.assert_array_equal(x[k], want)
    assert 0 <= x.min() and x.max() <= 255


def test_channels_first(folder):
    last = image_dataset(folder, image_size=(5, 7), shuffle=False,
                         verbose=False)[0][0]
    first = image_dataset(folder, image_size=(5, 7), shuffle=False,
                          data_format="channels_first", verbose=False)[0][0]
    np.testing.assert_array_equal(first, last.transpose(0, 3, 1, 2))


def test_crop_and_pad_to_aspect_ratio(tmp_path):
    os.makedirs(tmp_path / "a")
    path = str(tmp_path / "a" / "x.png")
    _write(path, height=10, width=20, seed=3)
    pixels = np.asarray(Image.open(path).convert("RGB"))
    crop = image_dataset(tmp_path, image_size=(4, 4), shuffle=False,
                         crop_to_aspect_ratio=True, verbose=False)[0][0][0]
    box = Image.fromarray(pixels[:, 5:15])
    np.testing.assert_array_equal(crop, np.asarray(
        box.resize((4, 4), Image.Resampling.BILINEAR), "float32"))
    pad = image_dataset(tmp_path, image_size=(4, 4), shuffle=False,
                        pad_to_aspect_ratio=True, verbose=False)[0][0][0]
    padded = np.zeros((20, 20, 3), "uint8")
    padded[5:15] = pixels
    np.testing.assert_array_equal(pad, np.asarray(
        Image.fromarray(padded).resize((4, 4), Image.Resampling.BILINEAR),
        "float32"))


def test_seeded_shuffle_repeats_and_visits_every_file(folder):
    a = image_dataset(folder, image_size=4, seed=7, batch_size=5,
                      verbose=False)
    b = image_dataset(folder, image_size=4, seed=7, batch_size=5,
                      verbose=False)
    plain = image_dataset(folder, image_size=4, shuffle=False,
                          verbose=False)
    assert a.file_paths == b.file_paths
    assert a.file_paths != plain.file_paths
    assert sorted(a.file_paths) == plain.file_paths
    xa, ya = _all_batches(a)
    xb, yb = _all_batches(b)
    np.testing.assert_array_equal(xa, xb)
    np.testing.assert_array_equal(ya, yb)
    # every image once: the batches hold each file's pixels exactly once
    xp, yp = _all_batches(plain)
    assert sorted(map(bytes, xa)) == sorted(map(bytes, xp))
    a.on_epoch_end()  # a new order next epoch, the same files
    xe, ye = _all_batches(a)
    assert sorted(map(bytes, xe)) == sorted(map(bytes, xp))
    np.testing.assert_array_equal(np.bincount(ye), np.bincount(yp))


@pytest.mark.parametrize("split", [0.25, 0.5])
def test_validation_split(folder, split):
    kwargs = {"image_size": 4, "seed": 3, "validation_split": split,
              "verbose": False}
    train = image_dataset(folder, subset="training", **kwargs)
    val = image_dataset(folder, subset="validation", **kwargs)
    both = image_dataset(folder, subset="both", **kwargs)
    whole = image_dataset(folder, image_size=4, seed=3, verbose=False)
    total = sum(SIZES.values())
    assert len(val.file_paths) == int(split * total)
    assert not set(train.file_paths) & set(val.file_paths)
    assert train.file_paths + val.file_paths == whole.file_paths
    assert isinstance(both, tuple) and len(both) == 2
    assert both[0].file_paths == train.file_paths
    assert both[1].file_paths == val.file_paths
    assert val.class_names == train.class_names == sorted(SIZES)


def test_no_labels_and_explicit_labels(folder):
    ds = image_dataset(folder, labels=None, image_size=4, batch_size=4,
                       shuffle=False, verbose=False)
    assert isinstance(ds[0], np.ndarray) and ds[0].shape == (4, 4, 4, 3)
    assert len(ds.file_paths) == sum(SIZES.values()) + 1  # stray.png
    no_mode = image_dataset(folder, label_mode=None, image_size=4,
                            verbose=False)
    assert isinstance(no_mode[0], np.ndarray)
    labels = list(range(len(ds.file_paths)))
    given = image_dataset(folder, labels=labels, image_size=4,
                          batch_size=100, seed=2, verbose=False)
    _, y = given[0]
    order = [ds.file_paths.index(p) for p in given.file_paths]
    np.testing.assert_array_equal(y, order)
    assert given.class_names == [str(v) for v in labels]


def test_unbatched_items(folder):
    ds = image_dataset(folder, image_size=(3, 5), batch_size=None,
                       shuffle=False, verbose=False)
    assert len(ds) == sum(SIZES.values())
    x, y = ds[-1]
    assert x.shape == (3, 5, 3) and y.shape == ()


@pytest.mark.parametrize("kwargs, match", [
    ({"label_mode": "sparse"}, "label_mode"),
    ({"color_mode": "cmyk"}, "color_mode"),
    ({"image_size": (4,)}, "image_size"),
    ({"interpolation": "gaussian"}, "interpolation"),
    ({"validation_split": 0.2}, "subset"),
    ({"subset": "training"}, "validation_split"),
    ({"validation_split": 1.5, "subset": "training", "seed": 1},
     "between 0 and 1"),
    ({"validation_split": 0.2, "subset": "validation"}, "seed"),
    ({"subset": "test", "validation_split": 0.2, "seed": 1}, "subset"),
    ({"crop_to_aspect_ratio": True, "pad_to_aspect_ratio": True},
     "only one"),
    ({"class_names": ["cats", "fish"]}, "class_names"),
    ({"labels": "folders"}, "labels"),
    ({"labels": [0, 1]}, "one entry per file"),
    ({"labels": None, "class_names": ["cats"]}, "class_names"),
    ({"batch_size": 0}, "batch_size"),
])
def test_bad_arguments(folder, kwargs, match):
    with pytest.raises(ValueError, match=match):
        image_dataset(folder, verbose=False, **kwargs)


def test_missing_or_empty_directory(tmp_path):
    with pytest.raises(ValueError, match="existing folder"):
        image_dataset(tmp_path / "nowhere", verbose=False)
    os.makedirs(tmp_path / "empty_class")
    with pytest.raises(ValueError, match="no images found"):
        image_dataset(tmp_path, verbose=False)


@pytest.mark.requires_training
def test_fit_trains_a_conv_model(folder):
    lamina.utils.set_random_seed(0)
    ds = image_dataset(folder, image_size=(8, 8), batch_size=4, seed=1,
                       label_mode="categorical", verbose=False)
    model = lamina.Sequential([
        lamina.Input((8, 8, 3)),
        layers.Rescaling(1.0 / 255),
        layers.Conv2D(4, 3, activation="relu"),
        layers.GlobalAveragePooling2D(),
        layers.Dense(len(ds.class_names), activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    before = [np.array(w) for w in model.get_weights()]
    history = model.fit(ds, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    assert np.all(np.isfinite(history.history["loss"]))
    after = model.get_weights()
    assert any(not np.allclose(b, a) for b, a in zip(before, after))
    probs = np.asarray(model.predict(ds, verbose=0))
    assert probs.shape == (len(ds.file_paths), 3)
