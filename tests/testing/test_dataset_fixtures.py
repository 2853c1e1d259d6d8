import os
import urllib.error
import urllib.request

import numpy as np
import pytest

import lamina
from lamina.datasets import imdb, mnist
from lamina.testing import dataset_fixtures


def test_isolate_points_both_caches_into_root_and_blocks_network(
        tmp_path, monkeypatch):
    lamina_dir, keras_dir = dataset_fixtures.isolate(monkeypatch, tmp_path)
    assert os.environ["LAMINA_HOME"] == str(tmp_path / "lamina")
    assert os.environ["KERAS_HOME"] == str(tmp_path / "keras")
    assert lamina_dir == str(tmp_path / "lamina" / "datasets")
    assert keras_dir == str(tmp_path / "keras" / "datasets")
    with pytest.raises(urllib.error.URLError, match="network access is off"):
        urllib.request.urlopen("https://example.com/")


def test_write_all_and_same_seed_same_data(tmp_path, monkeypatch):
    lamina_dir, keras_dir = dataset_fixtures.isolate(monkeypatch, tmp_path)
    paths = dataset_fixtures.write_all(lamina_dir, seed=4)
    assert all(os.path.exists(p) for p in paths)
    assert sorted(os.listdir(lamina_dir)) == sorted([
        "boston_housing.npz", "california_housing.npz", "cifar-10-batches-py",
        "cifar-100-python", "fashion-mnist", "imdb.npz",
        "imdb_word_index.json", "mnist.npz", "reuters.npz",
        "reuters_word_index.json"])
    first = imdb.load_data(), mnist.load_data()
    dataset_fixtures.write_imdb(keras_dir, seed=4)
    dataset_fixtures.write_mnist(keras_dir, seed=4)
    os.remove(os.path.join(lamina_dir, "imdb.npz"))
    os.remove(os.path.join(lamina_dir, "mnist.npz"))
    second = imdb.load_data(), mnist.load_data()  # now from Keras's cache
    assert first[0][0][0].tolist() == second[0][0][0].tolist()
    np.testing.assert_array_equal(first[1][0][0], second[1][0][0])
    dataset_fixtures.write_mnist(keras_dir, seed=5)
    np.testing.assert_raises(AssertionError, np.testing.assert_array_equal,
                             first[1][0][0], mnist.load_data()[0][0])


def test_bad_reuters_vocabulary(tmp_path):
    with pytest.raises(ValueError, match="vocabulary"):
        dataset_fixtures.write_reuters(tmp_path, num_topics=46,
                                       vocabulary=100)


@pytest.mark.requires_training
def test_an_mlp_learns_the_mnist_fixture(tmp_path, monkeypatch):
    lamina_dir, _ = dataset_fixtures.isolate(monkeypatch, tmp_path)
    dataset_fixtures.write_mnist(lamina_dir, n_train=500, n_test=100)
    (x_train, y_train), (x_test, y_test) = mnist.load_data()
    x_train = x_train.reshape(-1, 784).astype("float32") / 255
    x_test = x_test.reshape(-1, 784).astype("float32") / 255
    lamina.utils.set_random_seed(0)
    model = lamina.Sequential([
        lamina.layers.Input(shape=(784,)),
        lamina.layers.Dense(32, activation="relu"),
        lamina.layers.Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=3, batch_size=50, verbose=0)
    probabilities = np.asarray(model.predict(x_test, verbose=0))
    assert (probabilities.argmax(1) == y_test).mean() >= 0.9
