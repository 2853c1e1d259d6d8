"""Shared fixtures: a small quadratic problem run by lamina, torch or NumPy.

The problem: two float32 parameters (a vector and a matrix); at step `k`
the gradient is `a * (w - c) + noise[k]`, computed from the current
weights, so a wrong update changes every later gradient too.
"""

import numpy as np
import pytest
import torch

from lamina import ops
from lamina.ops._bind import B


class Quadratic:
    """Runs `steps` updates on the same problem with different engines."""

    def __init__(self, dtype="float32"):
        rng = np.random.default_rng(0)
        self.dtype = dtype
        self.initial = [np.array([1.0, -2.0, 0.5]),
                        np.array([[0.3, -0.7], [1.5, 2.0]])]
        self.curvature = [np.array([1.0, 2.0, 0.5]),
                          np.array([[1.0, 0.3], [3.0, 1.0]])]
        self.center = [np.array([0.5, 0.5, -1.0]),
                       np.array([[0.0, 1.0], [-1.0, 0.2]])]
        self.noise = [[rng.normal(size=w.shape) * 0.3 for w in self.initial]
                      for _ in range(50)]

    def gradients(self, values, step):
        return [(a * (np.asarray(w, np.float64) - c) + n).astype(self.dtype)
                for w, a, c, n in zip(values, self.curvature, self.center,
                                      self.noise[step])]

    def variables(self):
        return [B.Variable(w.astype(self.dtype)) for w in self.initial]

    def run_lamina(self, optimizer, steps=10, variables=None):
        variables = variables or self.variables()
        for k in range(steps):
            grads = self.gradients([v.numpy() for v in variables], k)
            optimizer.apply([ops.convert_to_tensor(g) for g in grads],
                            variables)
        return [v.numpy() for v in variables]

    def run_torch(self, make_optimizer, steps=10):
        params = [torch.nn.Parameter(torch.tensor(w.astype(self.dtype)))
                  for w in self.initial]
        optimizer = make_optimizer(params)
        for k in range(steps):
            grads = self.gradients([p.detach().numpy() for p in params], k)
            for p, g in zip(params, grads):
                p.grad = torch.tensor(g)
            optimizer.step()
        return [p.detach().numpy() for p in params]

    def run_numpy(self, rule, steps=10):
        """`rule(w, g, state, t) -> w`, with `state` a per-variable dict
        and `t` the 1-based step, in float64."""
        values = [w.astype(np.float64) for w in self.initial]
        states = [{} for _ in values]
        for k in range(steps):
            grads = self.gradients(values, k)
            values = [rule(w, g.astype(np.float64), s, k + 1)
                      for w, g, s in zip(values, grads, states)]
        return values


@pytest.fixture
def quadratic():
    return Quadratic()


def assert_all_close(actual, expected, rtol=1e-5, atol=1e-6):
    for a, e in zip(actual, expected):
        np.testing.assert_allclose(a, e, rtol=rtol, atol=atol)


@pytest.fixture
def all_close():
    return assert_all_close
