"""Random initializers: normal, uniform, truncated normal, variance scaling
(Glorot, He, LeCun) and orthogonal.

Seeding: `seed=None` draws from the engine's global generator, so each
call gives fresh values (repeatable after `lamina.utils.set_random_seed`;
under the keras alias, after `np.random.seed`, as in Keras 1 and 2);
an int seed gives the same values on every call (as in Keras); a
`lamina.random.SeedGenerator` gives a repeatable stream of new values.
"""

import math

import numpy as np

from lamina import backend, ops, random
from lamina.backend.common import seed as seed_lib
from lamina.initializers.initializer import Initializer, compute_fans

_MODES = ("fan_in", "fan_out", "fan_avg")
_DISTRIBUTIONS = ("truncated_normal", "untruncated_normal", "uniform")
# The standard deviation of a unit normal truncated to [-2, 2]; dividing by
# it makes the truncated draw have the requested standard deviation.
_TRUNCATED_STDDEV = 0.87962566103423978


def _check_seed(seed, owner):
    if isinstance(seed, dict) and seed.get("class_name") == "SeedGenerator":
        return random.SeedGenerator(seed.get("config", {}).get("seed"))
    if seed is None or isinstance(seed, random.SeedGenerator) or (
            isinstance(seed, int) and not isinstance(seed, bool)):
        return seed
    raise ValueError(f"{owner}: `seed` must be None, an int or a "
                     f"lamina.random.SeedGenerator; got {seed!r}.")


class RandomInitializer(Initializer):
    """Base of the initializers that take a `seed`."""

    def __init__(self, seed=None):
        self.seed = _check_seed(seed, type(self).__name__)

    def _draw_seed(self):
        """The seed of one call: `self.seed`, or, for an unseeded
        initializer while Keras 1/2's NumPy seeding is on (`lamina run`), a
        seed drawn from `np.random` as those versions drew it."""
        if self.seed is None and seed_lib.numpy_seeds():
            return seed_lib.make_default_seed()
        return self.seed

    def get_config(self):
        seed = self.seed
        if isinstance(seed, random.SeedGenerator):
            seed = {"module": "keras.random", "class_name": "SeedGenerator",
                    "config": {"seed": seed.initial_seed},
                    "registered_name": None}
        return {"seed": seed}


class RandomNormal(RandomInitializer):
    """Samples from `N(mean, stddev ** 2)`.

    Args:
        mean: mean of the values.
        stddev: standard deviation of the values.
        seed: None, an int or a `lamina.random.SeedGenerator`.

    Example:

    >>> values = RandomNormal(stddev=1.0, seed=1)((2, 2))
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        return random.normal(tuple(shape), mean=self.mean,
                             stddev=self.stddev, dtype=dtype, seed=self._draw_seed())

    def get_config(self):
        return {**super().get_config(), "mean": self.mean,
                "stddev": self.stddev}


class TruncatedNormal(RandomInitializer):
    """Samples from `N(mean, stddev ** 2)`, redrawing values more than two
    standard deviations from the mean.

    Args:
        mean: mean of the normal before truncation.
        stddev: standard deviation of the normal before truncation.
        seed: None, an int or a `lamina.random.SeedGenerator`.
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        return random.truncated_normal(
            tuple(shape), mean=self.mean, stddev=self.stddev, dtype=dtype,
            seed=self._draw_seed())

    def get_config(self):
        return {**super().get_config(), "mean": self.mean,
                "stddev": self.stddev}


class RandomUniform(RandomInitializer):
    """Samples from the uniform distribution on `[minval, maxval)`.

    Args:
        minval: lower bound (inclusive).
        maxval: upper bound (exclusive).
        seed: None, an int or a `lamina.random.SeedGenerator`.
    """

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        self.minval = minval
        self.maxval = maxval
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        return random.uniform(tuple(shape), minval=self.minval,
                              maxval=self.maxval, dtype=dtype, seed=self._draw_seed())

    def get_config(self):
        return {**super().get_config(), "minval": self.minval,
                "maxval": self.maxval}


class VarianceScaling(RandomInitializer):
    """Scales the spread of the values to the weight's fan.

    With `n` the fan chosen by `mode` (`fan_in`, `fan_out` or their mean
    `fan_avg`, see `compute_fans`): 'truncated_normal' draws a normal
    truncated at two standard deviations whose standard deviation *after*
    truncation is `sqrt(scale / n)`; 'untruncated_normal' draws
    `N(0, scale / n)`; 'uniform' draws from `[-limit, limit]` with
    `limit = sqrt(3 * scale / n)`. 'normal' means 'truncated_normal'.

    Args:
        scale: a positive factor.
        mode: 'fan_in', 'fan_out' or 'fan_avg'.
        distribution: 'truncated_normal', 'untruncated_normal' or 'uniform'.
        seed: None, an int or a `lamina.random.SeedGenerator`.
    """

    def __init__(self, scale=1.0, mode="fan_in",
                 distribution="truncated_normal", seed=None):
        name = type(self).__name__
        if isinstance(scale, bool) or not isinstance(
                scale, (int, float)) or not scale > 0:
            raise ValueError(f"{name}: `scale` must be a positive number, "
                             f"got {scale!r}.")
        if mode not in _MODES:
            raise ValueError(f"{name}: `mode` must be one of {_MODES}, got "
                             f"{mode!r}.")
        distribution = str(distribution).lower()
        if distribution == "normal":
            distribution = "truncated_normal"
        if distribution not in _DISTRIBUTIONS:
            raise ValueError(f"{name}: `distribution` must be one of "
                             f"{_DISTRIBUTIONS}, got {distribution!r}.")
        self.scale = scale
        self.mode = mode
        self.distribution = distribution
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        shape = tuple(shape)
        fan_in, fan_out = compute_fans(shape)
        fan = {"fan_in": fan_in, "fan_out": fan_out,
               "fan_avg": (fan_in + fan_out) / 2.0}[self.mode]
        variance = self.scale / max(1.0, fan)
        if self.distribution == "uniform":
            limit = math.sqrt(3.0 * variance)
            return random.uniform(shape, minval=-limit, maxval=limit,
                                  dtype=dtype, seed=self._draw_seed())
        if self.distribution == "untruncated_normal":
            return random.normal(shape, mean=0.0, stddev=math.sqrt(variance),
                                 dtype=dtype, seed=self._draw_seed())
        stddev = math.sqrt(variance) / _TRUNCATED_STDDEV
        return random.truncated_normal(shape, mean=0.0, stddev=stddev,
                                       dtype=dtype, seed=self._draw_seed())

    def get_config(self):
        return {**super().get_config(), "scale": self.scale,
                "mode": self.mode, "distribution": self.distribution}


class _FixedVarianceScaling(VarianceScaling):
    """A `VarianceScaling` preset whose only argument is `seed`."""

    # (scale, mode, distribution), set by each preset.
    _preset = (1.0, "fan_in", "truncated_normal")

    def __init__(self, seed=None):
        super().__init__(*self._preset, seed=seed)

    def get_config(self):
        return RandomInitializer.get_config(self)


class GlorotUniform(_FixedVarianceScaling):
    """Glorot (Xavier) uniform: `U(-limit, limit)`,
    `limit = sqrt(6 / (fan_in + fan_out))` (Glorot and Bengio, 2010).

    Args:
        seed: None, an int or a `lamina.random.SeedGenerator`.
    """

    _preset = (1.0, "fan_avg", "uniform")


class GlorotNormal(_FixedVarianceScaling):
    """Glorot (Xavier) normal: truncated normal with
    `stddev = sqrt(2 / (fan_in + fan_out))` (Glorot and Bengio, 2010).

    Args:
        seed: None, an int or a `lamina.random.SeedGenerator`.
    """

    _preset = (1.0, "fan_avg", "truncated_normal")


class HeNormal(_FixedVarianceScaling):
    """He normal: truncated normal with `stddev = sqrt(2 / fan_in)`
    (He et al., 2015, https://arxiv.org/abs/1502.01852).

    Args:
        seed: None, an int or a `lamina.random.SeedGenerator`.
    """

    _preset = (2.0, "fan_in", "truncated_normal")


class HeUniform(_FixedVarianceScaling):
    """He uniform: `U(-limit, limit)`, `limit = sqrt(6 / fan_in)`
    (He et al., 2015).

    Args:
        seed: None, an int or a `lamina.random.SeedGenerator`.
    """

    _preset = (2.0, "fan_in", "uniform")


class LecunNormal(_FixedVarianceScaling):
    """LeCun normal: truncated normal with `stddev = sqrt(1 / fan_in)`
    (the initialization SELU networks assume; Klambauer et al., 2017).

    Args:
        seed: None, an int or a `lamina.random.SeedGenerator`.
    """

    _preset = (1.0, "fan_in", "truncated_normal")


class LecunUniform(_FixedVarianceScaling):
    """LeCun uniform: `U(-limit, limit)`, `limit = sqrt(3 / fan_in)`.

    Args:
        seed: None, an int or a `lamina.random.SeedGenerator`.
    """

    _preset = (1.0, "fan_in", "uniform")


class OrthogonalInitializer(RandomInitializer):
    """A random orthogonal matrix times `gain` (Saxe et al., 2014,
    https://arxiv.org/abs/1312.6120).

    The weight is viewed as a matrix `(prod(shape[:-1]), shape[-1])`; its
    rows (if fewer) or columns are orthonormal.

    Args:
        gain: factor applied to the orthogonal matrix.
        seed: None, an int or a `lamina.random.SeedGenerator`.

    Example:

    >>> import numpy as np
    >>> from lamina import ops
    >>> q = ops.convert_to_numpy(OrthogonalInitializer(seed=0)((4, 4)))
    >>> bool(np.allclose(q.T @ q, np.eye(4), atol=1e-5))
    True
    """

    def __init__(self, gain=1.0, seed=None):
        self.gain = gain
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        shape = tuple(shape)
        if len(shape) < 2:
            raise ValueError(
                f"{type(self).__name__}: expected a weight shape of rank 2 "
                f"or more, got {shape}.")
        rows = int(np.prod(shape[:-1]))
        cols = shape[-1]
        flat = (max(rows, cols), min(rows, cols))
        draw = random.normal(flat, dtype="float32", seed=self._draw_seed())
        # There is no QR primitive in the backend interface; initializers
        # run once when a weight is built, so a host QR costs nothing per
        # step and gives the same result on every backend.
        a = ops.convert_to_numpy(draw).astype(np.float64)
        q, r = np.linalg.qr(a)
        # Fixing the signs of R's diagonal makes Q uniformly distributed
        # (Mezzadri, 2007, https://arxiv.org/abs/math-ph/0609050).
        q = q * np.where(np.diag(r) < 0, -1.0, 1.0)
        if rows < cols:
            q = q.T
        q = self.gain * q.reshape(shape)
        return ops.convert_to_tensor(q, dtype=dtype or backend.floatx())

    def get_config(self):
        return {**super().get_config(), "gain": self.gain}


Orthogonal = OrthogonalInitializer
