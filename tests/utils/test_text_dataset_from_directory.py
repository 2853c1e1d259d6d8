import os

import numpy as np
import pytest

import lamina
from lamina.utils import directory_datasets

text_dataset = directory_datasets.text_dataset_from_directory
TEXTS = {
    "neg": ["awful film", "boring and long", "dull", "bad ending"],
    "pos": ["great fun", "lovely acting", "a joy — très bien"],
}
ALL_TEXTS = [t for texts in TEXTS.values() for t in texts]


@pytest.fixture
def folder(tmp_path):
    for label, texts in TEXTS.items():
        os.makedirs(tmp_path / label / "more")
        for i, text in enumerate(texts):
            where = tmp_path / label / ("more" if i == 0 else "")
            (where / f"t{i}.txt").write_text(text, encoding="utf-8")
        (tmp_path / label / "skip.md").write_text("not a .txt file")
    return tmp_path


def _read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def _everything(ds):
    xs, ys = zip(*list(ds))
    return np.concatenate(xs), np.concatenate(ys)


def test_texts_and_inferred_labels(folder):
    ds = text_dataset(folder, batch_size=3, shuffle=False, verbose=False)
    assert ds.class_names == ["neg", "pos"]
    assert len(ds.file_paths) == 7 and len(ds) == 3
    assert all(p.endswith(".txt") for p in ds.file_paths)
    x, y = _everything(ds)
    assert x.dtype == object and all(isinstance(t, str) for t in x)
    assert y.dtype == "int32"
    assert list(x) == [_read(p) for p in ds.file_paths]
    expected = [ds.class_names.index(os.path.relpath(p, folder)
                                     .split(os.sep)[0])
                for p in ds.file_paths]
    np.testing.assert_array_equal(y, expected)
    assert sorted(x) == sorted(ALL_TEXTS)


def test_max_length_truncates_characters(folder):
    ds = text_dataset(folder, max_length=4, batch_size=100, shuffle=False,
                      verbose=False)
    x, _ = ds[0]
    assert list(x) == [_read(p)[:4] for p in ds.file_paths]
    assert max(len(t) for t in x) == 4


@pytest.mark.parametrize("mode", ["categorical", "binary"])
def test_label_modes(folder, mode):
    ints = text_dataset(folder, batch_size=100, shuffle=False,
                        verbose=False)[0][1]
    _, y = text_dataset(folder, label_mode=mode, batch_size=100,
                        shuffle=False, verbose=False)[0]
    assert y.dtype == "float32"
    want = np.eye(2)[ints] if mode == "categorical" else ints[:, None]
    np.testing.assert_array_equal(y, want)


def test_seeded_shuffle_and_split(folder):
    a = text_dataset(folder, seed=5, batch_size=2, verbose=False)
    b = text_dataset(folder, seed=5, batch_size=2, verbose=False)
    assert a.file_paths == b.file_paths
    xa, ya = _everything(a)
    xb, yb = _everything(b)
    assert list(xa) == list(xb)
    np.testing.assert_array_equal(ya, yb)
    assert sorted(xa) == sorted(ALL_TEXTS)
    train, val = text_dataset(folder, seed=5, validation_split=0.3,
                              subset="both", verbose=False)
    assert len(val.file_paths) == int(0.3 * 7)
    assert not set(train.file_paths) & set(val.file_paths)
    assert train.file_paths + val.file_paths == a.file_paths


def test_no_labels(folder):
    ds = text_dataset(folder, labels=None, batch_size=100, shuffle=False,
                      verbose=False)
    x = ds[0]
    assert isinstance(x, np.ndarray) and x.shape == (7,)
    assert ds.class_names == []


def test_prints_counts(folder, capsys):
    text_dataset(folder, seed=1, validation_split=0.3, subset="training")
    out = capsys.readouterr().out
    assert "Found 7 files belonging to 2 classes." in out
    assert f"Using {7 - int(0.3 * 7)} files for training." in out


@pytest.mark.parametrize("kwargs, match", [
    ({"max_length": 0}, "max_length"),
    ({"label_mode": "sparse"}, "label_mode"),
    ({"labels": [0, 1, 2]}, "one entry per file"),
    ({"labels": [0, 1, 0, 1, 0, 1, 0], "class_names": ["a"]},
     "class_names"),
    ({"validation_split": 0.2, "subset": "both"}, "seed"),
])
def test_bad_arguments(folder, kwargs, match):
    with pytest.raises(ValueError, match=match):
        text_dataset(folder, verbose=False, **kwargs)


def test_no_text_files(tmp_path):
    os.makedirs(tmp_path / "a")
    (tmp_path / "a" / "x.csv").write_text("1,2")
    with pytest.raises(ValueError, match="no text files"):
        text_dataset(tmp_path, verbose=False)


def test_texts_feed_text_vectorization(folder):
    ds = text_dataset(folder, batch_size=4, shuffle=False, verbose=False)
    layer = lamina.layers.TextVectorization(output_mode="int",
                                            output_sequence_length=3)
    layer.adapt(np.concatenate([x for x, _ in ds]))
    codes = np.asarray(layer(ds[0][0]))
    assert codes.shape == (4, 3)
    vocab = layer.get_vocabulary()
    first = ds[0][0][0].lower().split()[:3]
    np.testing.assert_array_equal(
        codes[0, :len(first)], [vocab.index(w) for w in first])
