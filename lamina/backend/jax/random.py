"""JAX backend: random draws with explicit seeds.

JAX draws from explicit keys, so `seed` becomes a key:

- an int: `jax.random.PRNGKey(seed)`, fresh on each call (the same numbers
  every call, as in Keras);
- a `SeedGenerator`: its key lives in a lamina `Variable` (uint32, shape
  (2,), in `seed.backend_state`). Each draw splits it and assigns the new
  key back, so inside a jitted, stateless step the new key is recorded in
  the scope and comes out with the rest of the state;
- None: a module-level key, split on the Python side for each draw and
  reset by `set_global_seed`. This path is for eager code only: inside
  `jax.jit` the key is baked in as a constant at trace time, so each
  call of the jitted function repeats the same numbers.
"""


import jax
import jax.numpy as jnp
import numpy as np

from lamina.backend.common.seed import SeedGenerator, make_default_seed
from lamina.backend.jax import core
from lamina.backend.jax.core import _t, to_jax_dtype

_global = {"key": None}


def _new_key(seed):
    with jax.ensure_compile_time_eval():
        return jax.random.key_data(jax.random.PRNGKey(seed))


def seed_variable(seed):
    """The `Variable` holding a `SeedGenerator`'s key, made on first use.

    A training step that jits over all variables must include this one in
    its state (as Keras's layers track their seed generators' state).
    """
    state = seed.backend_state
    if not isinstance(state, core.Variable):
        state = core.Variable(_new_key(seed.initial_seed), dtype="uint32",
                              trainable=False,
                              name=f"{seed.name or 'seed_generator'}_state")
        seed.backend_state = state
    return state


def _key(seed):
    if seed is None:
        key = _global["key"]
        if key is None:  # first use: from the (seedable) default seed
            key = _new_key(make_default_seed())
        with jax.ensure_compile_time_eval():
            key, sub = jax.random.split(key)
        _global["key"] = key
        return sub
    if isinstance(seed, SeedGenerator):
        state = seed_variable(seed)
        new, sub = jax.random.split(state.value)
        state.assign(new)
        return sub
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed: expected None, an int or a SeedGenerator, "
                         f"got {seed!r}")
    return _new_key(int(seed))


def _shape(shape):
    return tuple(int(d) for d in shape)


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    dtype = to_jax_dtype(dtype)
    out = jax.random.normal(_key(seed), _shape(shape), dtype=dtype)
    return (out * stddev + mean).astype(dtype)


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    dtype = to_jax_dtype(dtype)
    return jax.random.uniform(_key(seed), _shape(shape), dtype=dtype,
                              minval=minval, maxval=maxval)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    # Samples the normal distribution cut at two standard deviations, the
    # distribution that Keras's redrawing gives.
    dtype = to_jax_dtype(dtype)
    out = jax.random.truncated_normal(_key(seed), -2.0, 2.0, _shape(shape),
                                      dtype=dtype)
    return (out * stddev + mean).astype(dtype)


def randint(shape, minval, maxval, dtype="int32", seed=None):
    return jax.random.randint(_key(seed), _shape(shape), minval, maxval,
                              dtype=to_jax_dtype(dtype))


def dropout(inputs, rate, noise_shape=None, seed=None):
    x = _t(inputs)
    if noise_shape is None:
        noise_shape = x.shape
    else:
        noise_shape = tuple(x.shape[i] if d is None else int(d)
                            for i, d in enumerate(noise_shape))
    keep = jax.random.bernoulli(_key(seed), 1.0 - rate, noise_shape)
    return jnp.where(keep, x / (1.0 - rate), 0).astype(x.dtype)


def shuffle(x, axis=0, seed=None):
    return jax.random.permutation(_key(seed), _t(x), axis=axis,
                                  independent=False)


def categorical(logits, num_samples, dtype="int32", seed=None):
    logits = _t(logits)
    out = jax.random.categorical(_key(seed), logits[:, None, :], axis=-1,
                                 shape=(logits.shape[0], int(num_samples)))
    return out.astype(to_jax_dtype(dtype))


def set_global_seed(seed):
    _global["key"] = _new_key(int(seed))
