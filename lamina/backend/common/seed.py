"""`SeedGenerator`: where random layers get their randomness.

A layer that draws random numbers (Dropout, GaussianNoise, ...) owns a
`SeedGenerator` and passes it as `seed=` to `lamina.random` functions. Each
backend keeps its own state on it: torch a `torch.Generator`, JAX a key in a
variable. A generator made without a seed takes one from
`make_default_seed`, which `lamina.utils.set_random_seed` seeds, so seeded
runs repeat.
"""

import random as _py_random

_state = {"numpy": False}


def use_numpy_seeds(enabled):
    """Makes `make_default_seed` draw from NumPy's global generator.

    Keras 1 and 2 drew the seed of every unseeded draw (weight
    initializers, dropout, the shuffling in `fit`) from `np.random`, so a
    script that called `np.random.seed(...)` first ran the same way twice.
    The keras alias (`lamina run`) turns this on for such scripts; plain
    lamina draws from Python's `random`, as Keras 3 does.
    """
    _state["numpy"] = bool(enabled)


def numpy_seeds():
    """Whether `make_default_seed` draws from NumPy's global generator."""
    return _state["numpy"]


def make_default_seed():
    """A fresh seed in `[0, 2**31 - 1)` for a draw made without one."""
    if _state["numpy"]:
        import numpy as np
        return int(np.random.randint(0, 2**31 - 1))
    return _py_random.randint(0, 2**31 - 2)


class SeedGenerator:
    """A stream of random seeds, started from `seed`.

    Args:
        seed: an int, or None to draw one from the global seed.
    """

    def __init__(self, seed=None, name=None):
        if seed is None:
            seed = make_default_seed()
        if isinstance(seed, bool) or not isinstance(seed, int):
            raise ValueError(f"SeedGenerator: `seed` must be an int or None, "
                             f"got {seed!r}")
        self.initial_seed = seed
        self.name = name
        self.backend_state = None  # set lazily by the backend

    def get_config(self):
        return {"seed": self.initial_seed}

    def __repr__(self):
        return f"<SeedGenerator seed={self.initial_seed}>"
