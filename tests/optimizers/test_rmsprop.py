"""RMSprop against torch.optim.RMSprop and a NumPy Keras reference.

Keras puts `epsilon` inside the square root, torch outside: the torch
comparison uses a tiny epsilon (1e-12) so the placement doesn't matter;
the NumPy reference checks the Keras rule with the default epsilon.
"""

import numpy as np
import pytest
import torch

from lamina import optimizers

SETTINGS = [{}, {"momentum": 0.9}, {"centered": True},
            {"momentum": 0.5, "centered": True}]


@pytest.mark.parametrize("kwargs", SETTINGS)
def test_matches_torch(quadratic, all_close, kwargs):
    ours = quadratic.run_lamina(optimizers.RMSprop(
        learning_rate=0.01, rho=0.8, epsilon=1e-12, **kwargs))
    theirs = quadratic.run_torch(lambda p: torch.optim.RMSprop(
        p, lr=0.01, alpha=0.8, eps=1e-12, **kwargs))
    all_close(ours, theirs)


def keras_rmsprop(lr=0.01, rho=0.9, momentum=0.0, eps=1e-7,
                  centered=False):
    def rule(w, g, s, t):
        s["v"] = rho * s.get("v", 0.0) + (1 - rho) * g * g
        d = s["v"] + eps
        if centered:
            s["a"] = rho * s.get("a", 0.0) + (1 - rho) * g
            d = d - s["a"] ** 2
        step = lr * g / np.sqrt(d)
        if momentum:
            s["m"] = momentum * s.get("m", 0.0) + step
            return w - s["m"]
        return w - step
    return rule


@pytest.mark.parametrize("kwargs", SETTINGS)
def test_matches_numpy_reference(quadratic, all_close, kwargs):
    ours = quadratic.run_lamina(optimizers.RMSprop(
        learning_rate=0.01, epsilon=1e-3, **kwargs))
    all_close(ours, quadratic.run_numpy(keras_rmsprop(eps=1e-3, **kwargs)))


def test_slots():
    from lamina.ops._bind import B
    w = B.Variable(np.zeros(3, "float32"))
    opt = optimizers.RMSprop(momentum=0.9, centered=True)
    opt.build([w])
    names = [v.name.rsplit("_", 1)[-1] for v in opt.variables[2:]]
    assert names == ["velocity", "momentum", "gradient"]
