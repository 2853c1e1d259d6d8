import hashlib
import io
import os
import subprocess
import sys
import urllib.request

import numpy as np
import pytest

import lamina
from lamina.datasets import mnist
from lamina.testing import dataset_fixtures
from lamina.utils.file_utils import DownloadError


@pytest.fixture
def dirs(tmp_path, monkeypatch):
    return dataset_fixtures.isolate(monkeypatch, tmp_path)


def _arrays(seed=0, n_train=7, n_test=3):
    rng = np.random.RandomState(seed)
    return {"x_train": rng.randint(0, 256, (n_train, 28, 28)).astype("uint8"),
            "y_train": rng.randint(0, 10, n_train).astype("uint8"),
            "x_test": rng.randint(0, 256, (n_test, 28, 28)).astype("uint8"),
            "y_test": rng.randint(0, 10, n_test).astype("uint8")}


def _write(folder, name="mnist.npz", **arrays):
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, name)
    np.savez(path, **arrays)
    return path


def _check(result, arrays):
    (x_train, y_train), (x_test, y_test) = result
    for got, key in ((x_train, "x_train"), (y_train, "y_train"),
                     (x_test, "x_test"), (y_test, "y_test")):
        assert got.dtype == np.uint8
        np.testing.assert_array_equal(got, arrays[key])


def test_reads_keras_npz_from_lamina_home(dirs):
    arrays = _arrays()
    _write(dirs[0], **arrays)
    _check(mnist.load_data(), arrays)


def test_keras_cache_is_used_when_lamina_home_lacks_the_file(dirs):
    keras_arrays, lamina_arrays = _arrays(1), _arrays(2)
    _write(dirs[1], **keras_arrays)
    _check(mnist.load_data(), keras_arrays)
    _write(dirs[0], **lamina_arrays)  # lamina's own folder comes first
    _check(mnist.load_data(), lamina_arrays)


def test_path_argument_relative_and_absolute(dirs, tmp_path):
    arrays = _arrays(3)
    _write(dirs[1], name="other.npz", **arrays)
    _check(mnist.load_data(path="other.npz"), arrays)
    absolute = _write(str(tmp_path / "elsewhere"), **arrays)
    _check(mnist.load_data(path=absolute), arrays)
    missing = str(tmp_path / "nowhere" / "mnist.npz")
    with pytest.raises(DownloadError, match=f"not at {missing}"):
        mnist.load_data(path=missing)
    with pytest.raises(TypeError, match="path"):
        mnist.load_data(path=3)


def test_offline_error_names_file_url_and_both_folders(dirs):
    with pytest.raises(DownloadError) as info:
        mnist.load_data()
    assert isinstance(info.value, OSError)
    message = str(info.value)
    assert "'mnist.npz'" in message and mnist.ORIGIN in message
    assert os.path.join(dirs[0], "mnist.npz") in message
    assert os.path.join(dirs[1], "mnist.npz") in message
    assert not os.path.exists(os.path.join(dirs[0], "mnist.npz"))


def _serve(monkeypatch, data):
    def urlopen(url, *args, **kwargs):
        assert url == mnist.ORIGIN
        response = io.BytesIO(data)
        response.headers = {}
        return response
    monkeypatch.setattr(urllib.request, "urlopen", urlopen)


def test_download_checks_the_sha256_and_leaves_nothing_on_mismatch(
        dirs, monkeypatch, tmp_path):
    arrays = _arrays(4)
    source = _write(str(tmp_path / "src"), **arrays)
    with open(source, "rb") as f:
        data = f.read()
    _serve(monkeypatch, data)
    # Keras's hash is the real file's: the small file is refused.
    with pytest.raises(ValueError, match="sha256"):
        mnist.load_data()
    assert not os.path.isdir(dirs[0]) or os.listdir(dirs[0]) == []
    # With the small file's own hash the download goes through.
    monkeypatch.setattr(mnist, "SHA256", hashlib.sha256(data).hexdigest())
    _check(mnist.load_data(), arrays)
    assert os.listdir(dirs[0]) == ["mnist.npz"]


def test_fixture_writes_learnable_data(dirs):
    dataset_fixtures.write_mnist(dirs[0], n_train=200, n_test=50, seed=1)
    (x_train, y_train), (x_test, y_test) = mnist.load_data()
    assert x_train.shape == (200, 28, 28) and x_test.shape == (50, 28, 28)
    assert set(np.unique(y_train)) == set(range(10))
    # A nearest-centroid classifier (NumPy) recovers the class.
    x_train = x_train.reshape(200, -1).astype("float64")
    centroids = np.stack([x_train[y_train == k].mean(0) for k in range(10)])
    distances = ((x_test.reshape(50, 1, -1) - centroids) ** 2).sum(-1)
    assert (distances.argmin(1) == y_test).mean() >= 0.9


def test_submodules_are_imported_lazily():
    code = ("import sys, lamina; "
            "print('lamina.datasets.mnist' in sys.modules); "
            "print(lamina.datasets.imdb.__name__)")
    env = dict(os.environ, LAMINA_BACKEND="numpy")
    out = subprocess.run([sys.executable, "-c", code], env=env, check=True,
                         capture_output=True, text=True).stdout.split()
    assert out == ["False", "lamina.datasets.imdb"]
    assert lamina.datasets.mnist is mnist
    with pytest.raises(AttributeError):
        lamina.datasets.no_such_dataset  # noqa: B018
