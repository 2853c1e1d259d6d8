"""`compile(steps_per_execution=N)`: N batches per execution, the same
training as one batch at a time, batch callbacks once per execution."""

import numpy as np
import pytest

import lamina
from lamina import layers
from lamina.ops._bind import B


def _model(steps_per_execution):
    lamina.utils.set_random_seed(2)
    a = lamina.Input(shape=(5,))
    h = layers.BatchNormalization()(layers.Dense(8, activation="relu")(a))
    model = lamina.Model(a, layers.Dense(2)(h))
    model.compile("adam", "mse", metrics=["mae"],
                  steps_per_execution=steps_per_execution)
    return model


def _data():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(70, 5)).astype("float32")
    return x, x[:, :2] * 2.0 - x[:, 2:4]


class _Steps(lamina.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.seen = []

    def on_train_batch_begin(self, batch, logs=None):
        self.seen.append(("begin", batch))

    def on_train_batch_end(self, batch, logs=None):
        self.seen.append(("end", batch, float(logs["loss"])))


def test_same_weights_and_logs_as_one_step_at_a_time():
    x, y = _data()
    one, four = _model(1), _model(4)
    h1 = one.fit(x, y, batch_size=8, epochs=2, verbose=0, shuffle=False)
    h4 = four.fit(x, y, batch_size=8, epochs=2, verbose=0, shuffle=False)
    for a, b in zip(one.get_weights(), four.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    for key in ("loss", "mae"):
        np.testing.assert_allclose(h1.history[key], h4.history[key],
                                   rtol=1e-5)
    np.testing.assert_allclose(one.evaluate(x, y, batch_size=8, verbose=0),
                               four.evaluate(x, y, batch_size=8, verbose=0),
                               rtol=1e-5)


def test_batch_callbacks_once_per_execution():
    x, y = _data()  # 70 samples, batch 8: 9 steps -> executions of 4, 4, 1
    model, steps = _model(4), _Steps()
    model.fit(x, y, batch_size=8, epochs=1, verbose=0, shuffle=False,
              callbacks=[steps])
    assert [s[:2] for s in steps.seen] == [
        ("begin", 0), ("end", 3), ("begin", 4), ("end", 7), ("begin", 8),
        ("end", 8)]
    # The logs at an execution's end are those after its last step: the
    # same as a one-step-at-a-time run reports at that step.
    reference, ref_steps = _model(1), _Steps()
    reference.fit(x, y, batch_size=8, epochs=1, verbose=0, shuffle=False,
                  callbacks=[ref_steps])
    ends = {s[1]: s[2] for s in ref_steps.seen if s[0] == "end"}
    for s in steps.seen:
        if s[0] == "end":
            np.testing.assert_allclose(s[2], ends[s[1]], rtol=1e-5)


@pytest.mark.skipif(B.name != "jax", reason="the scanned multi-step is JAX's")
def test_jax_runs_an_execution_in_one_jitted_call():
    x, y = _data()
    model = _model(4)
    model.fit(x, y, batch_size=8, epochs=1, verbose=0, shuffle=False)
    assert model._step_fns["train"]._many is not None


@pytest.mark.parametrize("bad", [0, -2, 1.5, True, "4"])
def test_bad_steps_per_execution(bad):
    model = lamina.Sequential([layers.Input((3,)), layers.Dense(1)])
    with pytest.raises(ValueError, match="steps_per_execution"):
        model.compile("sgd", "mse", steps_per_execution=bad)
