"""JAX backend: output shapes of a function for symbolic inputs.

`jax.eval_shape` traces the function abstractly, computing no values.
Variables read as zeros of their shape inside the trace (zeros made while
tracing are staged, never allocated), and writes are dropped.
"""

import jax
import jax.numpy as jnp

from lamina.backend.common import scope as scope_lib
from lamina.backend.common.dtypes import standardize_dtype
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.backend.jax import core


class _ShapeScope(scope_lib.StatelessScope):
    """Variables read as zeros of their shape and dtype; writes vanish."""

    def get(self, variable):
        got = self._values.get(id(variable))
        if got is not None:
            return got
        return jnp.zeros(variable.shape, core.to_jax_dtype(variable.dtype))

    def assign(self, variable, value):
        pass  # shape inference writes nothing


def _map(structure, fn):
    if isinstance(structure, (list, tuple)):
        return type(structure)(_map(v, fn) for v in structure)
    if isinstance(structure, dict):
        return {k: _map(v, fn) for k, v in structure.items()}
    return fn(structure)


def _zip_map(a, b, fn):
    if isinstance(a, (list, tuple)):
        return type(a)(_zip_map(x, y, fn) for x, y in zip(a, b))
    if isinstance(a, dict):
        return {k: _zip_map(a[k], b[k], fn) for k in a}
    return fn(a, b)


def _shapes_for(fn, args, kwargs, size):
    """`fn`'s outputs as `ShapeDtypeStruct`s (or arrays), with `size` for
    every unknown dimension of the symbolic inputs."""
    symbols = []
    _map((args, kwargs), lambda x: symbols.append(x)
         if isinstance(x, SymbolicTensor) else None)
    structs = [jax.ShapeDtypeStruct(
        tuple(size if d is None else d for d in s.shape),
        core.to_jax_dtype(s.dtype)) for s in symbols]

    def run(*arrays):
        lookup = {id(s): a for s, a in zip(symbols, arrays)}
        a, k = _map((args, kwargs), lambda x: lookup.get(id(x), x)
                    if isinstance(x, SymbolicTensor) else x)
        return fn(*a, **k)

    def traced(*arrays):
        with _ShapeScope():
            return run(*arrays)
    try:
        return jax.eval_shape(traced, *structs)
    except (TypeError, IndexError):
        # Code that needs concrete values (Python control flow on a
        # tensor, data-dependent shapes) can't be traced: JAX raises a
        # ConcretizationTypeError or NonConcreteBooleanIndexError. Run it
        # on real zeros instead, writing nothing; a genuine error in `fn`
        # is raised again from here.
        with scope_lib.StatelessScope():
            return run(*[jnp.zeros(s.shape, s.dtype) for s in structs])


def compute_output_spec(fn, args, kwargs):
    """Shapes and dtypes of `fn(*args, **kwargs)` for symbolic arguments.

    Traces `fn` with `jax.eval_shape` twice, with two different sizes for
    unknown (None) dimensions; output dimensions that differ between the
    runs come out as None.
    """
    first = _shapes_for(fn, args, kwargs, 3)
    second = _shapes_for(fn, args, kwargs, 5)

    def spec(a, b):
        if not isinstance(a, (jax.ShapeDtypeStruct, jax.Array)):
            return a
        shape = tuple(da if da == db else None
                      for da, db in zip(a.shape, b.shape))
        return SymbolicTensor(shape, standardize_dtype(a.dtype))
    return _zip_map(first, second, spec)
