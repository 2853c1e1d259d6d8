import gzip
import os
import struct

import numpy as np
import pytest

from lamina.datasets import fashion_mnist
from lamina.testing import dataset_fixtures
from lamina.utils.file_utils import DownloadError

NAMES = ("train-labels-idx1-ubyte.gz", "train-images-idx3-ubyte.gz",
         "t10k-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz")


@pytest.fixture
def dirs(tmp_path, monkeypatch):
    return dataset_fixtures.isolate(monkeypatch, tmp_path)


def _write_idx(path, array):
    # IDX, written from the format's definition: magic 0x0801 (labels) or
    # 0x0803 (3-D images), then the sizes, big-endian, then the bytes.
    magic = 2049 if array.ndim == 1 else 2051
    with gzip.open(path, "wb") as f:
        f.write(struct.pack(">I", magic))
        for size in array.shape:
            f.write(struct.pack(">I", size))
        f.write(array.astype(np.uint8).tobytes())


def _write(folder, seed=0):
    rng = np.random.RandomState(seed)
    folder = os.path.join(folder, "fashion-mnist")
    os.makedirs(folder, exist_ok=True)
    arrays = [rng.randint(0, 10, 6), rng.randint(0, 256, (6, 28, 28)),
              rng.randint(0, 10, 4), rng.randint(0, 256, (4, 28, 28))]
    for name, array in zip(NAMES, arrays):
        _write_idx(os.path.join(folder, name), array)
    return arrays


def _check(result, arrays):
    (x_train, y_train), (x_test, y_test) = result
    expected = [arrays[1], arrays[0], arrays[3], arrays[2]]
    for got, want in zip((x_train, y_train, x_test, y_test), expected):
        assert got.dtype == np.uint8 and got.shape == want.shape
        np.testing.assert_array_equal(got, want)


def test_reads_idx_files_from_lamina_home(dirs):
    arrays = _write(dirs[0])
    _check(fashion_mnist.load_data(), arrays)


def test_reads_keras_cache_subfolder(dirs):
    arrays = _write(dirs[1], seed=1)
    _check(fashion_mnist.load_data(), arrays)


def test_offline_error_names_the_subfolder(dirs):
    with pytest.raises(DownloadError) as info:
        fashion_mnist.load_data()
    message = str(info.value)
    assert "train-labels-idx1-ubyte.gz" in message
    assert "https://storage.googleapis.com/tensorflow/tf-keras-datasets/" \
           "train-labels-idx1-ubyte.gz" in message
    for folder in dirs:
        assert os.path.join(folder, "fashion-mnist",
                            "train-labels-idx1-ubyte.gz") in message


def test_fixture_writes_learnable_data(dirs):
    path = dataset_fixtures.write_fashion_mnist(dirs[0], 200, 50, seed=2)
    assert sorted(os.listdir(path)) == sorted(NAMES)
    (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data()
    assert x_train.shape == (200, 28, 28) and y_test.shape == (50,)
    x_train = x_train.reshape(200, -1).astype("float64")
    centroids = np.stack([x_train[y_train == k].mean(0) for k in range(10)])
    distances = ((x_test.reshape(50, 1, -1) - centroids) ** 2).sum(-1)
    assert (distances.argmin(1) == y_test).mean() >= 0.9
