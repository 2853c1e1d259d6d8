"""Adam against torch.optim.Adam and a NumPy Keras reference.

torch adds epsilon to `sqrt(v_hat)`, Keras to `sqrt(v)` (with the bias
correction folded into the step size): the torch comparison uses a tiny
epsilon (1e-12) so the placement doesn't matter; the NumPy reference
checks the Keras rule with a large epsilon, where it does.
"""

import numpy as np
import pytest
import torch

from lamina import optimizers
from lamina.ops._bind import B


@pytest.mark.parametrize("amsgrad", [False, True])
def test_matches_torch(quadratic, all_close, amsgrad):
    ours = quadratic.run_lamina(optimizers.Adam(
        learning_rate=0.05, beta_1=0.8, beta_2=0.95, epsilon=1e-12,
        amsgrad=amsgrad))
    theirs = quadratic.run_torch(lambda p: torch.optim.Adam(
        p, lr=0.05, betas=(0.8, 0.95), eps=1e-12, amsgrad=amsgrad))
    all_close(ours, theirs)


def keras_adam(lr, b1, b2, eps, amsgrad=False):
    def rule(w, g, s, t):
        alpha = lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t)
        s["m"] = s.get("m", 0.0) + (g - s.get("m", 0.0)) * (1 - b1)
        s["v"] = s.get("v", 0.0) + (g * g - s.get("v", 0.0)) * (1 - b2)
        v = s["v"]
        if amsgrad:
            s["vh"] = v = np.maximum(s.get("vh", 0.0), v)
        return w - s["m"] * alpha / (np.sqrt(v) + eps)
    return rule


@pytest.mark.parametrize("amsgrad", [False, True])
def test_matches_numpy_reference(quadratic, all_close, amsgrad):
    ours = quadratic.run_lamina(optimizers.Adam(
        learning_rate=0.05, epsilon=0.1, amsgrad=amsgrad))
    expected = quadratic.run_numpy(keras_adam(0.05, 0.9, 0.999, 0.1, amsgrad))
    all_close(ours, expected)


def test_mixed_dtypes(all_close):
    # One float32 and one float64 variable: the per-step constants are
    # computed once per dtype and each variable keeps its dtype.
    w32 = B.Variable(np.array([1.0, -1.0], "float32"))
    w64 = B.Variable(np.array([2.0, 0.5]), dtype="float64")
    opt = optimizers.Adam(learning_rate=0.1, epsilon=0.01)
    grads = [np.array([0.5, -0.25]), np.array([1.0, 2.0])]
    for _ in range(3):
        opt.apply([g.astype("float32") for g in grads], [w32, w64])
    assert w32.dtype == "float32" and w64.dtype == "float64"
    assert w64.numpy().dtype == np.float64
    expected = []
    for w0, g in zip([np.array([1.0, -1.0]), np.array([2.0, 0.5])], grads):
        rule, s, w = keras_adam(0.1, 0.9, 0.999, 0.01), {}, w0
        for t in range(1, 4):
            w = rule(w, g, s, t)
        expected.append(w)
    all_close([w32.numpy(), w64.numpy()], expected)


def test_slot_order():
    a = B.Variable(np.zeros(2, "float32"), name="a")
    b = B.Variable(np.zeros(3, "float32"), name="b")
    opt = optimizers.Adam(amsgrad=True)
    opt.build([a, b])
    assert [v.name for v in opt.variables] == [
        "iteration", "learning_rate", "a_momentum", "a_velocity",
        "b_momentum", "b_velocity", "a_velocity_hat", "b_velocity_hat"]
    assert opt.variables[0].dtype == "int64"
    assert all(not v.trainable for v in opt.variables)
    assert opt.variables[3].shape == (2,)
