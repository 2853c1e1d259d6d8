"""NumPy backend: the rnn primitives of `lamina.backend.interface`.

`scan` is the reference definition: a Python loop over the leading axis
of `xs` that stacks the per-step outputs. The carry and the inputs and
outputs may be pytrees (lists, tuples and dicts of arrays, or None).
"""

import numpy as np

__all__ = ["scan"]


def flatten(tree):
    """The leaves of `tree` (lists, tuples, dicts; None is a leaf) and a
    function rebuilding the same structure from a list of leaves."""
    if isinstance(tree, (list, tuple)):
        parts = [flatten(v) for v in tree]
        sizes = [len(leaves) for leaves, _ in parts]
        kind = type(tree)

        def rebuild(leaves):
            out, i = [], 0
            for (_, build), n in zip(parts, sizes):
                out.append(build(leaves[i:i + n]))
                i += n
            return kind(out) if kind in (list, tuple) else kind(*out)
        return [leaf for leaves, _ in parts for leaf in leaves], rebuild
    if isinstance(tree, dict):
        keys = list(tree)
        leaves, build = flatten([tree[k] for k in keys])
        return leaves, lambda values: dict(zip(keys, build(values)))
    return [tree], lambda values: values[0]


def scan_steps(xs, length):
    """The number of steps and, per step, a function of the step index
    giving that step's slice of `xs` (None when `xs` is None)."""
    if xs is None:
        if length is None:
            raise ValueError("scan: pass `xs` or `length`; both were None.")
        return int(length), None
    leaves, rebuild = flatten(xs)
    sizes = {leaf.shape[0] for leaf in leaves if leaf is not None}
    if len(sizes) != 1:
        raise ValueError(f"scan: every array in `xs` needs the same leading "
                         f"axis; got sizes {sorted(sizes)}.")
    n = sizes.pop()
    if length is not None and int(length) != n:
        raise ValueError(f"scan: `length`={length} differs from the leading "
                         f"axis of `xs` ({n}).")
    return n, (leaves, rebuild)


def loop_scan(f, init, xs, length, reverse, stack, unstack=None):
    """`scan` as a Python loop; `stack(list) -> array` joins the outputs
    and `unstack(array) -> sequence` slices an input (default indexing).
    Shared by the backends that run eagerly."""
    n, sliced = scan_steps(xs, length)
    if sliced is not None:
        leaves, rebuild = sliced
        columns = [None if leaf is None else
                   (unstack(leaf) if unstack else leaf) for leaf in leaves]
    steps = range(n - 1, -1, -1) if reverse else range(n)
    carry, ys = init, []
    for i in steps:
        x = None if sliced is None else rebuild(
            [None if col is None else col[i] for col in columns])
        carry, y = f(carry, x)
        ys.append(y)
    if reverse:
        ys.reverse()
    if not ys:
        return carry, None
    leaves, rebuild = flatten(ys[0])
    per_step = [flatten(y)[0] for y in ys]
    stacked = [None if leaf is None else stack([s[j] for s in per_step])
               for j, leaf in enumerate(leaves)]
    return carry, rebuild(stacked)


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    """Loops `carry, y = f(carry, x)` over the leading axis of `xs`.

    Args:
        f: `(carry, x) -> (carry, y)`; `x` is one slice of `xs` (None when
            `xs` is None).
        init: the initial carry.
        xs: arrays (or a pytree of them) scanned along their first axis.
        length: the number of steps when `xs` is None.
        reverse: run from the last slice to the first; `ys` keeps the
            slices' order (ys[i] is the output for xs[i]).
        unroll: accepted for JAX compatibility; a Python loop is unrolled.

    Returns:
        `(final carry, ys)` with the `y`s stacked on a new first axis
        (None where `f` returned None).
    """
    return loop_scan(f, init, xs, length, reverse, np.stack)
