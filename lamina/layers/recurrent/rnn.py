"""`RNN`: runs a recurrent cell over the time axis of a sequence."""

import inspect

from lamina import ops
from lamina.layers.layer import Layer
from lamina.layers.recurrent import loop
from lamina.layers.recurrent.dropout_rnn_cell import DropoutRNNCell
from lamina.ops._bind import B
from lamina.saving.config import serialize


def _is_nested(x):
    return isinstance(x, (list, tuple))


class RNN(Layer):
    """Base class for recurrent layers: a cell applied step by step.

    A cell is any object with `call(inputs, states)` (optionally also a
    `training` argument) returning `(output, new_states)`, and a
    `state_size` attribute (an int, or a list with one entry per state).
    It may also have `output_size` and `get_initial_state(batch_size)`.
    A list of cells is stacked (`StackedRNNCells`).

    Args:
        cell: the cell, or a list of cells.
        return_sequences: return the whole output sequence instead of the
            last output.
        return_state: also return the final states (a list: output, then
            each state).
        go_backwards: process the sequence backwards and return the
            reversed sequence.
        stateful: the final states of a batch are the initial states of
            the next (sample i continues sample i). Needs a fixed batch
            size (`Input(batch_shape=...)`); `reset_states()` zeroes them.
        unroll: unroll the loop (compiled backends; faster for short
            sequences, more memory).
        zero_output_for_mask: with `return_sequences`, masked steps
            output zeros instead of the previous output.

    Call arguments:
        sequences: (batch, timesteps, features).
        initial_state: a tensor or list of tensors, one per state.
        mask: (batch, timesteps) booleans; False steps are skipped (the
            states carry over).
        training: whether cell dropout is active.

    Example:

    >>> import numpy as np, lamina
    >>> layer = lamina.layers.RNN(lamina.layers.LSTMCell(4),
    ...                           return_sequences=True)
    >>> tuple(layer(np.ones((2, 3, 5), "float32")).shape)
    (2, 3, 4)
    """

    def __init__(self, cell, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, unroll=False,
                 zero_output_for_mask=False, **kwargs):
        if isinstance(cell, (list, tuple)):
            from lamina.layers.recurrent.stacked_rnn_cells import (
                StackedRNNCells,
            )
            cell = StackedRNNCells(cell)
        for attribute in ("call", "state_size"):
            if not hasattr(cell, attribute):
                raise ValueError(
                    f"RNN: `cell` must have a `{attribute}` attribute "
                    "(call(inputs, states) -> (output, new_states), and "
                    f"state_size: an int or a list of ints); got {cell!r}.")
        super().__init__(**kwargs)
        self.cell = cell
        self.return_sequences = bool(return_sequences)
        self.return_state = bool(return_state)
        self.go_backwards = bool(go_backwards)
        self.stateful = bool(stateful)
        self.unroll = bool(unroll)
        self.zero_output_for_mask = bool(zero_output_for_mask)
        self.supports_masking = True
        self.states = None
        params = inspect.signature(cell.call).parameters
        self._cell_has_training = "training" in params

    # -- sizes ---------------------------------------------------------------
    @property
    def state_size(self):
        size = self.cell.state_size
        return [size] if isinstance(size, int) else list(size)

    @property
    def _output_size(self):
        size = getattr(self.cell, "output_size", None)
        return self.state_size[0] if size is None else size

    def _state_shapes(self, batch):
        # An int is one state (batch, size); a list is a nested cell's
        # states (StackedRNNCells), one (batch, size) each.
        return [[(batch, s) for s in size] if _is_nested(size)
                else (batch, size) for size in self.state_size]

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        batch, steps = sequences_shape[0], sequences_shape[1]
        size = self._output_size
        size = tuple(size) if _is_nested(size) else (size,)
        output = (batch, steps) + size if self.return_sequences \
            else (batch,) + size
        if self.return_state:
            return [output] + self._state_shapes(batch)
        return output

    def compute_output_spec(self, *args, **kwargs):
        nested = any(_is_nested(s) for s in self.state_size)
        if self.return_state and nested:
            return B.compute_output_spec(self.call, args, kwargs)
        return super().compute_output_spec(*args, **kwargs)

    def compute_mask(self, inputs, mask=None):
        if _is_nested(mask):
            mask = mask[0]
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            return [output_mask] + [None] * len(self.state_size)
        return output_mask

    # -- building ------------------------------------------------------------
    def build(self, sequences_shape, initial_state_shape=None):
        step_shape = (sequences_shape[0],) + tuple(sequences_shape[2:])
        if isinstance(self.cell, Layer) and not self.cell.built:
            self.cell.build(step_shape)
            self.cell.built = True
        if self.stateful and self.states is None:
            batch = sequences_shape[0]
            if batch is None:
                raise ValueError(
                    f"Layer '{self.name}': stateful=True needs a fixed batch "
                    f"size, but the input's shape is {tuple(sequences_shape)}"
                    ". Give the model's input a batch size, e.g. "
                    "Input(batch_shape=(32, ...)) or batch_input_shape=.")
            # Plain attributes, not weights: Keras saves no RNN states.
            self.states = [B.Variable(s, trainable=False, name="rnn_state")
                           for s in loop.flatten(
                               self.get_initial_state(batch))]
        self.built = True

    def get_initial_state(self, batch_size):
        """Zeros (or the cell's own initial state) for `batch_size`."""
        fn = getattr(self.cell, "get_initial_state", None)
        if fn is not None:
            state = fn(batch_size=batch_size)
            return list(state) if _is_nested(state) else [state]
        dtype = getattr(self.cell, "compute_dtype", None)
        return [[ops.zeros(s, dtype=dtype) for s in shape]
                if isinstance(shape, list) else ops.zeros(shape, dtype=dtype)
                for shape in self._state_shapes(batch_size)]

    def reset_states(self, states=None):
        """Sets the states of a stateful layer to zeros (or to `states`)."""
        if not self.stateful:
            raise AttributeError(f"Layer '{self.name}' is not stateful; "
                                 "create it with stateful=True to keep and "
                                 "reset states.")
        if self.states is None:
            return
        values = [None] * len(self.states) if states is None else \
            loop.flatten(states if _is_nested(states) else [states])
        if len(values) != len(self.states):
            raise ValueError(f"Layer '{self.name}': reset_states expects "
                             f"{len(self.states)} arrays, got "
                             f"{len(values)}.")
        for variable, value in zip(self.states, values):
            variable.assign(ops.zeros(variable.shape, variable.dtype)
                            if value is None else value)

    reset_state = reset_states

    # -- running -------------------------------------------------------------
    def _step(self, training):
        cell = self.cell
        if self._cell_has_training:
            return lambda x, states: cell.call(x, states, training=training)
        return cell.call

    def inner_loop(self, sequences, initial_state, mask, training=False):
        """`(last_output, outputs or None, final_states)` of the cell run
        over `sequences`; subclasses try a fused backend kernel first."""
        return self._run_loop(self._step(training), sequences,
                              initial_state, mask)

    def _run_loop(self, step, inputs, initial_state, mask):
        """`loop.rnn` with this layer's options."""
        # The "previous output" before the first step: zeros shaped like
        # the first state (the output of the built-in cells), or like the
        # cell's `output_size` when that differs.
        size, initial_output = self._output_size, None
        if isinstance(size, int) and size != self.state_size[0]:
            first = loop.flatten(initial_state)[0]
            initial_output = ops.zeros((ops.shape(first)[0], size),
                                       dtype=ops.dtype(first))
        return loop.rnn(
            step, inputs, initial_state, go_backwards=self.go_backwards,
            mask=mask, unroll=self.unroll,
            zero_output_for_mask=self.zero_output_for_mask and
            self.return_sequences,
            return_all_outputs=self.return_sequences,
            initial_output=initial_output)

    def _initial_state(self, sequences, initial_state):
        if initial_state is None:
            if self.stateful:
                # A copy: the states are overwritten in place after the
                # step, while autograd may still need the values read.
                values = [ops.add(v.value, 0) for v in self.states]
                return _restructure(self.state_size, values)
            return self.get_initial_state(ops.shape(sequences)[0])
        states = list(initial_state) if _is_nested(initial_state) \
            else [initial_state]
        if len(states) != len(self.state_size):
            raise ValueError(
                f"Layer '{self.name}' has {len(self.state_size)} states, "
                f"but `initial_state` has {len(states)} tensors.")
        dtype = getattr(self.cell, "compute_dtype", None)
        return loop.map_structure(
            lambda s: ops.convert_to_tensor(s, dtype=dtype), states)

    def call(self, sequences, initial_state=None, mask=None, training=False):
        if _is_nested(mask):
            mask = mask[0]
        states = self._initial_state(sequences, initial_state)
        if training:
            _draw_dropout_masks(self.cell, sequences[:, 0], states)
        try:
            last_output, outputs, states = self.inner_loop(
                sequences, states, mask, training=training)
        finally:
            _clear_dropout_masks(self.cell)
        if self.stateful:
            for variable, value in zip(self.states, loop.flatten(states)):
                variable.assign(value)
        output = outputs if self.return_sequences else last_output
        if self.return_state:
            return [output] + list(states)
        return output

    # -- config --------------------------------------------------------------
    def get_config(self):
        return {
            **super().get_config(),
            "return_sequences": self.return_sequences,
            "return_state": self.return_state,
            "go_backwards": self.go_backwards,
            "stateful": self.stateful,
            "unroll": self.unroll,
            "zero_output_for_mask": self.zero_output_for_mask,
            "cell": serialize(self.cell),
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        config["cell"] = deserialize_layer(config["cell"], custom_objects)
        return cls(**config)


def deserialize_layer(config, custom_objects=None):
    """A layer (or cell) from its config; the recurrent family's classes
    resolve even before `lamina.layers` lists them."""
    from lamina.layers import recurrent
    from lamina.saving.config import deserialize
    objects = {**recurrent.ALL_OBJECTS, **(custom_objects or {})}
    return deserialize(config, "layers", custom_objects=objects)


def _restructure(template, values):
    """`values` (flat) in the nested structure of `template`."""
    values = iter(values)
    return loop.map_structure(lambda _: next(values), template)


def _draw_dropout_masks(cell, step_input, states):
    """Draws the cell's dropout masks before the loop (so that no random
    draw happens inside a compiled scan body)."""
    from lamina.layers.recurrent.stacked_rnn_cells import StackedRNNCells
    if isinstance(cell, DropoutRNNCell):
        first = loop.flatten(states)[0]
        cell.get_dropout_mask(step_input)
        cell.get_recurrent_dropout_mask(first)
    elif isinstance(cell, StackedRNNCells):
        for inner, inner_states in zip(cell.cells, states):
            _draw_dropout_masks(inner, step_input, inner_states)
            size = getattr(inner, "output_size", None) or loop.flatten(
                [inner.state_size])[0]
            step_input = ops.zeros((ops.shape(step_input)[0], size),
                                   dtype=ops.dtype(step_input))


def _clear_dropout_masks(cell):
    for inner in getattr(cell, "cells", [cell]):
        if isinstance(inner, DropoutRNNCell):
            inner.reset_dropout_mask()
            inner.reset_recurrent_dropout_mask()
