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

__all__ = ["compiles_scan", "scan"]


def compiles_scan(*trees):
    """Whether `scan` over these values runs as one compiled loop body
    (some leaf is traced: inside `jax.jit`, a gradient or shape
    inference) rather than as a Python loop of eager ops.

    An optional hint outside the interface (backends without it loop in
    Python): the recurrent layers read it to decide where the input
    projection goes. In a compiled loop a per-step matmul costs no
    dispatch, and projecting `x_t` inside the body keeps each step's
    working set small; projecting the whole sequence before the loop
    instead materializes a (time, batch, gates * units) array, and its
    gradient, in memory.
    """
    return any(isinstance(leaf, jax.core.Tracer)
               for leaf in jax.tree_util.tree_leaves(trees))


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    """Loops `carry, y = f(carry, x)` over the leading axis of `xs`;
    returns `(final carry, ys stacked on a new first axis)`.

    `f` must return a carry of the same structure, shapes and dtypes as
    `init` (a `lax.scan` rule). `unroll` is the number of steps per loop
    iteration (True unrolls fully).
    """
    if xs is None and length is None:
        raise ValueError("scan: pass `xs` or `length`; both were None.")
    if jax.tree_util.tree_leaves((init, xs)) and \
            not compiles_scan(init, xs):
        return loop_scan(f, init, xs, length, reverse, jnp.stack)
    return jax.lax.scan(f, init, xs, length=length, reverse=reverse,
                        unroll=unroll)
