"""JAX backend: the rnn primitives of `lamina.backend.interface`.

`scan` is `jax.lax.scan` when it is traced (inside `jax.jit`, a gradient
or shape inference): one compiled loop body, whatever the length. Called
eagerly on concrete arrays it is a Python loop of eager ops instead, as on
the other backends: `lax.scan` would compile its body anew on every call
(the body is a fresh closure each time), which costs far more than the
loop it runs.
"""

import jax
import jax.numpy as jnp

from lamina.backend.numpy.rnn import loop_scan

__all__ = ["scan"]


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    """Loops `carry, y = f(carry, x)` over the leading axis of `xs`;
    returns `(final carry, ys stacked on a new first axis)`.

    `f` must return a carry of the same structure, shapes and dtypes as
    `init` (a `lax.scan` rule). `unroll` is the number of steps per loop
    iteration (True unrolls fully).
    """
    if xs is None and length is None:
        raise ValueError("scan: pass `xs` or `length`; both were None.")
    leaves = jax.tree_util.tree_leaves((init, xs))
    if leaves and not any(isinstance(leaf, jax.core.Tracer)
                          for leaf in leaves):
        return loop_scan(f, init, xs, length, reverse, jnp.stack)
    return jax.lax.scan(f, init, xs, length=length, reverse=reverse,
                        unroll=unroll)
