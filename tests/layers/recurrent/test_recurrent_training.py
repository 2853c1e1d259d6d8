"""An Embedding(mask_zero) -> LSTM text classifier learns a toy task."""

import numpy as np
import pytest

import lamina
from lamina.layers import Dense, Input
from lamina.layers.recurrent import LSTM, Embedding


def keyword_data(n, vocab=20, steps=12, keyword=3, seed=0):
    """Zero-padded token sequences (lengths 3..12) labelled 1 when the
    keyword token occurs. Padding that is read as tokens would blur the
    task: the mask keeps it out."""
    rng = np.random.default_rng(seed)
    x = np.zeros((n, steps), "int32")
    y = rng.integers(0, 2, n).astype("float32")
    for i in range(n):
        length = rng.integers(3, steps + 1)
        tokens = rng.integers(4, vocab, length)
        if y[i]:
            tokens[rng.integers(0, length)] = keyword
        x[i, :length] = tokens
    return x, y[:, None]


@pytest.fixture
def one_torch_thread():
    """Many tiny kernels: on a loaded machine torch's intra-op threads
    mostly wait for each other (this test ran 30x slower with 2 threads
    than with 1 on a shared 2-core box); the result doesn't depend on it."""
    torch = pytest.importorskip("torch")
    saved = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(saved)


@pytest.mark.requires_training
def test_masked_lstm_classifier_learns(one_torch_thread):
    lamina.utils.set_random_seed(0)
    x, y = keyword_data(512)
    x_test, y_test = keyword_data(256, seed=1)
    model = lamina.Sequential([
        Input(shape=(12,), dtype="int32"),
        Embedding(20, 8, mask_zero=True),
        LSTM(16),
        Dense(1, activation="sigmoid")])
    model.compile(optimizer=lamina.optimizers.Adam(0.02),
                  loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(x, y, batch_size=32, epochs=12, verbose=0)
    loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
    assert accuracy >= 0.95, (loss, accuracy)
