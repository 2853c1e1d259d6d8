"""A small convnet (the MNIST example's shape, scaled down) learns a
synthetic image task, in both data formats."""

import numpy as np
import pytest

import lamina
from lamina import layers


def bars(n, size=12, seed=0):
    """Images holding one bar, horizontal (class 0), vertical (class 1) or
    diagonal (class 2), at a random place, in noise."""
    rng = np.random.default_rng(seed)
    x = rng.normal(scale=0.3, size=(n, size, size, 1)).astype("float32")
    y = rng.integers(0, 3, size=n)
    for i, label in enumerate(y):
        r, c = rng.integers(1, size - 5, size=2)
        for k in range(5):
            if label == 0:
                x[i, r, c + k, 0] += 1.5
            elif label == 1:
                x[i, r + k, c, 0] += 1.5
            else:
                x[i, r + k, c + k, 0] += 1.5
    return x, y


@pytest.mark.requires_training
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_convnet_learns_bar_orientation(data_format):
    lamina.utils.set_random_seed(0)
    x, y = bars(600)
    x_test, y_test = bars(300, seed=1)
    if data_format == "channels_first":
        x, x_test = np.moveaxis(x, -1, 1), np.moveaxis(x_test, -1, 1)
    kw = {"data_format": data_format}
    model = lamina.Sequential([
        layers.Input(shape=x.shape[1:]),
        layers.Conv2D(8, 3, activation="relu", **kw),
        layers.MaxPooling2D(**kw),
        layers.Conv2D(16, 3, activation="relu", **kw),
        layers.MaxPooling2D(**kw),
        layers.Flatten(),
        layers.Dropout(0.25),
        layers.Dense(3, activation="softmax")])
    model.compile(lamina.optimizers.Adam(0.01),
                  "sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, y, batch_size=32, epochs=8, verbose=0)
    _, accuracy = model.evaluate(x_test, y_test, verbose=0)
    assert accuracy >= 0.95, accuracy
