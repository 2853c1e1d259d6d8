"""NumPy backend: random draws with explicit seeds.

`seed` is None (NumPy's global generator, `np.random`, which
`set_global_seed` seeds), an int (a fresh `np.random.default_rng(seed)`,
so the same numbers on every call) or a `SeedGenerator` (its own
`np.random.Generator`, kept in `seed.backend_state`, which advances with
each draw).
"""

import numpy as np

from lamina.backend.common.seed import SeedGenerator
from lamina.backend.numpy.core import _t, to_numpy_dtype


def _rng(seed):
    if seed is None:
        return np.random  # the legacy global RandomState
    if isinstance(seed, SeedGenerator):
        if not isinstance(seed.backend_state, np.random.Generator):
            seed.backend_state = np.random.default_rng(seed.initial_seed)
        return seed.backend_state
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed: expected None, an int or a SeedGenerator, "
                         f"got {seed!r}")
    return np.random.default_rng(int(seed))


def _uniform01(rng, shape):
    return rng.random(shape) if isinstance(rng, np.random.Generator) \
        else rng.random_sample(shape)


def _standard_normal(rng, shape):
    return rng.standard_normal(shape)


def _shape(shape):
    return tuple(int(d) for d in shape)


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    out = _standard_normal(_rng(seed), _shape(shape)) * stddev + mean
    return np.asarray(out).astype(to_numpy_dtype(dtype))


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    out = _uniform01(_rng(seed), _shape(shape)) * (maxval - minval) + minval
    return np.asarray(out).astype(to_numpy_dtype(dtype))


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    # Draws beyond two standard deviations are redrawn until none is left.
    rng = _rng(seed)
    shape = _shape(shape)
    out = _standard_normal(rng, shape)
    bad = np.abs(out) > 2
    while bad.any():
        out[bad] = _standard_normal(rng, int(bad.sum()))
        bad = np.abs(out) > 2
    return np.asarray(out * stddev + mean).astype(to_numpy_dtype(dtype))


def randint(shape, minval, maxval, dtype="int32", seed=None):
    rng = _rng(seed)
    shape = _shape(shape)
    if isinstance(rng, np.random.Generator):
        out = rng.integers(minval, maxval, size=shape)
    else:
        out = rng.randint(minval, maxval, size=shape)
    return np.asarray(out).astype(to_numpy_dtype(dtype))


def dropout(inputs, rate, noise_shape=None, seed=None):
    x = _t(inputs)
    if noise_shape is None:
        noise_shape = x.shape
    else:
        noise_shape = tuple(x.shape[i] if d is None else int(d)
                            for i, d in enumerate(noise_shape))
    keep = _uniform01(_rng(seed), noise_shape) >= rate
    return np.where(keep, x / (1 - rate), 0).astype(x.dtype)


def shuffle(x, axis=0, seed=None):
    x = _t(x)
    perm = _rng(seed).permutation(x.shape[axis])
    return np.take(x, perm, axis=axis)


def categorical(logits, num_samples, dtype="int32", seed=None):
    logits = np.asarray(_t(logits), dtype=np.float64)
    probs = np.exp(logits - logits.max(axis=-1, keepdims=True))
    cdf = np.cumsum(probs, axis=-1)
    cdf /= cdf[..., -1:]
    u = _uniform01(_rng(seed), (logits.shape[0], int(num_samples)))
    # The class of each draw: how many CDF steps lie below it.
    out = (cdf[:, None, :] <= u[..., None]).sum(axis=-1)
    out = np.minimum(out, logits.shape[-1] - 1)
    return out.astype(to_numpy_dtype(dtype))


def set_global_seed(seed):
    np.random.seed(seed)
