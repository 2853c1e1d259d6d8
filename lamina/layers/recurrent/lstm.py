"""`LSTMCell` and `LSTM` (Hochreiter & Schmidhuber, 1997).

The cell and the layer over it share one file, as in Keras: the layer is
the cell's arguments plus the RNN options.
"""

from lamina import activations, ops
from lamina.layers.recurrent.cell_base import (
    LSTM_ARGUMENTS,
    CellRNN,
    RecurrentCell,
    forget_bias_initializer,
)
from lamina.legacy.arguments import legacy_arguments


class LSTMCell(RecurrentCell):
    """One step of a long short-term memory layer.

    With `z = x @ kernel + h_tm1 @ recurrent_kernel + bias` split into four
    gates in the order i, f, c, o:
    `i = σ(z_i)`, `f = σ(z_f)`, `c = f * c_tm1 + i * tanh(z_c)`,
    `o = σ(z_o)`, `h = o * tanh(c)` (σ is `recurrent_activation`, tanh is
    `activation`). States: `[h, c]`; output: `h`.

    Args:
        units: size of the output and of each state.
        activation: for the cell candidate and the output (default tanh).
        recurrent_activation: for the gates (default sigmoid).
        use_bias: whether to add a bias.
        kernel_initializer, recurrent_initializer, bias_initializer,
        kernel_regularizer, recurrent_regularizer, bias_regularizer,
        kernel_constraint, recurrent_constraint, bias_constraint: for the
            weights kernel (in, 4u), recurrent_kernel (u, 4u), bias (4u,).
        unit_forget_bias: initialize the forget gate's bias to 1
            (Jozefowicz et al., 2015).
        dropout, recurrent_dropout: fractions of the inputs / the previous
            output dropped in training (one mask per sequence).
        seed: seed of the dropout masks.
    """

    config_keys = RecurrentCell.config_keys + (
        "recurrent_activation", "unit_forget_bias")

    @legacy_arguments(LSTM_ARGUMENTS)
    def __init__(self, units, activation="tanh",
                 recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal",
                 bias_initializer="zeros", unit_forget_bias=True,
                 kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None,
                 dropout=0.0, recurrent_dropout=0.0, seed=None, **kwargs):
        super().__init__(
            units, activation=activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint, dropout=dropout,
            recurrent_dropout=recurrent_dropout, seed=seed, **kwargs)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.unit_forget_bias = bool(unit_forget_bias)
        self.state_size = [units, units]

    def build(self, input_shape):
        self._add_weights(self._input_dim(input_shape), 4,
                          bias_initializer=forget_bias_initializer(self))

    def recur(self, projected, states, training=False):
        h_tm1, c_tm1 = states[0], states[1]
        h_dropped = self._recurrent_dropped(h_tm1, training)
        z = ops.add(projected,
                    ops.matmul(h_dropped, self.recurrent_kernel.value))
        z_i, z_f, z_c, z_o = ops.split(z, 4, axis=-1)
        gate = self.recurrent_activation
        c = ops.add(ops.multiply(gate(z_f), c_tm1),
                    ops.multiply(gate(z_i), self.activation(z_c)))
        h = ops.multiply(gate(z_o), self.activation(c))
        return h, [h, c]

    def get_config(self):
        return {**super().get_config(),
                "recurrent_activation": activations.serialize(
                    self.recurrent_activation),
                "unit_forget_bias": self.unit_forget_bias}


class LSTM(CellRNN):
    """Long short-term memory layer (Hochreiter & Schmidhuber, 1997).

    Runs an `LSTMCell` over the time axis. On the torch backend the whole
    sequence runs in torch's fused LSTM kernel when the configuration
    allows (tanh / sigmoid, no recurrent dropout, masks right-padded);
    otherwise, and on other backends, in the generic loop.

    Args:
        units, activation, recurrent_activation, use_bias, initializers,
        regularizers, constraints, unit_forget_bias, dropout,
        recurrent_dropout, seed: as `LSTMCell`.
        activity_regularizer: a penalty on the output.
        return_sequences, return_state, go_backwards, stateful, unroll:
            as `RNN`.
        use_cudnn: 'auto' uses the backend's fused kernel when it can;
            False never does; True requires it.

    Input shape:
        `(batch, timesteps, features)`.

    Output shape:
        `(batch, units)`, or `(batch, timesteps, units)` with
        `return_sequences`; with `return_state`, a list
        `[output, h, c]`.

    Example:

    >>> import numpy as np, lamina
    >>> out, h, c = lamina.layers.LSTM(4, return_state=True)(
    ...     np.ones((2, 3, 5), "float32"))
    >>> tuple(out.shape), tuple(c.shape)
    ((2, 4), (2, 4))
    """

    cell_class = LSTMCell
    cell_name = "lstm_cell"
    fused = "lstm"

    @legacy_arguments(LSTM_ARGUMENTS)
    def __init__(self, units, activation="tanh",
                 recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal",
                 bias_initializer="zeros", unit_forget_bias=True,
                 kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0,
                 seed=None, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, unroll=False,
                 use_cudnn="auto", **kwargs):
        cell_kwargs = {
            "units": units, "activation": activation,
            "recurrent_activation": recurrent_activation, "use_bias": use_bias,
            "kernel_initializer": kernel_initializer,
            "recurrent_initializer": recurrent_initializer,
            "bias_initializer": bias_initializer,
            "unit_forget_bias": unit_forget_bias,
            "kernel_regularizer": kernel_regularizer,
            "recurrent_regularizer": recurrent_regularizer,
            "bias_regularizer": bias_regularizer,
            "kernel_constraint": kernel_constraint,
            "recurrent_constraint": recurrent_constraint,
            "bias_constraint": bias_constraint, "dropout": dropout,
            "recurrent_dropout": recurrent_dropout, "seed": seed}
        super().__init__(
            cell_kwargs, use_cudnn=use_cudnn,
            activity_regularizer=activity_regularizer,
            return_sequences=return_sequences, return_state=return_state,
            go_backwards=go_backwards, stateful=stateful, unroll=unroll,
            **kwargs)
