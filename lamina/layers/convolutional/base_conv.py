"""`BaseConv`: the N-D convolution layer that Conv1D/2D/3D specialize."""

from lamina import (
    activations,
    backend,
    constraints,
    initializers,
    ops,
    regularizers,
)
from lamina.layers import validation
from lamina.layers.convolutional import _arguments as args
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.saving.config import serialize


class BaseConv(Layer):
    """N-D convolution: `activation(conv(inputs, kernel) + bias)`.

    Args:
        rank: the number of spatial axes (1, 2 or 3).
        filters: the number of output channels.
        kernel_size: an int or `rank` ints, the window size.
        strides: an int or `rank` ints. `strides > 1` can't be combined
            with `dilation_rate > 1`.
        padding: 'valid' (no padding) or 'same' (the output has
            `ceil(size / stride)` positions; an odd total padding puts the
            extra zero at the end). Conv1D also accepts 'causal'.
        data_format: 'channels_last' (batch, *spatial, channels) or
            'channels_first' (batch, channels, *spatial); default from
            `lamina.backend.image_data_format()`.
        dilation_rate: an int or `rank` ints, the spacing of kernel taps.
        groups: split the input channels into this many groups, each
            convolved with `filters // groups` filters (both the input
            channels and `filters` must divide by it).
        activation: activation function (name or callable); None is
            linear.
        use_bias: whether to add a bias vector.
        kernel_initializer, bias_initializer: initializers.
        kernel_regularizer, bias_regularizer: weight penalties.
        activity_regularizer: a penalty on the output.
        kernel_constraint, bias_constraint: projections after each update.

    Weights: `kernel` of shape `kernel_size + (in_channels // groups,
    filters)` and `bias` of shape `(filters,)`, as in Keras.
    """

    def __init__(self, rank, filters, kernel_size, strides=1,
                 padding="valid", data_format=None, dilation_rate=1,
                 groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        name = type(self).__name__
        self.filters = _positive_int(filters, "filters", name)
        if isinstance(groups, bool) or not isinstance(groups, int) \
                or groups <= 0 or filters % groups:
            raise ValueError(f"{name}: `groups` must be a positive integer "
                             f"dividing filters={filters}, got {groups!r}.")
        self.groups = groups
        self._init_window(rank, kernel_size, strides, padding, data_format,
                          dilation_rate, activation, use_bias,
                          bias_initializer, bias_regularizer,
                          bias_constraint, allow_causal=rank == 1)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)

    def _init_window(self, rank, kernel_size, strides, padding, data_format,
                     dilation_rate, activation, use_bias, bias_initializer,
                     bias_regularizer, bias_constraint, allow_causal=False):
        """Checks and stores the arguments every convolution layer has."""
        name = type(self).__name__
        self.rank = rank
        self.kernel_size = args.standardize_tuple(kernel_size, rank,
                                                  "kernel_size")
        self.strides = args.standardize_tuple(strides, rank, "strides")
        self.dilation_rate = args.standardize_tuple(dilation_rate, rank,
                                                    "dilation_rate")
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(f"{name}: `strides` > 1 can't be combined with "
                             f"`dilation_rate` > 1; got strides="
                             f"{self.strides}, dilation_rate="
                             f"{self.dilation_rate}.")
        self.padding = args.standardize_padding(padding, allow_causal)
        self.data_format = backend.standardize_data_format(data_format)
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.bias_initializer = initializers.get(bias_initializer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(min_ndim=rank + 2)
        self._linear = self.activation is activations.linear

    def _input_channels(self, input_shape):
        axis = args.channel_axis(self.data_format)
        channels = input_shape[axis]
        if channels is None:
            raise ValueError(f"Layer '{self.name}': the channel axis of the "
                             f"input must be known, got shape "
                             f"{tuple(input_shape)} ({self.data_format}).")
        return axis, channels

    def build(self, input_shape):
        axis, channels = self._input_channels(input_shape)
        if channels % self.groups:
            raise ValueError(f"Layer '{self.name}': the input's {channels} "
                             f"channels do not divide into groups="
                             f"{self.groups}.")
        self.kernel = self.add_weight(
            name="kernel",
            shape=self.kernel_size + (channels // self.groups, self.filters),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint)
        self._build_bias(self.filters)
        self.input_spec = InputSpec(min_ndim=self.rank + 2,
                                    axes={axis: channels})
        self.built = True

    def _build_bias(self, size):
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias", shape=(size,),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint)

    def _finish(self, x, biased=False):
        """Adds the bias (unless the convolution `biased` it already) and
        applies the activation."""
        if self.bias is not None and not biased:
            bias = self.bias
            if self.data_format == "channels_first":
                bias = ops.reshape(bias, (-1,) + (1,) * self.rank)
            x = ops.add(x, bias)
        return x if self._linear else self.activation(x)

    def call(self, inputs):
        return self._finish(ops.conv(
            inputs, self.kernel, strides=self.strides, padding=self.padding,
            data_format=self.data_format, dilation_rate=self.dilation_rate,
            bias=self.bias), biased=True)

    def _spatial_output(self, input_shape):
        axes = args.spatial_axes(self.rank, self.data_format)
        return [args.conv_output_length(input_shape[a], k, self.padding, s,
                                        d)
                for a, k, s, d in zip(axes, self.kernel_size, self.strides,
                                      self.dilation_rate)]

    def _with_spatial(self, input_shape, spatial, channels):
        if self.data_format == "channels_last":
            return (input_shape[0], *spatial, channels)
        return (input_shape[0], channels, *spatial)

    def compute_output_shape(self, input_shape):
        return self._with_spatial(input_shape,
                                  self._spatial_output(input_shape),
                                  self.filters)

    def _common_config(self):
        return {
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
        }

    def _weight_config(self, *prefixes):
        """Initializer, regularizer and constraint entries for the weights
        named by `prefixes` (e.g. 'kernel', 'bias')."""
        config = {}
        for kind in ("initializer", "regularizer", "constraint"):
            for prefix in prefixes:
                key = f"{prefix}_{kind}"
                config[key] = serialize(getattr(self, key))
        return config

    def get_config(self):
        return {
            **Layer.get_config(self),
            "filters": self.filters,
            **self._common_config(),
            "groups": self.groups,
            **self._weight_config("kernel", "bias"),
        }


def _positive_int(value, argument, name):
    return validation.positive_int(value, argument, name)
