"""Ftrl against a NumPy reference of the Keras 3 rule (torch has none)."""

import numpy as np
import pytest

from lamina import optimizers


def keras_ftrl(lr, power, init, l1, l2, l2s, beta):
    def rule(w, g, s, t):
        n, z = s.get("n", np.full_like(w, init)), s.get("z", 0.0)
        l2_total = l2 + beta / (2.0 * lr)
        g_shrunk = g + 2 * l2s * w
        new_n = n + g * g
        z = z + g_shrunk - (new_n ** -power - n ** -power) / lr * w
        quadratic = new_n ** -power / lr + 2 * l2_total
        s["n"], s["z"] = new_n, z
        return (np.clip(z, -l1, l1) - z) / quadratic
    return rule


@pytest.mark.parametrize("kwargs", [
    {},
    {"l1_regularization_strength": 0.05, "l2_regularization_strength": 0.1},
    {"learning_rate_power": -0.3, "beta": 0.5,
     "l2_shrinkage_regularization_strength": 0.2},
])
def test_matches_numpy_reference(quadratic, all_close, kwargs):
    full = {"learning_rate": 0.2, "learning_rate_power": -0.5,
            "initial_accumulator_value": 0.1,
            "l1_regularization_strength": 0.0,
            "l2_regularization_strength": 0.0,
            "l2_shrinkage_regularization_strength": 0.0, "beta": 0.0}
    full.update(kwargs)
    ours = quadratic.run_lamina(optimizers.Ftrl(**full))
    expected = quadratic.run_numpy(keras_ftrl(*full.values()))
    all_close(ours, expected)


def test_l1_gives_exact_zeros(quadratic):
    ours = quadratic.run_lamina(optimizers.Ftrl(
        learning_rate=0.2, l1_regularization_strength=100.0))
    assert all((w == 0).all() for w in ours)


@pytest.mark.parametrize("kwargs", [
    {"learning_rate_power": 0.5}, {"initial_accumulator_value": -1.0},
    {"l1_regularization_strength": -1.0}, {"beta": -0.1}])
def test_bad_arguments(kwargs):
    with pytest.raises(ValueError, match=next(iter(kwargs))):
        optimizers.Ftrl(**kwargs)
