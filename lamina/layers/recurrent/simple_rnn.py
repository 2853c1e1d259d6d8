"""`SimpleRNNCell` and `SimpleRNN`: the fully connected recurrent layer.

The cell and the layer over it share one file, as in Keras: the layer is
the cell's arguments plus the RNN options.
"""

from lamina import ops
from lamina.layers.recurrent.cell_base import (
    RECURRENT_ARGUMENTS,
    CellRNN,
    RecurrentCell,
)
from lamina.legacy.arguments import legacy_arguments


class SimpleRNNCell(RecurrentCell):
    """One step of a fully connected RNN:
    `h = activation(x @ kernel + bias + h_tm1 @ recurrent_kernel)`.

    Args:
        units: size of the output and the state.
        activation: default tanh; None is linear.
        use_bias, initializers, regularizers, constraints: for kernel
            (in, u), recurrent_kernel (u, u) and bias (u,).
        dropout, recurrent_dropout: fractions of the inputs / the previous
            output dropped in training (one mask per sequence).
        seed: seed of the dropout masks.
    """

    @legacy_arguments(RECURRENT_ARGUMENTS)
    def __init__(self, units, activation="tanh", use_bias=True,
                 kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0,
                 seed=None, **kwargs):
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

    def build(self, input_shape):
        self._add_weights(self._input_dim(input_shape), 1)

    def recur(self, projected, states, training=False):
        h_tm1 = states[0] if isinstance(states, (list, tuple)) else states
        h_tm1 = self._recurrent_dropped(h_tm1, training)
        output = self.activation(ops.add(
            projected, ops.matmul(h_tm1, self.recurrent_kernel.value)))
        return output, [output]


class SimpleRNN(CellRNN):
    """Fully connected RNN: the output is fed back as the next input.

    Runs a `SimpleRNNCell` over the time axis (on torch, in the fused
    `rnn_tanh` kernel when the activation is tanh and there is no
    recurrent dropout).

    Args:
        units, activation, use_bias, initializers, regularizers,
        constraints, dropout, recurrent_dropout, seed: as `SimpleRNNCell`.
        activity_regularizer: a penalty on the output.
        return_sequences, return_state, go_backwards, stateful, unroll:
            as `RNN`.

    Input shape:
        `(batch, timesteps, features)`.

    Output shape:
        `(batch, units)`, or `(batch, timesteps, units)` with
        `return_sequences`; with `return_state`, a list `[output, h]`.

    Example:

    >>> import numpy as np, lamina
    >>> layer = lamina.layers.SimpleRNN(4, return_sequences=True)
    >>> tuple(layer(np.ones((2, 3, 5), "float32")).shape)
    (2, 3, 4)
    """

    cell_class = SimpleRNNCell
    cell_name = "simple_rnn_cell"
    fused = "simple_rnn"

    @legacy_arguments(RECURRENT_ARGUMENTS)
    def __init__(self, units, activation="tanh", use_bias=True,
                 kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None,
                 dropout=0.0, recurrent_dropout=0.0, seed=None,
                 return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, unroll=False,
                 **kwargs):
        cell_kwargs = {
            "units": units, "activation": activation, "use_bias": use_bias,
            "kernel_initializer": kernel_initializer,
            "recurrent_initializer": recurrent_initializer,
            "bias_initializer": bias_initializer,
            "kernel_regularizer": kernel_regularizer,
            "recurrent_regularizer": recurrent_regularizer,
            "bias_regularizer": bias_regularizer,
            "kernel_constraint": kernel_constraint,
            "recurrent_constraint": recurrent_constraint,
            "bias_constraint": bias_constraint, "dropout": dropout,
            "recurrent_dropout": recurrent_dropout, "seed": seed}
        super().__init__(
            cell_kwargs, activity_regularizer=activity_regularizer,
            return_sequences=return_sequences, return_state=return_state,
            go_backwards=go_backwards, stateful=stateful, unroll=unroll,
            **kwargs)
