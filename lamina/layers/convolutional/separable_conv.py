"""`SeparableConv1D`, `SeparableConv2D`: depthwise then pointwise.

A depthwise convolution (each channel with its own `depth_multiplier`
filters) followed by a 1x1 convolution that mixes the channels into
`filters` outputs (Chollet, 2017, "Xception"). The two classes share one
file because they differ only in their rank.
"""

from lamina import constraints, initializers, ops, regularizers
from lamina.layers.convolutional.base_conv import BaseConv, _positive_int
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.legacy import arguments as legacy


class BaseSeparableConv(BaseConv):
    """N-D depthwise-separable convolution.

    Args:
        rank: the number of spatial axes.
        depth_multiplier: depthwise filters per input channel.
        filters: output channels of the pointwise step.
        kernel_size, strides, padding ('valid' or 'same'), data_format,
        dilation_rate, activation, use_bias: as in `BaseConv`; strides,
            padding and dilation apply to the depthwise step.
        depthwise_initializer, pointwise_initializer, bias_initializer:
            initializers.
        depthwise_regularizer, pointwise_regularizer, bias_regularizer:
            weight penalties.
        activity_regularizer: a penalty on the output.
        depthwise_constraint, pointwise_constraint, bias_constraint:
            projections after each update.

    Weights, as in Keras: `depthwise_kernel` of shape `kernel_size +
    (in_channels, depth_multiplier)`, `pointwise_kernel` of shape
    `(1,) * rank + (in_channels * depth_multiplier, filters)`, `bias` of
    shape `(filters,)`.
    """

    def __init__(self, rank, depth_multiplier, filters, kernel_size,
                 strides=1, padding="valid", data_format=None,
                 dilation_rate=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform",
                 pointwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None,
                 pointwise_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, depthwise_constraint=None,
                 pointwise_constraint=None, bias_constraint=None, **kwargs):
        Layer.__init__(self, activity_regularizer=activity_regularizer,
                       **kwargs)
        name = type(self).__name__
        self.depth_multiplier = _positive_int(depth_multiplier,
                                              "depth_multiplier", name)
        self.filters = _positive_int(filters, "filters", name)
        self._init_window(rank, kernel_size, strides, padding, data_format,
                          dilation_rate, activation, use_bias,
                          bias_initializer, bias_regularizer,
                          bias_constraint)
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.pointwise_initializer = initializers.get(pointwise_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.pointwise_regularizer = regularizers.get(pointwise_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)
        self.pointwise_constraint = constraints.get(pointwise_constraint)

    def build(self, input_shape):
        axis, channels = self._input_channels(input_shape)
        self.depthwise_kernel = self.add_weight(
            name="depthwise_kernel",
            shape=self.kernel_size + (channels, self.depth_multiplier),
            initializer=self.depthwise_initializer,
            regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint)
        self.pointwise_kernel = self.add_weight(
            name="pointwise_kernel",
            shape=(1,) * self.rank + (channels * self.depth_multiplier,
                                      self.filters),
            initializer=self.pointwise_initializer,
            regularizer=self.pointwise_regularizer,
            constraint=self.pointwise_constraint)
        self._build_bias(self.filters)
        self.input_spec = InputSpec(min_ndim=self.rank + 2,
                                    axes={axis: channels})
        self.built = True

    def call(self, inputs):
        x = ops.depthwise_conv(
            inputs, self.depthwise_kernel, strides=self.strides,
            padding=self.padding, data_format=self.data_format,
            dilation_rate=self.dilation_rate)
        x = ops.conv(x, self.pointwise_kernel, strides=1, padding="valid",
                     data_format=self.data_format)
        return self._finish(x)

    def get_config(self):
        return {
            **Layer.get_config(self),
            "depth_multiplier": self.depth_multiplier,
            "filters": self.filters,
            **self._common_config(),
            **self._weight_config("depthwise", "pointwise", "bias"),
        }


class SeparableConv1D(BaseSeparableConv):
    """1D depthwise-separable convolution over `(batch, steps, channels)`.

    Args:
        filters, kernel_size, strides, padding, data_format,
        dilation_rate, depth_multiplier, activation, use_bias,
        depthwise_*, pointwise_*, bias_*, activity_regularizer: as in
        `BaseSeparableConv`.

    Input shape:
        `(batch, steps, channels)` (channels_last) or
        `(batch, channels, steps)` (channels_first).

    Output shape:
        `(batch, new_steps, filters)` (or channels first).
    """

    def __init__(self, filters, kernel_size, strides=1, padding="valid",
                 data_format=None, dilation_rate=1, depth_multiplier=1,
                 activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform",
                 pointwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None,
                 pointwise_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, depthwise_constraint=None,
                 pointwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(
            1, depth_multiplier, filters, kernel_size, strides=strides,
            padding=padding, data_format=data_format,
            dilation_rate=dilation_rate, activation=activation,
            use_bias=use_bias, depthwise_initializer=depthwise_initializer,
            pointwise_initializer=pointwise_initializer,
            bias_initializer=bias_initializer,
            depthwise_regularizer=depthwise_regularizer,
            pointwise_regularizer=pointwise_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            depthwise_constraint=depthwise_constraint,
            pointwise_constraint=pointwise_constraint,
            bias_constraint=bias_constraint, **kwargs)


class SeparableConv2D(BaseSeparableConv):
    """2D depthwise-separable convolution over images.

    Args:
        filters, kernel_size, strides, padding, data_format,
        dilation_rate, depth_multiplier, activation, use_bias,
        depthwise_*, pointwise_*, bias_*, activity_regularizer: as in
        `BaseSeparableConv`.

    Input shape:
        `(batch, rows, cols, channels)` (channels_last) or
        `(batch, channels, rows, cols)` (channels_first).

    Output shape:
        `(batch, new_rows, new_cols, filters)` (or channels first).
    """

    @legacy.legacy_arguments(legacy.SEPARABLE_ARGUMENTS)
    def __init__(self, filters, kernel_size, strides=(1, 1),
                 padding="valid", data_format=None, dilation_rate=(1, 1),
                 depth_multiplier=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform",
                 pointwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None,
                 pointwise_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, depthwise_constraint=None,
                 pointwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(
            2, depth_multiplier, filters, kernel_size, strides=strides,
            padding=padding, data_format=data_format,
            dilation_rate=dilation_rate, activation=activation,
            use_bias=use_bias, depthwise_initializer=depthwise_initializer,
            pointwise_initializer=pointwise_initializer,
            bias_initializer=bias_initializer,
            depthwise_regularizer=depthwise_regularizer,
            pointwise_regularizer=pointwise_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            depthwise_constraint=depthwise_constraint,
            pointwise_constraint=pointwise_constraint,
            bias_constraint=bias_constraint, **kwargs)


# Keras 3 exports these spellings as the same classes.
SeparableConvolution1D = SeparableConv1D
SeparableConvolution2D = SeparableConv2D
