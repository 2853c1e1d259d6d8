"""`GRUCell` and `GRU` (Cho et al., 2014).

The cell and the layer over it share one file, as in Keras: the layer is
the cell's arguments plus the RNN options.
"""

from lamina import activations, ops
from lamina.layers.recurrent.cell_base import (
    RECURRENT_ARGUMENTS,
    CellRNN,
    RecurrentCell,
)
from lamina.legacy.arguments import legacy_arguments


class GRUCell(RecurrentCell):
    """One step of a gated recurrent unit layer.

    Gates in the order z (update), r (reset), h (candidate):
    `z = σ(x W_z + b_z + h_tm1 U_z + b'_z)`, `r` likewise, and with
    `reset_after=True` (default, the cuDNN / torch convention)
    `hh = tanh(x W_h + b_h + r * (h_tm1 U_h + b'_h))`, with
    `reset_after=False` `hh = tanh(x W_h + b_h + (r * h_tm1) U_h)`;
    then `h = z * h_tm1 + (1 - z) * hh`. Weights: kernel (in, 3u),
    recurrent_kernel (u, 3u), bias (2, 3u) with `reset_after` (input and
    recurrent biases) or (3u,) without.

    Args:
        units: size of the output and the state.
        activation: for the candidate (default tanh).
        recurrent_activation: for the gates (default sigmoid).
        use_bias, initializers, regularizers, constraints: for the
            weights above.
        dropout, recurrent_dropout: fractions of the inputs / the previous
            output dropped in training (one mask per sequence).
        reset_after: apply the reset gate after the recurrent matmul.
        seed: seed of the dropout masks.
    """

    config_keys = RecurrentCell.config_keys + (
        "recurrent_activation", "reset_after")

    @legacy_arguments(RECURRENT_ARGUMENTS)
    def __init__(self, units, activation="tanh",
                 recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0,
                 reset_after=True, seed=None, **kwargs):
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
        self.reset_after = bool(reset_after)

    def build(self, input_shape):
        shape = (2, 3 * self.units) if self.reset_after else None
        self._add_weights(self._input_dim(input_shape), 3, bias_shape=shape)

    def recur(self, projected, states, training=False):
        h_tm1 = states[0] if isinstance(states, (list, tuple)) else states
        h_dropped = self._recurrent_dropped(h_tm1, training)
        kernel_h = self.recurrent_kernel.value
        x_z, x_r, x_h = ops.split(projected, 3, axis=-1)
        gate = self.recurrent_activation
        if self.reset_after:
            inner = ops.matmul(h_dropped, kernel_h)
            if self.bias is not None:
                inner = ops.add(inner, self.bias.value[1])
            r_z, r_r, r_h = ops.split(inner, 3, axis=-1)
            z = gate(ops.add(x_z, r_z))
            r = gate(ops.add(x_r, r_r))
            candidate = ops.multiply(r, r_h)
        else:
            u = self.units
            inner = ops.matmul(h_dropped, kernel_h[:, :2 * u])
            r_z, r_r = ops.split(inner, 2, axis=-1)
            z = gate(ops.add(x_z, r_z))
            r = gate(ops.add(x_r, r_r))
            candidate = ops.matmul(ops.multiply(r, h_dropped),
                                   kernel_h[:, 2 * u:])
        hh = self.activation(ops.add(x_h, candidate))
        # The undropped previous output is mixed in (Keras semantics).
        h = ops.add(ops.multiply(z, h_tm1),
                    ops.multiply(ops.subtract(1.0, z), hh))
        return h, [h]

    def get_config(self):
        return {**super().get_config(),
                "recurrent_activation": activations.serialize(
                    self.recurrent_activation),
                "reset_after": self.reset_after}


class GRU(CellRNN):
    """Gated recurrent unit layer (Cho et al., 2014).

    Runs a `GRUCell` over the time axis. On the torch backend, with
    `reset_after=True` (torch's GRU), tanh / sigmoid and no recurrent
    dropout, the whole sequence runs in torch's fused GRU kernel; otherwise
    in the generic loop.

    Args:
        units, activation, recurrent_activation, use_bias, initializers,
        regularizers, constraints, dropout, recurrent_dropout,
        reset_after, seed: as `GRUCell`.
        activity_regularizer: a penalty on the output.
        return_sequences, return_state, go_backwards, stateful, unroll:
            as `RNN`.
        use_cudnn: 'auto' uses the backend's fused kernel when it can;
            False never does; True requires it.

    Input shape:
        `(batch, timesteps, features)`.

    Output shape:
        `(batch, units)`, or `(batch, timesteps, units)` with
        `return_sequences`; with `return_state`, a list `[output, h]`.

    Example:

    >>> import numpy as np, lamina
    >>> tuple(lamina.layers.GRU(4)(np.ones((2, 3, 5), "float32")).shape)
    (2, 4)
    """

    cell_class = GRUCell
    cell_name = "gru_cell"
    fused = "gru"

    @legacy_arguments(RECURRENT_ARGUMENTS)
    def __init__(self, units, activation="tanh",
                 recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None,
                 dropout=0.0, recurrent_dropout=0.0, seed=None,
                 return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, unroll=False,
                 reset_after=True, use_cudnn="auto", **kwargs):
        cell_kwargs = {
            "units": units, "activation": activation,
            "recurrent_activation": recurrent_activation, "use_bias": use_bias,
            "kernel_initializer": kernel_initializer,
            "recurrent_initializer": recurrent_initializer,
            "bias_initializer": bias_initializer,
            "kernel_regularizer": kernel_regularizer,
            "recurrent_regularizer": recurrent_regularizer,
            "bias_regularizer": bias_regularizer,
            "kernel_constraint": kernel_constraint,
            "recurrent_constraint": recurrent_constraint,
            "bias_constraint": bias_constraint, "dropout": dropout,
            "recurrent_dropout": recurrent_dropout, "reset_after": reset_after,
            "seed": seed}
        super().__init__(
            cell_kwargs, use_cudnn=use_cudnn,
            activity_regularizer=activity_regularizer,
            return_sequences=return_sequences, return_state=return_state,
            go_backwards=go_backwards, stateful=stateful, unroll=unroll,
            **kwargs)

    def _fused_ok(self, training):
        return self.cell.reset_after and super()._fused_ok(training)

    def _fused_arguments(self):
        return {"reset_after": self.cell.reset_after}
