"""Helpers for the callback tests: a tiny model, data, scripted logs."""

import numpy as np

import lamina
from lamina import callbacks


def make_model(learning_rate=0.01, metrics=None):
    """A compiled Dense(1) model on 3 features."""
    model = lamina.Sequential([lamina.layers.Dense(1, input_shape=(3,))])
    optimizer = lamina.optimizers.SGD(learning_rate=learning_rate)
    model.compile(optimizer, "mse", metrics=metrics)
    return model


def make_data(n=32, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 3)).astype("float32")
    y = (x @ np.array([[1.0], [-2.0], [0.5]], "float32") + 0.3)
    return x, y.astype("float32")


class ScriptedLogs(callbacks.Callback):
    """Overwrites `logs[key]` at each epoch end with `values[epoch]`.

    Placed before the callback under test, it drives that callback with a
    known sequence of values while a real `fit` runs.
    """

    def __init__(self, key, values):
        super().__init__()
        self.key = key
        self.values = list(values)

    def on_epoch_end(self, epoch, logs=None):
        logs[self.key] = float(self.values[epoch])
