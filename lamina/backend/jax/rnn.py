"""JAX backend: the rnn primitives of `lamina.backend.interface`.

`scan` is `jax.lax.scan`: one compiled loop body, whatever the length.
"""

import jax

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
    return jax.lax.scan(f, init, xs, length=length, reverse=reverse,
                        unroll=unroll)
