"""`keras.backend` (part 2): `function`, the learning phase, graph errors.

Keras 1 and 2 ran on graph engines (Theano, TensorFlow 1): `K.function`
compiled a graph, `K.learning_phase()` was a graph input, `K.gradients`
differentiated a graph. lamina computes eagerly, so these are rebuilt on
what lamina has: `function` draws a functional `Model` between the given
symbolic tensors, the learning phase is the `training` flag of the call in
progress, and what truly needs a graph (`gradients`, sessions,
placeholders) raises `GraphOnlyError` naming what to write instead.
Import through `lamina.legacy.keras_backend`, which re-exports all of this.
"""

import numpy as np

from lamina import backend as _config
from lamina.backend.common import variables as _variables
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.layers import layer as _layer_lib
from lamina.legacy.arguments import warn_once
from lamina.ops._bind import B

__all__ = [
    "Function", "GraphOnlyError", "LearningPhase",
    "clear_session", "function", "get_graph", "get_session", "get_uid",
    "gradients", "in_test_phase", "in_train_phase", "is_keras_tensor",
    "learning_phase", "placeholder", "reset_uids", "set_learning_phase",
    "set_session", "switch"]

_LOOPS = ("README.md, 'What is there' -> Training: overridable "
          "`train_step`, and `lamina.ops.value_and_grad` plus "
          "`optimizer.apply(grads)` for hand-written loops")


class GraphOnlyError(RuntimeError):
    """A Keras 1/2 backend call that only makes sense on a graph engine
    (TensorFlow 1, Theano); the message says what to write instead."""


def is_keras_tensor(x):
    """Whether `x` is a symbolic tensor made by `Input` or a layer."""
    return isinstance(x, SymbolicTensor) and x._history is not None


# -- the learning phase ---------------------------------------------------

_state = {"phase": None}


class LearningPhase:
    """What `learning_phase()` returns: it reads as the `training` flag of
    the call in progress (1 inside `fit`, 0 inside `predict`), else the
    value from `set_learning_phase`, else 0. In `K.function`'s inputs it
    marks where the phase value is fed.

    Made inside a layer call, it keeps that call's flag, so that
    `layer(x, training=K.learning_phase())` passes it on.
    """

    def __init__(self, snapshot=None):
        self._snapshot = snapshot

    def value(self):
        if self._snapshot is not None:
            return self._snapshot
        training = _layer_lib._ctx.training
        if isinstance(training, LearningPhase):
            training = training._snapshot
        if training is None:
            training = _state["phase"] or 0
        return int(bool(training)) if isinstance(training, (bool, int)) \
            else training

    def __int__(self):
        return int(self.value())

    __index__ = __int__

    def __bool__(self):
        return bool(self.value())

    def __float__(self):
        return float(self.value())

    def __eq__(self, other):
        return self.value() == other

    __hash__ = object.__hash__

    def __repr__(self):
        return f"<keras learning phase: {self.value()}>"


_PHASE = LearningPhase()


def learning_phase():
    """The learning phase (see `LearningPhase`): 1 training, 0 test."""
    training = _layer_lib._ctx.training
    if isinstance(training, bool):
        return LearningPhase(int(training))
    return _PHASE


def set_learning_phase(value):
    """Sets the phase used outside `fit`/`predict`/`evaluate` and calls
    with an explicit `training` (Keras 1/2's global switch)."""
    if value not in (0, 1):
        raise ValueError(f"set_learning_phase: expected 0 (test) or 1 "
                         f"(train), got {value!r}.")
    warn_once("K.set_learning_phase",
              "K.set_learning_phase(...) is Keras 1/2's global training "
              "switch; write model(x, training=True) (or False) instead. "
              "lamina uses the value where no call sets `training`.")
    _state["phase"] = int(value)


def _choose(flag, x, alt):
    chosen = x if flag else alt
    return chosen() if callable(chosen) else chosen


def switch(condition, then_expression, else_expression):
    """`then_expression` where `condition`, else `else_expression`.

    A Python or scalar condition picks one branch (callables are called);
    a tensor condition selects elementwise, its shape padded with trailing
    axes to the branches' rank.
    """
    if isinstance(condition, LearningPhase):
        condition = condition.value()
    if isinstance(condition, (bool, int, float, np.bool_, np.integer)):
        return _choose(condition, then_expression, else_expression)
    then = then_expression() if callable(then_expression) \
        else then_expression
    other = else_expression() if callable(else_expression) \
        else else_expression
    condition = B.cast(condition, "bool")
    cond_ndim = len(B.shape(condition))
    expr_ndim = len(B.shape(B.convert_to_tensor(then)))
    if cond_ndim > expr_ndim:
        raise ValueError(
            f"K.switch: the rank of `condition` ({cond_ndim}) must not "
            f"exceed the rank of the branches ({expr_ndim}).")
    if cond_ndim:
        condition = B.reshape(condition, tuple(B.shape(condition)) +
                              (1,) * (expr_ndim - cond_ndim))
    return B.where(condition, then, other)


def in_train_phase(x, alt, training=None):
    """`x` in the training phase, else `alt` (callables are called)."""
    if training is None:
        training = _PHASE
    return switch(training, x, alt)


def in_test_phase(x, alt, training=None):
    """`x` in the test phase, else `alt`."""
    return in_train_phase(alt, x, training=training)


# -- K.function --------------------------------------------------------------

class Function:
    """A callable from input values to output values, made by `function`.

    Called with a list of arrays, one per input (the learning phase, when
    among the inputs, takes 0 or 1); returns a list of NumPy arrays (or one
    array when `outputs` was a single tensor).
    """

    def __init__(self, inputs, outputs, name=None):
        from lamina.models.functional import Functional
        inputs = list(inputs) if isinstance(inputs, (list, tuple)) \
            else [inputs]
        self._phase_index = None
        tensors = []
        for i, t in enumerate(inputs):
            if isinstance(t, LearningPhase):
                self._phase_index = i
            elif not is_keras_tensor(t):
                raise TypeError(
                    f"K.function: input {i} must be a symbolic tensor (from "
                    f"`Input`, `model.input` or `layer.output`) or "
                    f"K.learning_phase(); got {t!r}.")
            else:
                tensors.append(t)
        self._num_inputs = len(inputs)
        self._single = not isinstance(outputs, (list, tuple))
        outs = [outputs] if self._single else list(outputs)
        for i, t in enumerate(outs):
            if not is_keras_tensor(t):
                raise TypeError(f"K.function: output {i} must be a symbolic "
                                f"tensor; got {t!r}.")
        self.model = Functional(tensors, outs, name=name)

    def __call__(self, inputs):
        values = list(inputs) if isinstance(inputs, (list, tuple)) \
            else [inputs]
        if len(values) != self._num_inputs:
            raise ValueError(f"K.function: expected {self._num_inputs} "
                             f"input values, got {len(values)}.")
        training = bool(_PHASE.value())
        if self._phase_index is not None:
            training = bool(int(np.asarray(values.pop(self._phase_index))))
        with B.no_grad():
            out = self.model(values, training=training)
        out = [out] if not isinstance(out, (list, tuple)) else list(out)
        out = [np.array(B.convert_to_numpy(v)) for v in out]
        return out[0] if self._single else out


def function(inputs, outputs, updates=None, name=None, **kwargs):
    """A `Function` computing `outputs` from `inputs` (symbolic tensors).

    Keras's graph `updates` can't be honoured: variables change in
    lamina's eager code or in a `train_step` instead.
    """
    if updates:
        raise GraphOnlyError(
            "K.function(..., updates=...) runs graph update ops, which "
            "lamina does not build. Assign variables in eager code "
            "(`variable.assign(...)`) or write a custom training step; "
            f"see {_LOOPS}.")
    return Function(inputs, outputs, name=name)


# -- sessions, ids ------------------------------------------------------------

_uids = {}


def get_uid(prefix=""):
    """1, 2, 3, ... per `prefix`, for unique names."""
    _uids[prefix] = _uids.get(prefix, 0) + 1
    return _uids[prefix]


def reset_uids():
    _uids.clear()


def clear_session():
    """Restarts automatic names (`dense`, `dense_1`, ...) and the
    learning phase; models already made are left as they are."""
    _layer_lib.reset_names()
    _variables._name_counts.clear()
    _uids.clear()
    _state["phase"] = None


def _graph_only(what, instead):
    def raiser(*args, **kwargs):
        raise GraphOnlyError(
            f"{what} needs a TensorFlow/Theano graph, which lamina does "
            f"not build (it computes eagerly on {_config.backend()}). "
            f"{instead}")
    raiser.__name__ = what.split("(")[0].split(".")[-1]
    raiser.__doc__ = f"Raises `GraphOnlyError`: {instead}"
    return raiser


gradients = _graph_only(
    "K.gradients(loss, variables)",
    "Take gradients eagerly: `(loss, aux), grads = "
    "lamina.ops.value_and_grad(fn, variables)` where `fn()` returns "
    f"`(loss, aux)`, or override `Model.train_step`; see {_LOOPS}.")
placeholder = _graph_only(
    "K.placeholder(...)",
    "Use `lamina.Input(shape=...)` (shape without the batch axis) to draw "
    "a model, or pass arrays to functions directly.")
get_session = _graph_only(
    "K.get_session()",
    "There is no session: values are computed when called; read them "
    "with `K.eval(x)` or `variable.numpy()`.")
set_session = _graph_only(
    "K.set_session(session)",
    "There is no session; choose the device with LAMINA_DEVICE or the "
    "'device' key of lamina.json.")
get_graph = _graph_only("K.get_graph()", "There is no graph to get.")

# Attributes of Keras's backend module that were engine modules.
ENGINE_MODULES = ("tf", "th", "T", "theano", "tensorflow")
