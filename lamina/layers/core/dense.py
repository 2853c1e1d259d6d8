"""`Dense`: the fully connected layer, `activation(inputs @ kernel + bias)`."""

from lamina import activations, constraints, initializers, ops, regularizers
from lamina.layers import validation
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.legacy.arguments import KERNEL_ARGUMENTS, legacy_arguments
from lamina.saving.config import serialize


class Dense(Layer):
    """A densely connected layer.

    Computes `activation(dot(inputs, kernel) + bias)` on the last axis of
    the input. The Keras 1 spellings (`output_dim`, `init`, `bias`,
    `W_regularizer`, `b_regularizer`, `W_constraint`, `b_constraint`,
    `weights=[W, b]`) are accepted with a warning.

    Args:
        units: dimensionality of the output.
        activation: activation function (name or callable); None is linear.
        use_bias: whether to add a bias vector.
        kernel_initializer, bias_initializer: initializers.
        kernel_regularizer, bias_regularizer: weight penalties.
        activity_regularizer: a penalty on the output.
        kernel_constraint, bias_constraint: projections after each update.

    Input shape:
        `(batch_size, ..., input_dim)`.

    Output shape:
        `(batch_size, ..., units)`.

    Example:

    >>> import numpy as np, lamina
    >>> layer = lamina.layers.Dense(3, kernel_initializer="ones")
    >>> lamina.ops.convert_to_numpy(layer(np.ones((2, 4)))).tolist()
    [[4.0, 4.0, 4.0], [4.0, 4.0, 4.0]]
    """

    @legacy_arguments(KERNEL_ARGUMENTS)
    def __init__(self, units, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.units = validation.positive_int(units, "units", "Dense")
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(min_ndim=2)
        self.supports_masking = True
        self._linear = self.activation is activations.linear

    def build(self, input_shape):
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError(f"Layer '{self.name}': the last axis of the "
                             f"input must be known, got shape "
                             f"{tuple(input_shape)}.")
        self.kernel = self.add_weight(
            name="kernel", shape=(input_dim, self.units),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias", shape=(self.units,),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint)
        self.input_spec = InputSpec(min_ndim=2, axes={-1: input_dim})
        self.built = True

    def call(self, inputs):
        x = ops.matmul(inputs, self.kernel)
        if self.bias is not None:
            x = ops.add(x, self.bias)
        return x if self._linear else self.activation(x)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def get_config(self):
        return {
            **super().get_config(),
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": serialize(self.kernel_initializer),
            "bias_initializer": serialize(self.bias_initializer),
            "kernel_regularizer": serialize(self.kernel_regularizer),
            "bias_regularizer": serialize(self.bias_regularizer),
            "kernel_constraint": serialize(self.kernel_constraint),
            "bias_constraint": serialize(self.bias_constraint),
        }
