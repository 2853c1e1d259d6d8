"""NumPy backend: steps for inference, and shape inference.

NumPy has no autodiff, so this backend predicts and evaluates but does not
train: `value_and_grad` and a 'train' step raise an error naming the
backends that can.
"""

import contextlib

from lamina.backend.common import scope as scope_lib
from lamina.backend.common.errors import BackendCannotTrainError
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.backend.numpy import core

_CANT_TRAIN = ("The 'numpy' backend runs inference only (predict and "
               "evaluate); it computes no gradients, so it can't train. "
               "Choose a backend that can: LAMINA_BACKEND=torch or "
               "LAMINA_BACKEND=jax.")


def value_and_grad(fn, variables):
    """Not available on NumPy: raises `RuntimeError`."""
    raise BackendCannotTrainError(_CANT_TRAIN)


def no_grad():
    """A context that does nothing: NumPy records no gradients anyway."""
    return contextlib.nullcontext()


_KINDS = ("train", "test", "predict")


def make_step(fn, jit_compile=False, kind="train"):
    """`fn` itself for 'test' and 'predict' steps (run eagerly; there is
    nothing to compile); a 'train' step raises `RuntimeError`."""
    if kind not in _KINDS:
        raise ValueError(f"make_step: `kind` must be one of {_KINDS}, "
                         f"got {kind!r}")
    if kind == "train":
        raise BackendCannotTrainError(_CANT_TRAIN)
    return fn


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


def _run_on_zeros(fn, args, kwargs, size):
    def make(x):
        if isinstance(x, SymbolicTensor):
            shape = tuple(size if d is None else d for d in x.shape)
            return core.zeros(shape, dtype=x.dtype)
        return x
    # A stateless scope: whatever `fn` assigns is dropped afterwards.
    with scope_lib.StatelessScope():
        return fn(*_map(args, make), **_map(kwargs, make))


def compute_output_spec(fn, args, kwargs):
    """Shapes and dtypes of `fn(*args, **kwargs)` for symbolic arguments.

    Runs `fn` on zeros twice, with two different sizes for the unknown
    (None) dimensions; output dimensions that differ between the runs come
    out as None.
    """
    first = _run_on_zeros(fn, args, kwargs, 3)
    second = _run_on_zeros(fn, args, kwargs, 5)

    def spec(a, b):
        if not core.is_tensor(a):
            return a
        shape = tuple(da if da == db else None
                      for da, db in zip(a.shape, b.shape))
        return SymbolicTensor(shape, core.dtype(a))
    return _zip_map(first, second, spec)
