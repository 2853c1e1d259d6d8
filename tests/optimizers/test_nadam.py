"""Nadam against torch.optim.NAdam: Keras's momentum schedule is torch's
with `momentum_decay=1` (Keras 1's `schedule_decay` is torch's
`momentum_decay`); epsilon sits in the same place in both."""

import pytest
import torch

from lamina import optimizers


def test_matches_torch(quadratic, all_close):
    ours = quadratic.run_lamina(optimizers.Nadam(
        learning_rate=0.05, beta_1=0.8, beta_2=0.95, epsilon=1e-3))
    theirs = quadratic.run_torch(lambda p: torch.optim.NAdam(
        p, lr=0.05, betas=(0.8, 0.95), eps=1e-3, momentum_decay=1.0))
    all_close(ours, theirs)


def test_keras1_schedule_decay(quadratic, all_close):
    ours = quadratic.run_lamina(optimizers.Nadam(
        learning_rate=0.05, schedule_decay=0.004))
    theirs = quadratic.run_torch(lambda p: torch.optim.NAdam(
        p, lr=0.05, eps=1e-7, momentum_decay=0.004))
    all_close(ours, theirs)
    config = optimizers.Nadam(schedule_decay=0.004).get_config()
    assert config["schedule_decay"] == 0.004
    assert "schedule_decay" not in optimizers.Nadam().get_config()


def test_u_product_is_state(quadratic):
    opt = optimizers.Nadam()
    variables = quadratic.variables()
    quadratic.run_lamina(opt, steps=2, variables=variables)
    assert opt.variables[-1].name == "u_product"
    u1 = 0.9 * (1 - 0.5 * 0.96)
    u2 = 0.9 * (1 - 0.5 * 0.96 ** 2)
    assert opt.variables[-1].numpy() == pytest.approx(u1 * u2, rel=1e-6)
