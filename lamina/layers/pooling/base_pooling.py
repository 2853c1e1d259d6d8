"""`BasePooling`: the N-D pooling layer that Max/AveragePooling specialize."""

from lamina import backend, ops
from lamina.layers.convolutional import _arguments as args
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer


class BasePooling(Layer):
    """Max or average over sliding windows of the spatial axes.

    Args:
        rank: the number of spatial axes (1, 2 or 3).
        pool_size: an int or `rank` ints, the window size.
        pool_mode: 'max' or 'average'.
        strides: an int or `rank` ints; None means `pool_size`.
        padding: 'valid' (no padding) or 'same' (the output has
            `ceil(size / stride)` positions; padded positions never win a
            max and are left out of an average).
        data_format: 'channels_last' or 'channels_first'; default from
            `lamina.backend.image_data_format()`.
    """

    def __init__(self, rank, pool_size, pool_mode, strides=None,
                 padding="valid", data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.rank = rank
        self.pool_mode = pool_mode
        self.pool_size = args.standardize_tuple(pool_size, rank, "pool_size")
        self.strides = self.pool_size if strides is None else \
            args.standardize_tuple(strides, rank, "strides")
        self.padding = args.standardize_padding(padding)
        self.data_format = backend.standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=rank + 2)
        self._pool = ops.max_pool if pool_mode == "max" else \
            ops.average_pool
        self.built = True

    def call(self, inputs):
        return self._pool(inputs, self.pool_size, strides=self.strides,
                          padding=self.padding, data_format=self.data_format)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        for axis, k, s in zip(args.spatial_axes(self.rank, self.data_format),
                              self.pool_size, self.strides):
            shape[axis] = args.conv_output_length(shape[axis], k,
                                                  self.padding, s)
        return tuple(shape)

    def get_config(self):
        return {**super().get_config(), "pool_size": self.pool_size,
                "padding": self.padding, "strides": self.strides,
                "data_format": self.data_format}
