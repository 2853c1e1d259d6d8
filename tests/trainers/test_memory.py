"""Calling fit / evaluate / predict many times keeps memory flat."""

import gc
import resource

import numpy as np

import lamina
from lamina import layers


def _rss_mb():
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def test_repeated_fit_evaluate_predict_memory_is_flat():
    a = lamina.Input(shape=(32,))
    h = layers.Dropout(0.1)(layers.Dense(64, activation="relu")(a))
    model = lamina.Model(a, layers.Dense(4, activation="softmax")(h))
    model.compile("adam", "sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    rng = np.random.default_rng(0)
    x = rng.normal(size=(256, 32)).astype("float32")
    y = rng.integers(0, 4, 256)
    trains = lamina.backend.current().supports_training

    def once():
        if trains:
            model.fit(x, y, batch_size=64, epochs=1, verbose=0)
        model.evaluate(x, y, batch_size=64, verbose=0)
        model.predict(x, batch_size=64, verbose=0)

    for _ in range(10):  # warm-up: allocator pools, compiled steps
        once()
    gc.collect()
    before = _rss_mb()
    for _ in range(50):
        once()
    gc.collect()
    growth = _rss_mb() - before
    assert growth < 30, f"memory grew by {growth:.1f} MB over 50 rounds"
