"""`Conv1DTranspose`, `Conv2DTranspose`, `Conv3DTranspose`.

A transposed convolution maps something shaped like a convolution's output
back to the shape of its input (it is the gradient of that convolution
with respect to its input). The three classes share one file because they
differ only in their rank.
"""

from lamina import ops
from lamina.layers.convolutional import _arguments as args
from lamina.layers.convolutional.base_conv import BaseConv
from lamina.layers.input_spec import InputSpec
from lamina.legacy import arguments as legacy


class BaseConvTranspose(BaseConv):
    """N-D transposed convolution (sometimes called deconvolution).

    Args:
        rank, filters, kernel_size, strides, padding ('valid' or 'same'),
        data_format, dilation_rate, activation, use_bias, *_initializer,
        *_regularizer, activity_regularizer, *_constraint: as in
        `BaseConv` (there are no groups).
        output_padding: None, or an int or `rank` ints, each smaller than
            the stride: extra positions at the end of each spatial axis.
            None infers the length `size * stride` ('same') or
            `size * stride + max(kernel - stride, 0)` ('valid').

    Weights: `kernel` of shape `kernel_size + (filters, in_channels)` and
    `bias` of shape `(filters,)`, as in Keras.

    The output is the gradient of a 'same'/'valid' convolution with this
    kernel, as in TensorFlow and Keras's JAX backend, on every lamina
    backend. (Keras's torch backend places an odd 'same' padding at the
    other end, e.g. kernel 3 with stride 2, and warns about it.)
    """

    def __init__(self, rank, filters, kernel_size, strides=1,
                 padding="valid", output_padding=None, data_format=None,
                 dilation_rate=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(
            rank, filters, kernel_size, strides=strides, padding=padding,
            data_format=data_format, dilation_rate=dilation_rate,
            activation=activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint, **kwargs)
        if self.padding == "causal":
            raise ValueError(f"{type(self).__name__}: `padding` must be "
                             "'valid' or 'same', got 'causal'.")
        self.output_padding = None
        if output_padding is not None:
            self.output_padding = args.standardize_tuple(
                output_padding, rank, "output_padding", allow_zero=True)
            if any(p >= s for p, s in zip(self.output_padding,
                                          self.strides)):
                raise ValueError(
                    f"{type(self).__name__}: each `output_padding` must be "
                    f"smaller than its stride; got output_padding="
                    f"{self.output_padding}, strides={self.strides}.")

    def build(self, input_shape):
        axis, channels = self._input_channels(input_shape)
        self.kernel = self.add_weight(
            name="kernel", shape=self.kernel_size + (self.filters, channels),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint)
        self._build_bias(self.filters)
        self.input_spec = InputSpec(min_ndim=self.rank + 2,
                                    axes={axis: channels})
        self.built = True

    def call(self, inputs):
        return self._finish(ops.conv_transpose(
            inputs, self.kernel, strides=self.strides, padding=self.padding,
            output_padding=self.output_padding,
            data_format=self.data_format, dilation_rate=self.dilation_rate))

    def compute_output_shape(self, input_shape):
        axes = args.spatial_axes(self.rank, self.data_format)
        output_padding = self.output_padding or (None,) * self.rank
        spatial = [args.deconv_output_length(input_shape[a], k, self.padding,
                                             p, s, d)
                   for a, k, p, s, d in zip(axes, self.kernel_size,
                                            output_padding, self.strides,
                                            self.dilation_rate)]
        return self._with_spatial(input_shape, spatial, self.filters)

    def get_config(self):
        config = super().get_config()
        del config["groups"]
        config["output_padding"] = self.output_padding
        return config


class Conv1DTranspose(BaseConvTranspose):
    """1D transposed convolution.

    Args:
        filters, kernel_size, strides, padding, output_padding,
        data_format, dilation_rate, activation, use_bias, *_initializer,
        *_regularizer, activity_regularizer, *_constraint: as in
        `BaseConvTranspose`.

    Input shape:
        `(batch, steps, channels)` (channels_last) or
        `(batch, channels, steps)` (channels_first).

    Output shape:
        `(batch, new_steps, filters)` (or channels first).
    """

    @legacy.legacy_arguments(legacy.CONV_ARGUMENTS)
    def __init__(self, filters, kernel_size, strides=1,
                 padding="valid", output_padding=None, data_format=None,
                 dilation_rate=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(
            1, filters, kernel_size, strides=strides, padding=padding,
            output_padding=output_padding, data_format=data_format,
            dilation_rate=dilation_rate, activation=activation,
            use_bias=use_bias, kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint, **kwargs)


class Conv2DTranspose(BaseConvTranspose):
    """2D transposed convolution.

    Args:
        filters, kernel_size, strides, padding, output_padding,
        data_format, dilation_rate, activation, use_bias, *_initializer,
        *_regularizer, activity_regularizer, *_constraint: as in
        `BaseConvTranspose`.

    Input shape:
        `(batch, rows, cols, channels)` (channels_last) or
        `(batch, channels, rows, cols)` (channels_first).

    Output shape:
        `(batch, new_rows, new_cols, filters)` (or channels first).

    Example:

    >>> import numpy as np
    >>> from lamina.layers.convolutional import Conv2DTranspose
    >>> layer = Conv2DTranspose(4, 3, strides=2, padding="same")
    >>> tuple(layer(np.ones((2, 5, 5, 3))).shape)
    (2, 10, 10, 4)
    """

    @legacy.legacy_arguments(legacy.CONV_ARGUMENTS)
    def __init__(self, filters, kernel_size, strides=(1, 1),
                 padding="valid", output_padding=None, data_format=None,
                 dilation_rate=(1, 1), activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(
            2, filters, kernel_size, strides=strides, padding=padding,
            output_padding=output_padding, data_format=data_format,
            dilation_rate=dilation_rate, activation=activation,
            use_bias=use_bias, kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint, **kwargs)


class Conv3DTranspose(BaseConvTranspose):
    """3D transposed convolution.

    Args:
        filters, kernel_size, strides, padding, output_padding,
        data_format, dilation_rate, activation, use_bias, *_initializer,
        *_regularizer, activity_regularizer, *_constraint: as in
        `BaseConvTranspose`.

    Input shape:
        `(batch, dim1, dim2, dim3, channels)` (channels_last) or
        `(batch, channels, dim1, dim2, dim3)` (channels_first).

    Output shape:
        `(batch, new_dim1, new_dim2, new_dim3, filters)` (or channels first).
    """

    @legacy.legacy_arguments(legacy.CONV_ARGUMENTS)
    def __init__(self, filters, kernel_size, strides=(1, 1, 1),
                 padding="valid", output_padding=None, data_format=None,
                 dilation_rate=(1, 1, 1), activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(
            3, filters, kernel_size, strides=strides, padding=padding,
            output_padding=output_padding, data_format=data_format,
            dilation_rate=dilation_rate, activation=activation,
            use_bias=use_bias, kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint, **kwargs)


# Keras 3 exports these spellings as the same classes.
Convolution1DTranspose = Conv1DTranspose
Convolution2DTranspose = Conv2DTranspose
Convolution3DTranspose = Conv3DTranspose
