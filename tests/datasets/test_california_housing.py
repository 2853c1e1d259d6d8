import os

import numpy as np
import pytest

from lamina.datasets import california_housing
from lamina.testing import dataset_fixtures
from lamina.utils.file_utils import DownloadError


@pytest.fixture
def data(tmp_path, monkeypatch):
    _, keras_dir = dataset_fixtures.isolate(monkeypatch, tmp_path)
    os.makedirs(keras_dir)
    x = np.arange(700 * 8, dtype="float32").reshape(700, 8)
    y = np.arange(700, dtype="float32") * 100 + 25000
    np.savez(os.path.join(keras_dir, "california_housing.npz"), x=x, y=y)
    return x, y


def _reference(x, y, test_split, seed):
    order = np.arange(len(x))
    np.random.RandomState(seed).shuffle(order)  # Keras's shuffle
    cut = int(len(x) * (1 - test_split))
    return (x[order[:cut]], y[order[:cut]]), (x[order[cut:]], y[order[cut:]])


@pytest.mark.parametrize("version,n", [("large", 700), ("small", 600)])
@pytest.mark.parametrize("test_split,seed", [(0.2, 113), (0.5, 1)])
def test_versions_split_and_seed(data, version, n, test_split, seed):
    x, y = data
    result = california_housing.load_data(version, test_split=test_split,
                                          seed=seed)
    want = _reference(x[:n], y[:n], test_split, seed)
    for got_part, want_part in zip(result, want):
        for got, expected in zip(got_part, want_part):
            assert got.dtype == np.float32
            np.testing.assert_array_equal(got, expected)
    assert len(result[0][0]) + len(result[1][0]) == n


def test_bad_arguments(data):
    with pytest.raises(ValueError, match="'large' or 'small'.*'tiny'"):
        california_housing.load_data(version="tiny")
    with pytest.raises(ValueError, match="test_split"):
        california_housing.load_data(test_split=2)


def test_offline_error(tmp_path, monkeypatch):
    _, keras_dir = dataset_fixtures.isolate(monkeypatch, tmp_path)
    with pytest.raises(DownloadError) as info:
        california_housing.load_data(version="small")
    assert california_housing.ORIGIN in str(info.value)
    assert os.path.join(keras_dir, "california_housing.npz") in str(
        info.value)


def test_fixture_is_linear(tmp_path, monkeypatch):
    lamina_dir, _ = dataset_fixtures.isolate(monkeypatch, tmp_path)
    dataset_fixtures.write_california_housing(lamina_dir, n=500, seed=3)
    (x_train, y_train), (x_test, y_test) = california_housing.load_data()
    assert x_train.shape == (400, 8) and y_test.shape == (100,)
    design = np.column_stack([x_train, np.ones(len(x_train))]).astype(
        "float64")
    coef = np.linalg.lstsq(design, y_train, rcond=None)[0]
    pred = np.column_stack([x_test, np.ones(len(x_test))]) @ coef
    r2 = 1 - ((pred - y_test) ** 2).sum() / ((y_test - y_test.mean()) **
                                              2).sum()
    assert r2 > 0.9
