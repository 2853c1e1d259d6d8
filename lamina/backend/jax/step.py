"""JAX backend: gradients and the jitted, pure training step.

`Model.train_step` is written once against `lamina.ops` and stateful
`Variable`s. On JAX it becomes a pure function of the state like this:

1. The first call runs the step eagerly inside a `_RecordingScope`, which
   notes every variable the step reads or writes (model weights, optimizer
   slots created on that first call, metric state, random-seed keys).
2. Later calls run `jax.jit(pure)(state_values, batch)`, where `pure`
   replays the step inside a `StatelessScope` mapping those variables to
   the traced values, and returns the values they hold at the end.
3. The new values are written back into the variables (a pointer swap per
   variable: JAX arrays are immutable), so the model, optimizer and
   metrics read the trained state between steps.

A training step donates the state it is given (`donate_argnums`, as
Keras's JAX trainer does): XLA writes the new weights and optimizer slots
into the old buffers instead of allocating fresh ones every step (on the
LSTM benchmark, Embedding(20000, 128) under Adam, about 8% of the step's
time on CPU). A JAX array read from a variable before a training step
(`variable.value`) is therefore deleted by the step; read it again after,
or keep a NumPy copy. When one array is held by two of the state's
variables (donating it twice is an error) that call donates nothing.
"""

import contextlib

import jax

from lamina.backend.common import scope as scope_lib


def value_and_grad(fn, variables):
    """Calls `fn()` -> `(loss, aux)`; returns `((loss, aux), grads)`.

    The gradient is taken w.r.t. the values of `variables`. Assignments
    made inside `fn` to other variables (e.g. BatchNormalization's moving
    statistics, random-seed keys) are carried out of the differentiated
    function and applied afterwards.
    """
    variables = list(variables)
    values = [v.value for v in variables]

    def pure(vals):
        with scope_lib.StatelessScope(zip(variables, vals)) as scope:
            loss, aux = fn()
            assigned = [(v, scope.get(v)) for v in scope.assigned.values()]
        return loss, (aux, assigned)

    (loss, (aux, assigned)), grads = jax.value_and_grad(
        pure, has_aux=True)(values)
    for variable, value in assigned:
        variable.assign(value)
    return (loss, aux), list(grads)


def no_grad():
    """JAX records nothing outside `value_and_grad`: a null context."""
    return contextlib.nullcontext()


class _RecordingScope(scope_lib.StatelessScope):
    """Reads and writes go to the variables themselves; each variable
    touched is recorded, in order."""

    def __init__(self):
        super().__init__()
        self.touched = {}

    def get(self, variable):
        """Records `variable`; returns None: read through to it."""
        self.touched.setdefault(id(variable), variable)

    def assign(self, variable, value):
        self.touched.setdefault(id(variable), variable)
        variable._write(variable._convert(value))


def _materialize(logs):
    """Step outputs as plain containers of arrays (lazy logs computed)."""
    if isinstance(logs, dict):
        return {k: logs[k] for k in list(logs)}
    return logs


class _JittedStep:
    """Runs `fn(batch)` as a jitted pure function of the variables it uses.
    """

    def __init__(self, fn, jit_compile, donate=False):
        self.fn = fn
        self.jit_compile = jit_compile
        self.donate = donate  # donate the state's buffers to the step
        self.state = None
        self._keys = None  # the logs' keys, in order (set while tracing)
        self._jits = {}  # (name, donating) -> jitted `_pure` / `_pure_many`
        self._many = None  # the jitted multi-step function last used
        # Indices of the state values `_pure` returns (set while tracing;
        # None: all of them).
        self._changed = None

    def _jitted(self, fn, values):
        """`fn` (`_pure` or `_pure_many`) jitted; it donates its first
        argument, `values`, when this step donates and no array appears
        twice in `values`."""
        donate = self.donate and \
            len({id(v) for v in values}) == len(values)
        key = (fn.__name__, donate)
        jitted = self._jits.get(key)
        if jitted is None:
            jitted = self._jits[key] = jax.jit(
                fn, donate_argnums=0 if donate else ())
        return jitted

    def _run(self, values, batch):
        """The step as a pure function: every state value after it, and
        the logs."""
        with scope_lib.StatelessScope(zip(self.state, values)) as scope:
            logs = _materialize(self.fn(batch))
            new = [scope._values[id(v)] for v in self.state]
        if isinstance(logs, dict):
            # jit returns dicts with sorted keys; keep the logs' own order.
            self._keys = list(logs)
            logs = [logs[k] for k in self._keys]
        return new, logs

    def _pure(self, values, batch):
        """`_run`, returning only the state values the step changed when
        it donates nothing (a predict step changes none): a value handed
        back unchanged would come out of `jit` as a copy of its buffer."""
        new, logs = self._run(values, batch)
        if self.donate:
            self._changed = None
            return new, logs
        self._changed = [i for i, (old, value) in enumerate(zip(values, new))
                         if value is not old]
        return [new[i] for i in self._changed], logs

    def _pure_many(self, values, batches):
        """`len(batches)` steps in one jitted call (`steps_per_execution`):
        a scan over the batches stacked on a new leading axis."""
        def body(vals, batch):
            new, logs = self._run(vals, batch)
            return new, logs
        new, logs = jax.lax.scan(body, values, batches)
        return new, jax.tree.map(lambda a: a[-1], logs)

    def run_many(self, batches):
        """Runs the step on each of `batches` (same shapes: one scan in one
        jitted call); returns the last step's logs."""
        shapes = {tuple(getattr(a, "shape", ())
                        for a in jax.tree.leaves(b)) for b in batches}
        if self.state is None or not self.jit_compile or len(shapes) > 1:
            for batch in batches:
                logs = self(batch)
            return logs
        stacked = jax.tree.map(lambda *xs: jax.numpy.stack(xs), *batches)
        values = [v._value for v in self.state]
        self._many = self._jitted(self._pure_many, values)
        return self._write_back(*self._many(values, stacked), changed=None)

    def _write_back(self, new, logs, changed):
        """Puts the `new` values in the variables at `changed` (all when
        None)."""
        state = self.state if changed is None else \
            [self.state[i] for i in changed]
        for variable, value in zip(state, new):
            variable._value = value
        if self._keys is not None:
            logs = dict(zip(self._keys, logs))
        return logs

    def __call__(self, batch):
        if self.state is None:
            recorder = _RecordingScope()
            with recorder:
                logs = _materialize(self.fn(batch))
            self.state = list(recorder.touched.values())
            return logs
        values = [v._value for v in self.state]
        step = self._jitted(self._pure, values) if self.jit_compile \
            else self._pure
        new, logs = step(values, batch)
        return self._write_back(new, logs, self._changed)


def make_step(fn, jit_compile=True, kind="train"):
    """`fn(batch) -> logs` as JAX runs it: one jitted pure step over the
    model's state (after one eager call that discovers the state), or
    eagerly with `jit_compile=False` (`compile(run_eagerly=True)`). A
    training step donates the state's buffers (see the module's notes)."""
    return _JittedStep(fn, jit_compile, donate=kind == "train")
