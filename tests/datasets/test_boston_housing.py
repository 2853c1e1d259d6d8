import os

import numpy as np
import pytest

from lamina.datasets import boston_housing
from lamina.testing import dataset_fixtures
from lamina.utils.file_utils import DownloadError


@pytest.fixture
def data(tmp_path, monkeypatch):
    lamina_dir, _ = dataset_fixtures.isolate(monkeypatch, tmp_path)
    os.makedirs(lamina_dir)
    x = np.arange(20 * 13, dtype="float64").reshape(20, 13)
    y = np.arange(20, dtype="float64") + 10.5
    np.savez(os.path.join(lamina_dir, "boston_housing.npz"), x=x, y=y)
    return x, y


@pytest.mark.parametrize("test_split,seed", [(0.2, 113), (0.35, 0),
                                             (0.0, 5)])
def test_shuffle_and_split_follow_numpy_randomstate(data, test_split, seed):
    x, y = data
    order = np.arange(20)
    np.random.RandomState(seed).shuffle(order)  # Keras's shuffle
    cut = int(20 * (1 - test_split))
    (x_train, y_train), (x_test, y_test) = boston_housing.load_data(
        test_split=test_split, seed=seed)
    np.testing.assert_array_equal(x_train, x[order[:cut]])
    np.testing.assert_array_equal(y_train, y[order[:cut]])
    np.testing.assert_array_equal(x_test, x[order[cut:]])
    np.testing.assert_array_equal(y_test, y[order[cut:]])
    assert x_train.dtype == np.float64 and x_test.shape == (20 - cut, 13)


def test_bad_arguments(data):
    with pytest.raises(ValueError, match="test_split.*1"):
        boston_housing.load_data(test_split=1)
    with pytest.raises(ValueError, match="test_split"):
        boston_housing.load_data(test_split=-0.1)
    with pytest.raises(TypeError, match="seed"):
        boston_housing.load_data(seed=1.5)


def test_offline_error(tmp_path, monkeypatch):
    dataset_fixtures.isolate(monkeypatch, tmp_path)
    with pytest.raises(DownloadError, match="boston_housing.npz"):
        boston_housing.load_data()


def test_fixture_is_linear(tmp_path, monkeypatch):
    lamina_dir, _ = dataset_fixtures.isolate(monkeypatch, tmp_path)
    dataset_fixtures.write_boston_housing(lamina_dir, seed=2)
    (x_train, y_train), (x_test, y_test) = boston_housing.load_data()
    assert x_train.shape == (404, 13) and x_test.shape == (102, 13)
    design = np.column_stack([x_train, np.ones(len(x_train))])
    coef = np.linalg.lstsq(design, y_train, rcond=None)[0]
    pred = np.column_stack([x_test, np.ones(len(x_test))]) @ coef
    r2 = 1 - ((pred - y_test) ** 2).sum() / ((y_test - y_test.mean()) **
                                              2).sum()
    assert r2 > 0.9
