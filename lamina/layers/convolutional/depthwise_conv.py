"""`DepthwiseConv1D`, `DepthwiseConv2D`: per-channel convolutions.

Each input channel is convolved with its own `depth_multiplier` filters,
so the output has `in_channels * depth_multiplier` channels (output
channel `c * depth_multiplier + m` comes from input channel `c`). The two
classes share one file because they differ only in their rank.
"""

from lamina import constraints, initializers, ops, regularizers
from lamina.layers.convolutional.base_conv import BaseConv, _positive_int
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer


class BaseDepthwiseConv(BaseConv):
    """N-D depthwise convolution.

    Args:
        rank: the number of spatial axes.
        depth_multiplier: filters per input channel.
        kernel_size, strides, padding ('valid' or 'same'), data_format,
        dilation_rate, activation, use_bias: as in `BaseConv`.
        depthwise_initializer, bias_initializer: initializers.
        depthwise_regularizer, bias_regularizer: weight penalties.
        activity_regularizer: a penalty on the output.
        depthwise_constraint, bias_constraint: projections after updates.

    Weights: `kernel` of shape `kernel_size + (in_channels,
    depth_multiplier)` and `bias` of shape `(in_channels *
    depth_multiplier,)`, as in Keras.
    """

    def __init__(self, rank, depth_multiplier, kernel_size, strides=1,
                 padding="valid", data_format=None, dilation_rate=1,
                 activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, bias_constraint=None, **kwargs):
        Layer.__init__(self, activity_regularizer=activity_regularizer,
                       **kwargs)
        self.depth_multiplier = _positive_int(
            depth_multiplier, "depth_multiplier", type(self).__name__)
        self._init_window(rank, kernel_size, strides, padding, data_format,
                          dilation_rate, activation, use_bias,
                          bias_initializer, bias_regularizer,
                          bias_constraint)
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)

    def build(self, input_shape):
        axis, channels = self._input_channels(input_shape)
        self.kernel = self.add_weight(
            name="kernel",
            shape=self.kernel_size + (channels, self.depth_multiplier),
            initializer=self.depthwise_initializer,
            regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint)
        self._build_bias(channels * self.depth_multiplier)
        self.input_spec = InputSpec(min_ndim=self.rank + 2,
                                    axes={axis: channels})
        self.built = True

    def call(self, inputs):
        return self._finish(ops.depthwise_conv(
            inputs, self.kernel, strides=self.strides, padding=self.padding,
            data_format=self.data_format, dilation_rate=self.dilation_rate))

    def compute_output_shape(self, input_shape):
        channels = input_shape[1 if self.data_format == "channels_first"
                               else -1]
        if channels is not None:
            channels *= self.depth_multiplier
        return self._with_spatial(input_shape,
                                  self._spatial_output(input_shape),
                                  channels)

    def get_config(self):
        return {
            **Layer.get_config(self),
            "depth_multiplier": self.depth_multiplier,
            **self._common_config(),
            **self._weight_config("depthwise", "bias"),
        }


class DepthwiseConv1D(BaseDepthwiseConv):
    """1D depthwise convolution over `(batch, steps, channels)`.

    Args:
        kernel_size, strides, padding, depth_multiplier, data_format,
        dilation_rate, activation, use_bias, depthwise_*, bias_*,
        activity_regularizer: as in `BaseDepthwiseConv`.

    Input shape:
        `(batch, steps, channels)` (channels_last) or
        `(batch, channels, steps)` (channels_first).

    Output shape:
        `(batch, new_steps, channels * depth_multiplier)` (or channels
        first).
    """

    def __init__(self, kernel_size, strides=1, padding="valid",
                 depth_multiplier=1, data_format=None, dilation_rate=1,
                 activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(
            1, depth_multiplier, kernel_size, strides=strides,
            padding=padding, data_format=data_format,
            dilation_rate=dilation_rate, activation=activation,
            use_bias=use_bias, depthwise_initializer=depthwise_initializer,
            bias_initializer=bias_initializer,
            depthwise_regularizer=depthwise_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            depthwise_constraint=depthwise_constraint,
            bias_constraint=bias_constraint, **kwargs)


class DepthwiseConv2D(BaseDepthwiseConv):
    """2D depthwise convolution over images.

    Args:
        kernel_size, strides, padding, depth_multiplier, data_format,
        dilation_rate, activation, use_bias, depthwise_*, bias_*,
        activity_regularizer: as in `BaseDepthwiseConv`.

    Input shape:
        `(batch, rows, cols, channels)` (channels_last) or
        `(batch, channels, rows, cols)` (channels_first).

    Output shape:
        `(batch, new_rows, new_cols, channels * depth_multiplier)` (or
        channels first).

    Example:

    >>> import numpy as np
    >>> from lamina.layers.convolutional import DepthwiseConv2D
    >>> layer = DepthwiseConv2D(3, depth_multiplier=2)
    >>> tuple(layer(np.ones((1, 6, 6, 4))).shape)
    (1, 4, 4, 8)
    """

    def __init__(self, kernel_size, strides=(1, 1), padding="valid",
                 depth_multiplier=1, data_format=None, dilation_rate=(1, 1),
                 activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(
            2, depth_multiplier, kernel_size, strides=strides,
            padding=padding, data_format=data_format,
            dilation_rate=dilation_rate, activation=activation,
            use_bias=use_bias, depthwise_initializer=depthwise_initializer,
            bias_initializer=bias_initializer,
            depthwise_regularizer=depthwise_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            depthwise_constraint=depthwise_constraint,
            bias_constraint=bias_constraint, **kwargs)
