"""Adamax against torch.optim.Adamax (epsilon: inside the max in torch,
added to it in Keras; tiny there) and a NumPy Keras reference."""

import numpy as np
import torch

from lamina import optimizers


def test_matches_torch(quadratic, all_close):
    ours = quadratic.run_lamina(optimizers.Adamax(
        learning_rate=0.05, beta_1=0.8, epsilon=1e-12))
    theirs = quadratic.run_torch(lambda p: torch.optim.Adamax(
        p, lr=0.05, betas=(0.8, 0.999), eps=1e-12))
    all_close(ours, theirs)


def test_matches_numpy_reference(quadratic, all_close):
    def rule(w, g, s, t):
        s["m"] = s.get("m", 0.0) + (g - s.get("m", 0.0)) * 0.1
        s["u"] = np.maximum(0.999 * s.get("u", 0.0), np.abs(g))
        return w - 0.05 / (1 - 0.9 ** t) * s["m"] / (s["u"] + 0.1)
    ours = quadratic.run_lamina(optimizers.Adamax(0.05, epsilon=0.1))
    all_close(ours, quadratic.run_numpy(rule))
