"""`Flatten`: collapses every axis but the batch axis into one."""

from lamina import backend, ops
from lamina.layers.layer import Layer


class Flatten(Layer):
    """Flattens the input to `(batch_size, features)`.

    Args:
        data_format: 'channels_last' or 'channels_first'; with
            'channels_first' the input is first transposed to channels-last
            so that weights saved in either ordering stay compatible.
    """

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = backend.standardize_data_format(data_format)
        self.built = True

    def call(self, inputs):
        shape = ops.shape(inputs)
        if self.data_format == "channels_first" and len(shape) > 2:
            inputs = ops.transpose(inputs, (0, *range(2, len(shape)), 1))
        return ops.reshape(inputs, (shape[0], -1))

    def compute_output_shape(self, input_shape):
        size = 1
        for d in input_shape[1:]:
            if d is None:
                return (input_shape[0], None)
            size *= d
        return (input_shape[0], size)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}
