"""SGD against torch.optim.SGD (the update rules coincide exactly)."""

import numpy as np
import pytest
import torch

from lamina import optimizers


@pytest.mark.parametrize("momentum,nesterov", [
    (0.0, False), (0.9, False), (0.9, True), (0.5, True)])
def test_matches_torch(quadratic, all_close, momentum, nesterov):
    ours = quadratic.run_lamina(optimizers.SGD(
        learning_rate=0.05, momentum=momentum, nesterov=nesterov))
    theirs = quadratic.run_torch(lambda p: torch.optim.SGD(
        p, lr=0.05, momentum=momentum, nesterov=nesterov))
    all_close(ours, theirs)


def test_no_momentum_slot(quadratic):
    opt = optimizers.SGD()
    opt.build(quadratic.variables())
    assert [v.name for v in opt.variables] == ["iteration", "learning_rate"]
    opt = optimizers.SGD(momentum=0.9)
    variables = quadratic.variables()
    opt.build(variables)
    assert len(opt.variables) == 2 + len(variables)
    assert opt.variables[2].name.endswith("_momentum")


def test_matches_numpy_reference(quadratic, all_close):
    def rule(w, g, state, t):
        m = state.get("m", np.zeros_like(w))
        state["m"] = 0.8 * m - 0.1 * g
        return w + 0.8 * state["m"] - 0.1 * g
    ours = quadratic.run_lamina(optimizers.SGD(0.1, 0.8, nesterov=True))
    all_close(ours, quadratic.run_numpy(rule))


@pytest.mark.parametrize("momentum", [-0.1, 1.5])
def test_bad_momentum(momentum):
    with pytest.raises(ValueError, match="momentum"):
        optimizers.SGD(momentum=momentum)
