"""`ConvLSTM1D`, `ConvLSTM2D`, `ConvLSTM3D` and their cell.

An LSTM whose input and recurrent transformations are convolutions (Shi et
al., 2015, "Convolutional LSTM Network"). The cell and the three layers
share one file, as in Keras: they differ only in the convolution rank.
"""

from lamina import activations, ops
from lamina.backend import standardize_data_format
from lamina.layers.convolutional import _arguments as conv_args
from lamina.layers.input_spec import InputSpec
from lamina.layers.recurrent.cell_base import (
    CellRNN,
    RecurrentCell,
    forget_bias_initializer,
)


class ConvLSTMCell(RecurrentCell):
    """One step of a convolutional LSTM.

    As `LSTMCell`, with `x @ kernel` replaced by a convolution of the input
    (`strides`, `padding`, `dilation_rate`) and `h @ recurrent_kernel` by a
    stride-1 'same' convolution of the previous output. Weights: kernel
    (*kernel_size, in, 4 * filters), recurrent_kernel (*kernel_size,
    filters, 4 * filters), bias (4 * filters,); gates i, f, c, o.

    Args:
        rank: 1, 2 or 3.
        filters: output channels.
        kernel_size, strides, padding, data_format, dilation_rate: of the
            input convolution.
        Others: as `LSTMCell`.
    """

    config_keys = RecurrentCell.config_keys + (
        "recurrent_activation", "unit_forget_bias", "filters", "kernel_size",
        "strides", "padding", "data_format", "dilation_rate")

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid",
                 data_format=None, dilation_rate=1, activation="tanh",
                 recurrent_activation="sigmoid", unit_forget_bias=True,
                 **kwargs):
        super().__init__(filters, activation=activation, **kwargs)
        if rank not in (1, 2, 3):
            raise ValueError(f"ConvLSTMCell: `rank` must be 1, 2 or 3, got "
                             f"{rank!r}.")
        self.rank = rank
        self.filters = filters
        self.kernel_size = conv_args.standardize_tuple(kernel_size, rank,
                                                       "kernel_size")
        self.strides = conv_args.standardize_tuple(strides, rank, "strides")
        self.padding = conv_args.standardize_padding(padding)
        self.data_format = standardize_data_format(data_format)
        self.dilation_rate = conv_args.standardize_tuple(
            dilation_rate, rank, "dilation_rate")
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(
                f"ConvLSTMCell: `strides` > 1 and `dilation_rate` > 1 can't "
                f"be combined; got strides={self.strides}, dilation_rate="
                f"{self.dilation_rate}.")
        self.recurrent_activation = activations.get(recurrent_activation)
        self.unit_forget_bias = bool(unit_forget_bias)
        self.state_size = [filters, filters]
        self._axis = conv_args.channel_axis(self.data_format)

    def build(self, input_shape):
        spatial = conv_args.spatial_axes(self.rank, self.data_format)
        self.spatial_dims = tuple(input_shape[a] for a in spatial)
        channels = input_shape[self._axis]
        if None in self.spatial_dims or channels is None:
            raise ValueError(
                f"Layer '{self.name}': ConvLSTM needs known spatial and "
                f"channel sizes, got input shape {tuple(input_shape)}.")
        self.input_dim = channels
        units, k = self.filters, self.kernel_size
        self.kernel = self.add_weight(
            name="kernel", shape=k + (channels, 4 * units),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint)
        self.recurrent_kernel = self.add_weight(
            name="recurrent_kernel", shape=k + (units, 4 * units),
            initializer=self.recurrent_initializer,
            regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias", shape=(4 * units,),
                initializer=forget_bias_initializer(self),
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint)
        self.built = True

    def output_shape(self, batch):
        """The (batch, ...) shape of the output and of each state."""
        spatial = tuple(conv_args.conv_output_length(
            n, k, self.padding, s, d) for n, k, s, d in zip(
                self.spatial_dims, self.kernel_size, self.strides,
                self.dilation_rate))
        if self.data_format == "channels_last":
            return (batch,) + spatial + (self.filters,)
        return (batch, self.filters) + spatial

    def get_initial_state(self, batch_size=None):
        shape = self.output_shape(batch_size)
        return [ops.zeros(shape, dtype=self.compute_dtype),
                ops.zeros(shape, dtype=self.compute_dtype)]

    def _bias_shape(self):
        if self.data_format == "channels_last":
            return (1,) * (self.rank + 1) + (4 * self.filters,)
        return (1, 4 * self.filters) + (1,) * self.rank

    def project(self, inputs):
        """The input convolution plus bias, for one step (batch, ...) or a
        whole sequence (batch, time, ...)."""
        shape = tuple(ops.shape(inputs))
        sequence = len(shape) == self.rank + 3
        x = ops.reshape(inputs, (-1,) + shape[2:]) if sequence else inputs
        x = ops.conv(x, self.kernel.value, strides=self.strides,
                     padding=self.padding, data_format=self.data_format,
                     dilation_rate=self.dilation_rate)
        if self.bias is not None:
            x = ops.add(x, ops.reshape(self.bias.value, self._bias_shape()))
        if sequence:
            x = ops.reshape(x, shape[:2] + tuple(ops.shape(x))[1:])
        return x

    def recur(self, projected, states, training=False):
        h_tm1, c_tm1 = states[0], states[1]
        h_dropped = self._recurrent_dropped(h_tm1, training)
        z = ops.add(projected, ops.conv(
            h_dropped, self.recurrent_kernel.value, strides=1,
            padding="same", data_format=self.data_format))
        z_i, z_f, z_c, z_o = ops.split(z, 4, axis=self._axis)
        gate = self.recurrent_activation
        c = ops.add(ops.multiply(gate(z_f), c_tm1),
                    ops.multiply(gate(z_i), self.activation(z_c)))
        h = ops.multiply(gate(z_o), self.activation(c))
        return h, [h, c]

    def get_config(self):
        config = super().get_config()
        del config["units"]
        return {**config, "rank": self.rank, "filters": self.filters,
                "kernel_size": self.kernel_size, "strides": self.strides,
                "padding": self.padding, "data_format": self.data_format,
                "dilation_rate": self.dilation_rate,
                "recurrent_activation": activations.serialize(
                    self.recurrent_activation),
                "unit_forget_bias": self.unit_forget_bias}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class ConvLSTM(CellRNN):
    """Base of the ConvLSTM layers (`rank` is set by the subclasses).

    Args:
        filters, kernel_size, strides, padding, data_format, dilation_rate:
            of the input convolution (the recurrent one is stride 1,
            'same').
        activation, recurrent_activation, use_bias, initializers,
        regularizers, constraints, unit_forget_bias, dropout,
        recurrent_dropout, seed: as `LSTM`.
        return_sequences, return_state, go_backwards, stateful: as `RNN`.

    Input shape:
        `(batch, time, *spatial, channels)` (channels_last) or
        `(batch, time, channels, *spatial)`.

    Output shape:
        `(batch, *conv_spatial, filters)` (channels_last), with a time
        axis after the batch with `return_sequences`; with `return_state`,
        a list `[output, h, c]`.
    """

    rank = None
    cell_class = ConvLSTMCell
    cell_name = "conv_lstm_cell"
    fused = None

    def __init__(self, filters, kernel_size, strides=1, padding="valid",
                 data_format=None, dilation_rate=1, activation="tanh",
                 recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal",
                 bias_initializer="zeros", unit_forget_bias=True,
                 kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0,
                 seed=None, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, **kwargs):
        cell_kwargs = {
            "rank": self.rank, "filters": filters, "kernel_size": kernel_size,
            "strides": strides, "padding": padding, "data_format": data_format,
            "dilation_rate": dilation_rate, "activation": activation,
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
            cell_kwargs, activity_regularizer=activity_regularizer,
            return_sequences=return_sequences, return_state=return_state,
            go_backwards=go_backwards, stateful=stateful, **kwargs)
        self.input_spec = InputSpec(ndim=self.rank + 3)

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        cell = self.cell
        if not cell.built:
            cell.build((sequences_shape[0],) + tuple(sequences_shape[2:]))
        state = cell.output_shape(sequences_shape[0])
        output = (state[0], sequences_shape[1]) + state[1:] \
            if self.return_sequences else state
        return [output, state, state] if self.return_state else output

    def get_config(self):
        config = super().get_config()
        del config["rank"]  # set by the class
        return config


class ConvLSTM1D(ConvLSTM):
    """1D convolutional LSTM: inputs `(batch, time, steps, channels)`.

    Example:

    >>> import numpy as np, lamina
    >>> layer = lamina.layers.ConvLSTM1D(4, 3, padding="same")
    >>> tuple(layer(np.ones((2, 5, 8, 3), "float32")).shape)
    (2, 8, 4)
    """

    rank = 1


class ConvLSTM2D(ConvLSTM):
    """2D convolutional LSTM: inputs `(batch, time, rows, cols, channels)`.

    Example:

    >>> import numpy as np, lamina
    >>> layer = lamina.layers.ConvLSTM2D(4, (3, 3), return_sequences=True)
    >>> tuple(layer(np.ones((2, 5, 8, 8, 3), "float32")).shape)
    (2, 5, 6, 6, 4)
    """

    rank = 2


class ConvLSTM3D(ConvLSTM):
    """3D convolutional LSTM: inputs `(batch, time, d1, d2, d3,
    channels)`."""

    rank = 3
