"""`Activation`: applies an activation function to its input."""

from lamina import activations
from lamina.layers.layer import Layer


class Activation(Layer):
    """Applies `activation` elementwise.

    Args:
        activation: a name ('relu', 'softmax', ...) or a callable.

    Example:

    >>> import lamina
    >>> y = lamina.layers.Activation("relu")([[-1.0, 2.0]])
    >>> lamina.ops.convert_to_numpy(y).tolist()
    [[0.0, 2.0]]
    """

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = activations.get(activation)
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return self.activation(inputs)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(),
                "activation": activations.serialize(self.activation)}
