"""`BaseGlobalPooling`: pooling over all spatial axes at once."""

from lamina import backend
from lamina.layers.convolutional import _arguments as args
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer


class BaseGlobalPooling(Layer):
    """Reduces every spatial axis, leaving (batch, channels).

    Args:
        rank: the number of spatial axes (1, 2 or 3).
        data_format: 'channels_last' or 'channels_first'; default from
            `lamina.backend.image_data_format()`.
        keepdims: keep the spatial axes with size 1.
    """

    def __init__(self, rank, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        self.rank = rank
        self.data_format = backend.standardize_data_format(data_format)
        self.keepdims = bool(keepdims)
        self.input_spec = InputSpec(ndim=rank + 2)
        self._axes = args.spatial_axes(rank, self.data_format)
        self.built = True

    def compute_output_shape(self, input_shape):
        if self.keepdims:
            return tuple(1 if i in self._axes else d
                         for i, d in enumerate(input_shape))
        return tuple(d for i, d in enumerate(input_shape)
                     if i not in self._axes)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format,
                "keepdims": self.keepdims}
