"""Adadelta against torch.optim.Adadelta (the same rule, epsilon too)."""

import torch

from lamina import optimizers


def test_matches_torch(quadratic, all_close):
    ours = quadratic.run_lamina(optimizers.Adadelta(
        learning_rate=1.0, rho=0.9, epsilon=1e-6))
    theirs = quadratic.run_torch(lambda p: torch.optim.Adadelta(
        p, lr=1.0, rho=0.9, eps=1e-6))
    all_close(ours, theirs)


def test_defaults_match_keras():
    config = optimizers.Adadelta().get_config()
    assert (config["learning_rate"], config["rho"], config["epsilon"]) == \
        (0.001, 0.95, 1e-7)
