"""Conformance table: every optimizer minimizes a parabola and the
Rosenbrock function (after optax's alias_test).

Both start at (0, 0). Parabola: `sum((w - 1)^2)`, 300 steps. Rosenbrock:
`(1 - x)^2 + 100 (y - x^2)^2`, minimum (1, 1); its curved valley is slow
for methods without momentum, so those rows get more steps and a looser
tolerance (Adadelta is notoriously slow there, and starts too slowly for
the parabola with its Rosenbrock setting, so that row differs).
"""

import numpy as np
import pytest

from lamina import ops, optimizers
from lamina.ops._bind import B
from lamina.optimizers import schedules

# name, kwargs, Rosenbrock steps, Rosenbrock tolerance.
TABLE = [
    ("SGD", {"learning_rate": 0.002, "momentum": 0.95}, 600, 1e-2),
    ("RMSprop", {"learning_rate": 0.001, "momentum": 0.9}, 600, 1e-2),
    ("Adam", {"learning_rate": 0.05}, 1000, 1e-2),
    ("AdamW", {"learning_rate": 0.05, "weight_decay": 1e-4}, 1000, 1e-2),
    ("Adagrad", {"learning_rate": 0.3}, 3000, 5e-2),
    ("Adadelta", {"learning_rate": 0.1, "rho": 0.9, "epsilon": 1e-6}, 4000,
     5e-2),
    ("Adamax", {"learning_rate": 0.05}, 1000, 1e-2),
    ("Nadam", {"learning_rate": 0.02}, 1000, 1e-2),
    ("Ftrl", {"learning_rate": 0.3}, 3000, 5e-2),
    # Lion's steps have a fixed size, so it needs a decaying rate to land.
    ("Lion", {"learning_rate": schedules.ExponentialDecay(0.02, 100, 0.7)},
     1000, 2e-2),
]


def parabola_gradient(w):
    return 2.0 * (w - 1.0)


def rosenbrock_gradient(w):
    x, y = w[0], w[1]
    return ops.stack([-2.0 * (1.0 - x) - 400.0 * x * (y - x * x),
                      200.0 * (y - x * x)])


def minimize(name, kwargs, gradient, steps):
    optimizer = getattr(optimizers, name)(**kwargs)
    w = B.Variable(np.zeros(2, "float32"))
    for _ in range(steps):
        optimizer.apply([gradient(w.value)], [w])
    return w.numpy()


@pytest.mark.parametrize("name,kwargs,steps,tolerance", TABLE,
                         ids=[row[0] for row in TABLE])
def test_parabola(name, kwargs, steps, tolerance):
    if name == "Adadelta":  # the Rosenbrock setting starts too slowly
        kwargs = {"learning_rate": 1.0, "rho": 0.9, "epsilon": 1e-4}
    np.testing.assert_allclose(
        minimize(name, kwargs, parabola_gradient, 300), [1.0, 1.0],
        atol=1e-2)


@pytest.mark.parametrize("name,kwargs,steps,tolerance", TABLE,
                         ids=[row[0] for row in TABLE])
def test_rosenbrock(name, kwargs, steps, tolerance):
    np.testing.assert_allclose(
        minimize(name, kwargs, rosenbrock_gradient, steps), [1.0, 1.0],
        atol=tolerance)
