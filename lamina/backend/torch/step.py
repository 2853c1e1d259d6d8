"""Torch backend: gradients, step factories and symbolic shape inference.

The training step itself (forward, loss, gradients, optimizer update,
metrics) is written once in `Model.train_step` against `lamina.ops`; this
module supplies the pieces only an engine can: `value_and_grad`, a no-grad
context, and how a step function is run (eagerly, or under
`torch.compile` when `jit_compile=True`).
"""

import contextlib
import warnings

import torch

from lamina.backend.common import scope as scope_lib
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.backend.torch import core

# torch.compile's compiler backend for `jit_compile=True`.
COMPILER = "inductor"
# Set by lamina.distribute under data parallelism: averages the gradients
# over the processes (an all-reduce) before the optimizer sees them.
_reduce_gradients = None


def value_and_grad(fn, variables):
    """Calls `fn()` -> `(loss, aux)`; returns `((loss, aux), grads)`.

    `grads[i]` is the gradient of `loss` w.r.t. `variables[i]` (zeros when
    the loss does not depend on it).
    """
    loss, aux = fn()
    values = [v.value for v in variables]
    grads = torch.autograd.grad(loss, values, allow_unused=True)
    grads = [torch.zeros_like(v) if g is None else g
             for g, v in zip(grads, values)]
    if _reduce_gradients is not None:
        grads = _reduce_gradients(grads)
    return (loss.detach(), aux), grads


def no_grad():
    """A context in which no autograd graph is recorded."""
    return torch.no_grad()


def make_step(fn, jit_compile=False, kind="train"):
    """Returns the callable that runs `fn(batch)` for each batch.

    Torch runs eagerly (autograd records the forward pass); with
    `jit_compile=True` the step runs under `torch.compile`, and if the model
    can't be compiled it falls back to eager with one warning. The first
    call runs eagerly: it creates what is built lazily (optimizer slots,
    metric state), so the compiled graph only reads and updates variables.
    """
    if kind != "train":
        inner = fn

        def fn(batch):
            with torch.no_grad():
                return inner(batch)
    if not jit_compile:
        return fn
    compiled = torch.compile(fn, backend=COMPILER)
    state = {"fn": compiled, "warm": False, "static": False}
    # Dynamo graph-breaks at `torch.autograd.grad` unless told to trace it;
    # traced, forward, backward and the optimizer update are one graph.
    config = torch._dynamo.config

    def step(batch):
        if not state["warm"]:
            state["warm"] = True
            return fn(batch)
        try:
            if state["fn"] is fn:
                return fn(batch)
            with config.patch(trace_autograd_ops=True):
                return state["fn"](batch)
        except Exception as e:  # compile failures surface on first call
            if state["fn"] is fn:
                raise
            if not state["static"]:
                # Shapes traced as symbols can defeat inductor (e.g. a
                # slice whose size was drawn at random, RandomCrop):
                # compile again for fixed shapes (one graph per shape)
                # before giving up on compiling.
                state["static"] = True
                state["fn"] = torch.compile(fn, backend=COMPILER,
                                            dynamic=False)
                return step(batch)
            warnings.warn(f"jit_compile=True: torch.compile could not "
                          f"compile this model ({type(e).__name__}: {e}); "
                          "running eagerly instead.", stacklevel=2)
            state["fn"] = fn
            return fn(batch)
    return step


class _MetaScope(scope_lib.StatelessScope):
    """Variables read as storage-free 'meta' tensors of their shape."""

    def __init__(self):
        super().__init__()
        self._meta = {}

    def get(self, variable):
        got = self._values.get(id(variable))
        if got is not None:
            return got
        return torch.empty(variable.shape,
                           dtype=core.to_torch_dtype(variable.dtype),
                           device="meta")

    def assign(self, variable, value):
        pass  # shape inference writes nothing


@contextlib.contextmanager
def _placeholder_device(device):
    saved = core.DEVICE
    core.DEVICE = device
    try:
        yield
    finally:
        core.DEVICE = saved


def _map(structure, fn):
    if isinstance(structure, (list, tuple)):
        return type(structure)(_map(v, fn) for v in structure)
    if isinstance(structure, dict):
        return {k: _map(v, fn) for k, v in structure.items()}
    return fn(structure)


def _run_placeholders(fn, args, kwargs, batch, device):
    def make(x):
        if isinstance(x, SymbolicTensor):
            shape = tuple(batch if d is None else d for d in x.shape)
            return torch.zeros(shape, dtype=core.to_torch_dtype(x.dtype),
                               device=device)
        return x
    args, kwargs = _map(args, make), _map(kwargs, make)
    with _placeholder_device(device), torch.no_grad():
        if device == "meta":
            with _MetaScope():
                return fn(*args, **kwargs)
        with scope_lib.StatelessScope():
            return fn(*args, **kwargs)


def compute_output_spec(fn, args, kwargs):
    """Shapes and dtypes of `fn(*args, **kwargs)` for symbolic arguments.

    Runs `fn` twice on storage-free 'meta' tensors with two different
    sizes for unknown (None) dimensions; dimensions that differ between the
    runs come out as None. Falls back to small real tensors when an op has
    no meta kernel.
    """
    outs = []
    for batch in (3, 5):
        try:
            out = _run_placeholders(fn, args, kwargs, batch,
                                    torch.device("meta"))
        except Exception:
            out = _run_placeholders(fn, args, kwargs, batch, core.DEVICE)
        outs.append(out)

    def spec(a, b):
        if not isinstance(a, torch.Tensor):
            return a
        shape = tuple(da if da == db else None
                      for da, db in zip(a.shape, b.shape))
        return SymbolicTensor(shape, core.dtype_name(a.dtype))
    return _zip_map(outs[0], outs[1], spec)


def _zip_map(a, b, fn):
    if isinstance(a, (list, tuple)):
        return type(a)(_zip_map(x, y, fn) for x, y in zip(a, b))
    if isinstance(a, dict):
        return {k: _zip_map(a[k], b[k], fn) for k in a}
    return fn(a, b)
