"""A small model with `MultiHeadAttention` learns a synthetic task."""

import numpy as np
import pytest

import lamina
from lamina import layers, ops
from lamina.layers.attention import MultiHeadAttention


def marker_task(n, length=8, seed=0):
    """Each sequence has one marked step (channel 1); the label is whether
    the marked step's value (channel 0) is positive."""
    rng = np.random.default_rng(seed)
    x = np.zeros((n, length, 3), "float32")
    x[:, :, 0] = rng.normal(size=(n, length))
    x[:, :, 2] = rng.normal(scale=0.1, size=(n, length))
    where = rng.integers(0, length, size=n)
    x[np.arange(n), where, 1] = 1.0
    y = (x[np.arange(n), where, 0] > 0).astype("float32")[:, None]
    return x, y


@pytest.mark.requires_training
def test_self_attention_model_learns_marker_task():
    lamina.utils.set_random_seed(0)
    x, y = marker_task(512)
    x_test, y_test = marker_task(256, seed=1)
    inp = lamina.Input(shape=(8, 3))
    h = layers.Dense(16, activation="relu")(inp)
    h = MultiHeadAttention(num_heads=2, key_dim=8, dropout=0.1)(h, h)
    h = layers.Lambda(lambda t: ops.mean(t, axis=1))(h)
    out = layers.Dense(1, activation="sigmoid")(h)
    model = lamina.Model(inp, out)
    model.compile(optimizer=lamina.optimizers.Adam(learning_rate=0.01),
                  loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(x, y, batch_size=64, epochs=12, verbose=0)
    pred = model.predict(x_test, verbose=0)
    accuracy = float(np.mean((pred > 0.5) == (y_test > 0.5)))
    assert accuracy >= 0.9, accuracy
