"""Torch backend: random draws with explicit seeds.

`seed` is None (the global torch RNG), an int (the same numbers on every
call, as in Keras), or a `SeedGenerator` (its own `torch.Generator`, which
advances on the device, so drawing never forces a host sync).
"""

import torch
import torch.nn.functional as F

from lamina.backend.common.seed import SeedGenerator
from lamina.backend.torch import core
from lamina.backend.torch.core import _t, to_torch_dtype


def _generator(seed):
    if seed is None:
        return None
    if isinstance(seed, SeedGenerator):
        gen = seed.backend_state
        if not isinstance(gen, torch.Generator) or gen.device != core.DEVICE:
            gen = torch.Generator(device=core.DEVICE)
            gen.manual_seed(seed.initial_seed)
            seed.backend_state = gen
        return gen
    gen = torch.Generator(device=core.DEVICE)
    gen.manual_seed(int(seed))
    return gen


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    out = torch.empty(tuple(shape), dtype=to_torch_dtype(dtype),
                      device=core.DEVICE)
    return out.normal_(mean, stddev, generator=_generator(seed))


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    out = torch.empty(tuple(shape), dtype=to_torch_dtype(dtype),
                      device=core.DEVICE)
    return out.uniform_(minval, maxval, generator=_generator(seed))


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    # Values beyond two standard deviations are redrawn (Keras semantics);
    # torch's trunc_normal_ samples the truncated distribution directly.
    out = torch.empty(tuple(shape), dtype=to_torch_dtype(dtype),
                      device=core.DEVICE)
    torch.nn.init.trunc_normal_(out, mean, stddev, mean - 2 * stddev,
                                mean + 2 * stddev,
                                generator=_generator(seed))
    return out


def randint(shape, minval, maxval, dtype="int32", seed=None):
    return torch.randint(minval, maxval, tuple(shape),
                         dtype=to_torch_dtype(dtype), device=core.DEVICE,
                         generator=_generator(seed))


def dropout(inputs, rate, noise_shape=None, seed=None):
    x = _t(inputs)
    if noise_shape is None and (seed is None or isinstance(seed,
                                                           SeedGenerator)):
        gen = _generator(seed)
        if gen is None:
            return F.dropout(x, rate, training=True)
        keep = torch.empty_like(x).bernoulli_(1 - rate, generator=gen)
        return x * keep / (1 - rate)
    shape = x.shape if noise_shape is None else tuple(
        x.shape[i] if d is None else d for i, d in enumerate(noise_shape))
    keep = torch.empty(shape, dtype=x.dtype, device=x.device)
    keep.bernoulli_(1 - rate, generator=_generator(seed))
    return x * keep / (1 - rate)


def shuffle(x, axis=0, seed=None):
    x = _t(x)
    perm = torch.randperm(x.shape[axis], device=x.device,
                          generator=_generator(seed))
    return torch.index_select(x, axis, perm)


def categorical(logits, num_samples, dtype="int32", seed=None):
    probs = torch.softmax(_t(logits), dim=-1)
    out = torch.multinomial(probs, num_samples, replacement=True,
                            generator=_generator(seed))
    return out.to(to_torch_dtype(dtype))


def set_global_seed(seed):
    torch.manual_seed(seed)
