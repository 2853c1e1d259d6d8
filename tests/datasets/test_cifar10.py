import os
import pickle
import shutil
import tarfile

import numpy as np
import pytest

from lamina import backend
from lamina.datasets import cifar10
from lamina.testing import dataset_fixtures
from lamina.utils.file_utils import DownloadError

FOLDER = "cifar-10-batches-py"


@pytest.fixture
def dirs(tmp_path, monkeypatch):
    return dataset_fixtures.isolate(monkeypatch, tmp_path)


def _write(folder, sizes=(3, 2, 2, 1, 2), n_test=3, seed=0):
    """Batches as in the original archive: dicts with byte-string keys,
    `data` (n, 3072) uint8 (1024 red, 1024 green, 1024 blue bytes)."""
    rng = np.random.RandomState(seed)
    os.makedirs(folder, exist_ok=True)
    names = [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]
    batches = []
    for name, n in zip(names, list(sizes) + [n_test]):
        data = rng.randint(0, 256, (n, 3072)).astype(np.uint8)
        labels = [int(v) for v in rng.randint(0, 10, n)]
        with open(os.path.join(folder, name), "wb") as f:
            pickle.dump({b"data": data, b"labels": labels,
                         b"batch_label": name.encode()}, f)
        batches.append((data, labels))
    return batches


def _expected(batches):
    data = np.concatenate([b[0] for b in batches[:5]])
    labels = [v for b in batches[:5] for v in b[1]]
    # Pixel (row r, column c) of channel ch is byte ch*1024 + r*32 + c.
    x_train = np.zeros((len(data), 32, 32, 3), np.uint8)
    for ch in range(3):
        x_train[..., ch] = data[:, ch * 1024:(ch + 1) * 1024].reshape(
            -1, 32, 32)
    x_test = np.zeros((len(batches[5][0]), 32, 32, 3), np.uint8)
    for ch in range(3):
        x_test[..., ch] = batches[5][0][:, ch * 1024:(ch + 1) * 1024
                                        ].reshape(-1, 32, 32)
    return x_train, np.array(labels), x_test, np.array(batches[5][1])


def _check(result, batches):
    (x_train, y_train), (x_test, y_test) = result
    want = _expected(batches)
    assert x_train.shape == (10, 32, 32, 3) and y_train.shape == (10, 1)
    assert x_test.shape == (3, 32, 32, 3) and y_test.shape == (3, 1)
    for got in (x_train, y_train, x_test, y_test):
        assert got.dtype == np.uint8
    np.testing.assert_array_equal(x_train, want[0])
    np.testing.assert_array_equal(y_train[:, 0], want[1])
    np.testing.assert_array_equal(x_test, want[2])
    np.testing.assert_array_equal(y_test[:, 0], want[3])


def test_reads_extracted_batches(dirs):
    batches = _write(os.path.join(dirs[0], FOLDER))
    _check(cifar10.load_data(), batches)


@pytest.mark.parametrize("layout", [FOLDER, f"{FOLDER}/{FOLDER}",
                                    f"{FOLDER}-target/{FOLDER}"])
def test_reads_every_keras_cache_layout(dirs, layout):
    batches = _write(os.path.join(dirs[1], layout), seed=1)
    _check(cifar10.load_data(), batches)


def test_channels_first(dirs):
    batches = _write(os.path.join(dirs[0], FOLDER), seed=2)
    before = backend.image_data_format()
    backend.set_image_data_format("channels_first")
    try:
        (x_train, _), (x_test, _) = cifar10.load_data()
    finally:
        backend.set_image_data_format(before)
    want = _expected(batches)
    assert x_train.shape == (10, 3, 32, 32)
    np.testing.assert_array_equal(x_train, want[0].transpose(0, 3, 1, 2))
    np.testing.assert_array_equal(x_test, want[2].transpose(0, 3, 1, 2))


@pytest.mark.parametrize("name", [f"{FOLDER}.tar.gz", f"{FOLDER}_archive",
                                  "cifar-10-python.tar.gz"])
def test_archive_in_keras_cache_is_extracted_into_lamina_home(
        dirs, tmp_path, name):
    batches = _write(str(tmp_path / "build" / FOLDER), seed=3)
    os.makedirs(dirs[1])
    with tarfile.open(os.path.join(dirs[1], name), "w:gz") as tar:
        tar.add(str(tmp_path / "build" / FOLDER), arcname=FOLDER)
    _check(cifar10.load_data(), batches)
    assert os.path.isfile(os.path.join(dirs[0], FOLDER, "test_batch"))
    assert os.listdir(dirs[1]) == [name]  # Keras's cache is left alone
    assert not [n for n in os.listdir(dirs[0]) if n.endswith(".part")]


def test_offline_error_names_archive_url_and_folder(dirs):
    with pytest.raises(DownloadError) as info:
        cifar10.load_data()
    message = str(info.value)
    assert cifar10.ORIGIN in message
    assert os.path.join(dirs[0], f"{FOLDER}.tar.gz") in message
    assert os.path.join(dirs[1], FOLDER, "test_batch") in message


def test_refuses_a_pickle_that_would_run_code(dirs, tmp_path):
    _write(os.path.join(dirs[0], FOLDER))
    marker = tmp_path / "ran"

    class Exploit:
        def __reduce__(self):
            return (shutil.copy, (__file__, str(marker)))

    with open(os.path.join(dirs[0], FOLDER, "data_batch_1"), "wb") as f:
        pickle.dump({b"data": Exploit(), b"labels": []}, f)
    with pytest.raises(pickle.UnpicklingError, match="shutil"):
        cifar10.load_data()
    assert not marker.exists()


def test_fixture_writes_learnable_data(dirs):
    dataset_fixtures.write_cifar10(dirs[0], 300, 60, seed=4, archive=True)
    (x_train, y_train), (x_test, y_test) = cifar10.load_data()
    assert x_train.shape == (300, 32, 32, 3) and y_test.shape == (60, 1)
    x_train = x_train.reshape(300, -1).astype("float64")
    centroids = np.stack([x_train[y_train[:, 0] == k].mean(0)
                          for k in range(10)])
    distances = ((x_test.reshape(60, 1, -1) - centroids) ** 2).sum(-1)
    assert (distances.argmin(1) == y_test[:, 0]).mean() >= 0.9
