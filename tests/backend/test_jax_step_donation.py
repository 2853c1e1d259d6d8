"""The JAX training step donates the state's buffers: same training as
without donation, the old arrays are released, and a state in which two
variables hold one array still trains (that call donates nothing). Steps
that donate nothing (predict, evaluate) leave unchanged state in place."""

import numpy as np
import pytest

import lamina
from lamina.ops._bind import B

pytestmark = pytest.mark.skipif(B.name != "jax",
                                reason="buffer donation is JAX's")

rng = np.random.default_rng(3)
X = rng.normal(size=(24, 5)).astype("float32")
Y = rng.normal(size=(24, 2)).astype("float32")


def _model():
    lamina.utils.set_random_seed(1)
    model = lamina.Sequential([lamina.layers.Input(shape=(5,)),
                               lamina.layers.Dense(4, activation="tanh"),
                               lamina.layers.Dense(2)])
    model.compile(optimizer=lamina.optimizers.Adam(0.01), loss="mse",
                  metrics=["mae"])
    return model


def _fit(model, **kwargs):
    history = model.fit(X, Y, batch_size=8, epochs=2, shuffle=False,
                        verbose=0, **kwargs)
    return history.history, [np.array(w) for w in model.get_weights()]


def test_same_training_as_without_donation(monkeypatch):
    donated = _fit(_model())
    from lamina.backend.jax import step
    monkeypatch.setattr(B, "make_step", lambda fn, jit_compile=True,
                        kind="train": step._JittedStep(fn, jit_compile))
    plain = _fit(_model())
    assert donated[0] == plain[0]
    for a, b in zip(donated[1], plain[1]):
        np.testing.assert_array_equal(a, b)


def test_the_old_weights_are_donated_and_the_new_ones_read():
    model = _model()
    model.fit(X[:8], Y[:8], batch_size=8, verbose=0)  # discovers the state
    kernel = model.layers[0].kernel
    old = kernel.value
    before = np.array(old)
    model.fit(X[:8], Y[:8], batch_size=8, verbose=0)
    assert old.is_deleted()
    assert not kernel.value.is_deleted()
    assert not np.allclose(np.array(kernel.value), before)


@pytest.mark.parametrize("steps_per_execution", [1, 3])
def test_one_array_in_two_variables_trains(steps_per_execution):
    model = _model()
    model.compile(optimizer=lamina.optimizers.Adam(0.01), loss="mse",
                  steps_per_execution=steps_per_execution)
    model.fit(X[:8], Y[:8], batch_size=8, verbose=0)  # discovers the state
    # The last Dense's bias and an Adam slot of the same shape: one array.
    bias = model.layers[1].bias
    slot = next(v for v in model.optimizer.variables
                if tuple(v.shape) == (2,))
    shared = B.zeros((2,))
    bias._value = slot._value = shared
    history, _ = _fit(model)
    assert np.all(np.isfinite(history["loss"]))
    assert not shared.is_deleted()  # held twice: not donated


def test_predict_and_evaluate_leave_unchanged_weights_in_place():
    # A step that donates nothing hands back only the state it changed:
    # the weights keep their arrays (no copy per batch); evaluate's metric
    # totals are updated.
    model = _model()
    weights = [v.value for v in model.weights]
    predicted = model.predict(X, batch_size=8, verbose=0)
    logs = model.evaluate(X, Y, batch_size=8, verbose=0, return_dict=True)
    assert all(v.value is w for v, w in zip(model.weights, weights))
    kernel, bias = (np.asarray(w) for w in weights[:2])
    hidden = np.tanh(X @ kernel + bias)
    want = hidden @ np.asarray(weights[2]) + np.asarray(weights[3])
    np.testing.assert_allclose(predicted, want, rtol=1e-5, atol=1e-6)
    assert logs["mae"] == pytest.approx(np.mean(np.abs(want - Y)), rel=1e-5)
