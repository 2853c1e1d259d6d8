"""`SeedGenerator`: where random layers get their randomness.

A layer that draws random numbers (Dropout, GaussianNoise, ...) owns a
`SeedGenerator` and passes it as `seed=` to `lamina.random` functions. Each
backend keeps its own state on it: torch a `torch.Generator`, JAX a key in a
variable. A generator made without a seed takes one from Python's `random`,
which `lamina.utils.set_random_seed` seeds, so seeded runs repeat.
"""

import random as _py_random


class SeedGenerator:
    """A stream of random seeds, started from `seed`.

    Args:
        seed: an int, or None to draw one from the global seed.
    """

    def __init__(self, seed=None, name=None):
        if seed is None:
            seed = _py_random.randint(0, 2**31 - 1)
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
