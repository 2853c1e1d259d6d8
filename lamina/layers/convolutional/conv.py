"""`Conv1D`, `Conv2D`, `Conv3D`: convolution layers.

The three share one file because they differ only in their rank (and
Conv1D's 'causal' padding); everything else is `BaseConv`.
"""

from lamina import ops
from lamina.layers.convolutional.base_conv import BaseConv
from lamina.legacy import arguments as legacy


class Conv1D(BaseConv):
    """1D convolution (temporal convolution) over `(batch, steps, channels)`.

    Args:
        filters, kernel_size, strides, padding, data_format, dilation_rate,
        groups, activation, use_bias, *_initializer, *_regularizer,
        activity_regularizer, *_constraint: as in `BaseConv`. `padding`
        may also be 'causal': the input is padded with
        `dilation_rate * (kernel_size - 1)` zeros at the start only, so
        output step t sees no input after step t (WaveNet, van den Oord et
        al., 2016).

    Input shape:
        `(batch, steps, channels)` (channels_last) or
        `(batch, channels, steps)` (channels_first).

    Output shape:
        `(batch, new_steps, filters)` (or channels first).

    Example:

    >>> import numpy as np
    >>> from lamina import ops
    >>> from lamina.layers.convolutional import Conv1D
    >>> layer = Conv1D(2, 3, kernel_initializer="ones")
    >>> ops.convert_to_numpy(layer(np.ones((1, 5, 1)))).tolist()
    [[[3.0, 3.0], [3.0, 3.0], [3.0, 3.0]]]
    """

    @legacy.legacy_arguments(legacy.CONV1D_ARGUMENTS)
    def __init__(self, filters, kernel_size, strides=1, padding="valid",
                 data_format=None, dilation_rate=1, groups=1,
                 activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(
            1, filters, kernel_size, strides=strides, padding=padding,
            data_format=data_format, dilation_rate=dilation_rate,
            groups=groups, activation=activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint, **kwargs)

    def call(self, inputs):
        padding = self.padding
        if padding == "causal":
            left = self.dilation_rate[0] * (self.kernel_size[0] - 1)
            pads = [(0, 0), (left, 0), (0, 0)]
            if self.data_format == "channels_first":
                pads = [(0, 0), (0, 0), (left, 0)]
            inputs = ops.pad(inputs, pads)
            padding = "valid"
        return self._finish(ops.conv(
            inputs, self.kernel, strides=self.strides, padding=padding,
            data_format=self.data_format, dilation_rate=self.dilation_rate,
            bias=self.bias), biased=True)


class Conv2D(BaseConv):
    """2D convolution (spatial convolution over images).

    Args:
        filters, kernel_size, strides, padding, data_format, dilation_rate,
        groups, activation, use_bias, *_initializer, *_regularizer,
        activity_regularizer, *_constraint: as in `BaseConv`.

    Input shape:
        `(batch, rows, cols, channels)` (channels_last) or
        `(batch, channels, rows, cols)` (channels_first).

    Output shape:
        `(batch, new_rows, new_cols, filters)` (or channels first).

    Example:

    >>> import numpy as np
    >>> from lamina.layers.convolutional import Conv2D
    >>> layer = Conv2D(4, 3, padding="same")
    >>> tuple(layer(np.ones((2, 8, 8, 3))).shape)
    (2, 8, 8, 4)
    """

    @legacy.legacy_arguments(legacy.CONV_ARGUMENTS)
    def __init__(self, filters, kernel_size, strides=(1, 1),
                 padding="valid", data_format=None, dilation_rate=(1, 1),
                 groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(
            2, filters, kernel_size, strides=strides, padding=padding,
            data_format=data_format, dilation_rate=dilation_rate,
            groups=groups, activation=activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint, **kwargs)


class Conv3D(BaseConv):
    """3D convolution (spatial convolution over volumes).

    Args:
        filters, kernel_size, strides, padding, data_format, dilation_rate,
        groups, activation, use_bias, *_initializer, *_regularizer,
        activity_regularizer, *_constraint: as in `BaseConv`.

    Input shape:
        `(batch, dim1, dim2, dim3, channels)` (channels_last) or
        `(batch, channels, dim1, dim2, dim3)` (channels_first).

    Output shape:
        `(batch, new_dim1, new_dim2, new_dim3, filters)` (or channels
        first).
    """

    @legacy.legacy_arguments(legacy.CONV_ARGUMENTS)
    def __init__(self, filters, kernel_size, strides=(1, 1, 1),
                 padding="valid", data_format=None,
                 dilation_rate=(1, 1, 1), groups=1, activation=None,
                 use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(
            3, filters, kernel_size, strides=strides, padding=padding,
            data_format=data_format, dilation_rate=dilation_rate,
            groups=groups, activation=activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint, **kwargs)


# Keras 3 exports these spellings as the same classes.
Convolution1D = Conv1D
Convolution2D = Conv2D
Convolution3D = Conv3D
