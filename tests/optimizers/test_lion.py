"""Lion against a NumPy reference of the Keras 3 rule (torch has none)."""

import numpy as np
import pytest

from lamina import optimizers


def test_matches_numpy_reference(quadratic, all_close):
    def rule(w, g, s, t):
        m = s.get("m", 0.0)
        w = w - 0.05 * np.sign(0.8 * m + 0.2 * g)
        s["m"] = 0.9 * m + 0.1 * g
        return w
    ours = quadratic.run_lamina(optimizers.Lion(0.05, beta_1=0.8,
                                                beta_2=0.9))
    all_close(ours, quadratic.run_numpy(rule))


@pytest.mark.parametrize("beta_1", [0.0, 1.5])
def test_bad_beta_1(beta_1):
    with pytest.raises(ValueError, match="beta_1"):
        optimizers.Lion(beta_1=beta_1)
