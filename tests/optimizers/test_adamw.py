"""AdamW against torch.optim.AdamW: both decay by `lr * weight_decay`
before the Adam step (tiny epsilon: see test_adam.py)."""

import pytest
import torch

from lamina import optimizers


@pytest.mark.parametrize("amsgrad", [False, True])
def test_matches_torch(quadratic, all_close, amsgrad):
    ours = quadratic.run_lamina(optimizers.AdamW(
        learning_rate=0.05, weight_decay=0.1, epsilon=1e-12,
        amsgrad=amsgrad))
    theirs = quadratic.run_torch(lambda p: torch.optim.AdamW(
        p, lr=0.05, weight_decay=0.1, eps=1e-12, amsgrad=amsgrad))
    all_close(ours, theirs)


def test_default_weight_decay_and_none():
    assert optimizers.AdamW().weight_decay == 0.004
    with pytest.raises(ValueError, match="weight_decay"):
        optimizers.AdamW(weight_decay=None)
