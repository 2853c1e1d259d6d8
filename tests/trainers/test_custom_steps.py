"""Custom training written once in lamina ops runs on every engine."""

import numpy as np
import pytest

import lamina
from lamina import layers, ops

X = np.random.default_rng(0).normal(size=(64, 4)).astype("float32")
Y = (X @ np.array([[1.0], [-2.0], [0.5], [0.0]], "float32"))


class CustomStep(lamina.Model):
    """A subclassed model with its own train_step (the pattern Keras 3
    writes once per backend)."""

    def __init__(self):
        super().__init__()
        self.dense = layers.Dense(1)
        self.calls = 0

    def call(self, x, training=None):
        return self.dense(x)

    def train_step(self, data):
        x, y = data[0], data[1]

        def loss_fn():
            pred = self(x, training=True)
            return ops.mean(ops.square(pred - y)), pred
        (loss, pred), grads = ops.value_and_grad(loss_fn,
                                                 self.trainable_variables)
        self.optimizer.apply(grads, self.trainable_variables)
        self.calls += 1
        return {"mse": loss}


def test_overridden_train_step():
    model = CustomStep()
    model.compile(lamina.optimizers.SGD(0.1))
    hist = model.fit(X, Y, batch_size=16, epochs=5, verbose=0)
    assert list(hist.history) == ["mse"]
    assert hist.history["mse"][-1] < 0.1 * hist.history["mse"][0]


def test_overridden_compute_loss_adds_a_penalty():
    class Penalized(lamina.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(1)

        def call(self, x, training=None):
            return self.dense(x)

        def compute_loss(self, x=None, y=None, y_pred=None,
                         sample_weight=None, training=True):
            base = super().compute_loss(x, y, y_pred, sample_weight,
                                        training)
            return base + 0.0 * ops.sum(y_pred) + 1.0

    model = Penalized()
    model.compile(lamina.optimizers.SGD(0.05), "mse")
    model(X[:1])
    plain = float(np.mean((model.predict(X, verbose=0) - Y) ** 2))
    assert model.evaluate(X, Y, batch_size=64, verbose=0) == \
        pytest.approx(plain + 1.0, rel=1e-5)


def test_custom_loop_with_value_and_grad_and_apply():
    if not lamina.backend.current().supports_training:
        pytest.skip("inference-only backend")
    a = lamina.Input(shape=(4,))
    model = lamina.Model(a, layers.Dense(1)(a))
    opt = lamina.optimizers.Adam(0.05)
    x, y = ops.convert_to_tensor(X), ops.convert_to_tensor(Y)
    first = None
    for _ in range(100):
        def loss_fn():
            return ops.mean(ops.square(model(x) - y)), None
        (loss, _), grads = ops.value_and_grad(loss_fn,
                                              model.trainable_variables)
        opt.apply(grads, model.trainable_variables)
        first = float(ops.convert_to_numpy(loss)) if first is None else first
    assert float(ops.convert_to_numpy(loss)) < 0.05 * first
