import os
import pickle
import tarfile

import numpy as np
import pytest

from lamina.datasets import cifar100
from lamina.testing import dataset_fixtures
from lamina.utils.file_utils import DownloadError

FOLDER = "cifar-100-python"


@pytest.fixture
def dirs(tmp_path, monkeypatch):
    return dataset_fixtures.isolate(monkeypatch, tmp_path)


def _write(folder, seed=0):
    rng = np.random.RandomState(seed)
    os.makedirs(folder, exist_ok=True)
    out = {}
    for name, n in (("train", 6), ("test", 4)):
        data = rng.randint(0, 256, (n, 3072)).astype(np.uint8)
        fine = [int(v) for v in rng.randint(0, 100, n)]
        coarse = [int(v) for v in rng.randint(0, 20, n)]
        with open(os.path.join(folder, name), "wb") as f:
            pickle.dump({b"data": data, b"fine_labels": fine,
                         b"coarse_labels": coarse}, f)
        out[name] = (data, fine, coarse)
    return out


def _images(data):
    # Byte ch*1024 + r*32 + c is pixel (r, c) of channel ch.
    return np.stack([data[:, ch * 1024:(ch + 1) * 1024].reshape(-1, 32, 32)
                     for ch in range(3)], axis=-1)


@pytest.mark.parametrize("label_mode,index", [("fine", 1), ("coarse", 2)])
def test_label_modes(dirs, label_mode, index):
    written = _write(os.path.join(dirs[0], FOLDER))
    (x_train, y_train), (x_test, y_test) = cifar100.load_data(label_mode)
    assert x_train.shape == (6, 32, 32, 3) and x_test.shape == (4, 32, 32, 3)
    assert y_train.shape == (6, 1) and y_test.shape == (4, 1)
    assert x_train.dtype == np.uint8 and y_train.dtype == np.uint8
    np.testing.assert_array_equal(x_train, _images(written["train"][0]))
    np.testing.assert_array_equal(x_test, _images(written["test"][0]))
    np.testing.assert_array_equal(y_train[:, 0], written["train"][index])
    np.testing.assert_array_equal(y_test[:, 0], written["test"][index])


def test_bad_label_mode(dirs):
    with pytest.raises(ValueError, match="'fine' or 'coarse'.*'medium'"):
        cifar100.load_data(label_mode="medium")


def test_keras_3_layout_and_archive(dirs, tmp_path):
    written = _write(os.path.join(dirs[1], f"{FOLDER}-target", FOLDER), 1)
    (_, y_train), _ = cifar100.load_data()
    np.testing.assert_array_equal(y_train[:, 0], written["train"][1])
    # Keras 3's download name for the archive: `<folder>-target_archive`.
    os.rename(os.path.join(dirs[1], f"{FOLDER}-target"),
              str(tmp_path / "moved"))
    with tarfile.open(os.path.join(dirs[1], f"{FOLDER}-target_archive"),
                      "w:gz") as tar:
        tar.add(str(tmp_path / "moved" / FOLDER), arcname=FOLDER)
    (_, y_train), _ = cifar100.load_data("coarse")
    np.testing.assert_array_equal(y_train[:, 0], written["train"][2])
    assert os.path.isfile(os.path.join(dirs[0], FOLDER, "train"))


def test_offline_error(dirs):
    with pytest.raises(DownloadError, match="cifar-100-python.tar.gz"):
        cifar100.load_data()


def test_fixture_coarse_labels_group_fine_ones(dirs):
    dataset_fixtures.write_cifar100(dirs[1], 200, 50, seed=5)
    (x_fine, y_fine), _ = cifar100.load_data("fine")
    (x_coarse, y_coarse), _ = cifar100.load_data("coarse")
    np.testing.assert_array_equal(x_fine, x_coarse)
    np.testing.assert_array_equal(y_coarse, y_fine // 5)
    assert y_fine.max() <= 99 and x_fine.shape == (200, 32, 32, 3)
