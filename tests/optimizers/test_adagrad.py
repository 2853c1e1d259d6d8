"""Adagrad against torch.optim.Adagrad (epsilon inside the root in Keras,
outside in torch: tiny epsilon there) and a NumPy Keras reference."""

import numpy as np
import torch

from lamina import optimizers


def test_matches_torch(quadratic, all_close):
    ours = quadratic.run_lamina(optimizers.Adagrad(
        learning_rate=0.1, initial_accumulator_value=0.5, epsilon=1e-12))
    theirs = quadratic.run_torch(lambda p: torch.optim.Adagrad(
        p, lr=0.1, initial_accumulator_value=0.5, eps=1e-12))
    all_close(ours, theirs)


def test_matches_numpy_reference(quadratic, all_close):
    def rule(w, g, s, t):
        s["acc"] = s.get("acc", 0.1) + g * g
        return w - 0.1 * g / np.sqrt(s["acc"] + 0.01)
    ours = quadratic.run_lamina(optimizers.Adagrad(0.1, epsilon=0.01))
    all_close(ours, quadratic.run_numpy(rule))


def test_accumulator_starts_at_initial_value(quadratic):
    opt = optimizers.Adagrad(initial_accumulator_value=0.25)
    opt.build(quadratic.variables())
    np.testing.assert_array_equal(opt.variables[2].numpy(), 0.25)
