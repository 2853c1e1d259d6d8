"""What SimpleRNN, LSTM and GRU share, for their cells and their layers.

Two small bases in one file because each is the other's counterpart:
`RecurrentCell` holds the arguments every Keras recurrent cell takes
(units, activation, the kernel / recurrent kernel / bias initializers,
regularizers and constraints, dropout, recurrent dropout, seed);
`CellRNN` is the layer that builds such a cell from the same arguments,
exposes them as its own attributes and config (as Keras does), and runs
the backend's fused kernel when there is one for the configuration.
"""

from lamina import (
    activations,
    constraints,
    initializers,
    ops,
    random,
    regularizers,
)
from lamina.layers import validation
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.layers.recurrent.dropout_rnn_cell import DropoutRNNCell
from lamina.layers.recurrent.rnn import RNN
from lamina.legacy import arguments as legacy
from lamina.ops._bind import B
from lamina.saving.config import serialize

# Keras 1 spellings of the recurrent arguments (Keras 1 `LSTM(output_dim,
# init=, inner_init=, inner_activation=, W_regularizer=, U_regularizer=,
# dropout_W=, dropout_U=, consume_less=)`): one table for all eras' layers.
RECURRENT_ARGUMENTS = legacy.RECURRENT_ARGUMENTS
LSTM_ARGUMENTS = legacy.LSTM_ARGUMENTS
# Keras 2 options with no effect here (how the gates are batched).
IGNORED = ("implementation",)

_WEIGHTS = ("kernel", "recurrent", "bias")


def forget_bias_initializer(cell):
    """The bias initializer of an LSTM cell: the cell's own, except ones
    for the forget gate (the second quarter) with `unit_forget_bias`
    (Jozefowicz et al., 2015); None to use the cell's initializer."""
    if not cell.unit_forget_bias:
        return None
    base, units = cell.bias_initializer, cell.units

    def initializer(shape, dtype=None):
        ones = initializers.get("ones")
        return ops.concatenate([
            ops.convert_to_tensor(base((units,), dtype=dtype)),
            ops.convert_to_tensor(ones((units,), dtype=dtype)),
            ops.convert_to_tensor(base((2 * units,), dtype=dtype))])
    return initializer


class RecurrentCell(Layer, DropoutRNNCell):
    """Base of the built-in cells: stores the shared arguments."""

    # The arguments a layer over this cell exposes as its own attributes.
    config_keys = (
        "units", "activation", "use_bias", "kernel_initializer",
        "recurrent_initializer", "bias_initializer", "kernel_regularizer",
        "recurrent_regularizer", "bias_regularizer", "kernel_constraint",
        "recurrent_constraint", "bias_constraint", "dropout",
        "recurrent_dropout", "seed")

    def __init__(self, units, activation="tanh", use_bias=True,
                 kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0,
                 seed=None, **kwargs):
        for key in IGNORED:
            kwargs.pop(key, None)
        super().__init__(**kwargs)
        name = type(self).__name__
        units = validation.positive_int(units, "units", name)
        for arg, rate in (("dropout", dropout),
                          ("recurrent_dropout", recurrent_dropout)):
            if not 0 <= rate <= 1:
                raise ValueError(f"{name}: `{arg}` must be in [0, 1], got "
                                 f"{rate!r}.")
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.dropout = float(dropout)
        self.recurrent_dropout = float(recurrent_dropout)
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed)
        self.state_size = units
        self.output_size = units

    def _add_weights(self, input_dim, gates, bias_shape=None,
                     bias_initializer=None):
        """Creates kernel (in, gates*u), recurrent_kernel (u, gates*u) and
        bias (`bias_shape`, default (gates*u,)), in Keras's order."""
        self.kernel = self.add_weight(
            name="kernel", shape=(input_dim, gates * self.units),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint)
        self.recurrent_kernel = self.add_weight(
            name="recurrent_kernel", shape=(self.units, gates * self.units),
            initializer=self.recurrent_initializer,
            regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias", shape=bias_shape or (gates * self.units,),
                initializer=bias_initializer or self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint)
        self.built = True

    def _input_dim(self, input_shape):
        if input_shape[-1] is None:
            raise ValueError(f"Layer '{self.name}': the last axis of the "
                             f"input must be known, got shape "
                             f"{tuple(input_shape)}.")
        return input_shape[-1]

    # A step is split in two so that a layer can hoist the first part out
    # of the loop: `project` (inputs @ kernel + input bias) has no
    # recurrence and runs on a whole (batch, time, features) sequence in
    # one matmul; `recur` is the rest of the step.
    def project(self, inputs):
        """`inputs @ kernel` plus the input bias (any leading axes)."""
        x = ops.matmul(inputs, self.kernel.value)
        if self.bias is not None:
            bias = self.bias.value
            x = ops.add(x, bias[0] if len(self.bias.shape) == 2 else bias)
        return x

    def recur(self, projected, states, training=False):
        """The step from the projected input: `(output, new_states)`."""
        raise NotImplementedError  # abstract: each cell defines it

    def call(self, inputs, states, training=False):
        if training and 0 < self.dropout < 1:
            inputs = ops.multiply(inputs, self.get_dropout_mask(inputs))
        return self.recur(self.project(inputs), states, training=training)

    def _recurrent_dropped(self, h_tm1, training):
        """The previous output times its recurrent dropout mask."""
        if training and 0 < self.recurrent_dropout < 1:
            return ops.multiply(h_tm1,
                                self.get_recurrent_dropout_mask(h_tm1))
        return h_tm1

    def get_initial_state(self, batch_size=None):
        sizes = self.state_size if isinstance(self.state_size, list) \
            else [self.state_size]
        return [ops.zeros((batch_size, s), dtype=self.compute_dtype)
                for s in sizes]

    def get_config(self):
        config = {**super().get_config(), "units": self.units,
                  "activation": activations.serialize(self.activation),
                  "use_bias": self.use_bias}
        for weight in _WEIGHTS:
            for part in ("initializer", "regularizer", "constraint"):
                key = f"{weight}_{part}"
                config[key] = serialize(getattr(self, key))
        config.update(dropout=self.dropout,
                      recurrent_dropout=self.recurrent_dropout,
                      seed=self.seed)
        return config


class CellRNN(RNN):
    """Base of SimpleRNN, LSTM and GRU: an RNN over a built-in cell.

    Subclasses set `cell_class`, `cell_name` (Keras's name for the cell,
    e.g. 'lstm_cell') and `fused` (the name of the optional backend
    kernel), and pass the cell's arguments to `__init__`.
    """

    cell_class = None
    cell_name = None
    fused = None
    _RNN_KEYS = ("return_sequences", "return_state", "go_backwards",
                 "stateful", "unroll", "zero_output_for_mask")

    def __init__(self, cell_kwargs, use_cudnn="auto", **kwargs):
        for key in IGNORED:
            kwargs.pop(key, None)
        if use_cudnn not in ("auto", True, False):
            raise ValueError(f"{type(self).__name__}: `use_cudnn` must be "
                             f"'auto', True or False, got {use_cudnn!r}.")
        rnn_kwargs = {k: kwargs.pop(k) for k in self._RNN_KEYS
                      if k in kwargs}
        cell = self.cell_class(
            **cell_kwargs, dtype=kwargs.get("dtype"),
            trainable=kwargs.get("trainable", True), name=self.cell_name)
        super().__init__(cell, **rnn_kwargs, **kwargs)
        self.use_cudnn = use_cudnn
        self.input_spec = InputSpec(ndim=3)

    def __getattr__(self, name):
        # The cell's arguments read as the layer's (`lstm.units`, ...).
        cell = self.__dict__.get("cell")
        if cell is not None and not name.startswith("_") and \
                name in self.cell_class.config_keys:
            return getattr(cell, name)
        raise AttributeError(f"'{type(self).__name__}' object has no "
                             f"attribute '{name}'")

    def _fused_ok(self, training):
        cell = self.cell
        return (self.use_cudnn is not False
                and cell.activation is activations.tanh
                and getattr(cell, "recurrent_activation",
                            activations.sigmoid) is activations.sigmoid
                and not (training and cell.recurrent_dropout > 0))

    def _fused_arguments(self):
        """Extra keyword arguments of the backend kernel."""
        return {}

    def inner_loop(self, sequences, initial_state, mask, training=False):
        cell = self.cell
        x = sequences
        if training and 0 < cell.dropout < 1:
            # One mask for every timestep (drawn before the loop).
            keep = cell.get_dropout_mask(sequences[:, 0])
            x = ops.multiply(x, ops.expand_dims(keep, 1))
        kernel = getattr(B, self.fused, None) if self.fused else None
        if kernel is not None and self._fused_ok(training):
            out = kernel(x, initial_state, mask, cell.kernel.value,
                         cell.recurrent_kernel.value,
                         None if cell.bias is None else cell.bias.value,
                         go_backwards=self.go_backwards,
                         return_sequences=self.return_sequences,
                         zero_output_for_mask=self.zero_output_for_mask,
                         **self._fused_arguments())
            if out is not None:
                return out
        if self.use_cudnn is True:
            raise ValueError(
                f"Layer '{self.name}': use_cudnn=True, but the backend "
                f"'{B.name}' has no fused kernel for this configuration "
                "(it needs tanh / sigmoid activations, no recurrent dropout "
                "and, with a mask, right-padded sequences). Pass "
                "use_cudnn='auto' to fall back to the generic loop.")
        compiled = getattr(B, "compiles_scan", None)
        if compiled is not None and compiled(x, initial_state):
            # A compiled loop (JAX under jit): each step projects its own
            # input, as a hand-written `lax.scan` cell does; measured
            # faster than one matmul before the loop, which stores the
            # (time, batch, gates * units) projection and its gradient.
            return self._run_loop(
                lambda x_t, states: cell.recur(cell.project(x_t), states,
                                               training=training),
                x, initial_state, mask)
        # A Python loop: the input projection of every timestep in one
        # matmul, outside the loop; the loop runs only the recurrent part
        # of each step.
        return self._run_loop(
            lambda projected, states: cell.recur(projected, states,
                                                 training=training),
            cell.project(x), initial_state, mask)

    def get_config(self):
        config = super().get_config()
        del config["cell"]
        cell_config = self.cell.get_config()
        for key in ("name", "trainable", "dtype"):
            cell_config.pop(key, None)
        config.update(cell_config)
        config["activity_regularizer"] = serialize(self.activity_regularizer)
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)
