"""`PReLU`: leaky ReLU with a learned slope (He et al., 2015,
https://arxiv.org/abs/1502.01852)."""

from lamina import constraints, initializers, ops, regularizers
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.legacy.arguments import legacy_arguments
from lamina.saving.config import serialize


class PReLU(Layer):
    """Parametric ReLU: `f(x) = x` if `x >= 0` else `alpha * x`, with
    `alpha` a learned array shaped like one sample of the input.

    Args:
        alpha_initializer: initializer for `alpha` (Keras 1: `init`).
        alpha_regularizer: penalty on `alpha`.
        alpha_constraint: projection of `alpha` after each update.
        shared_axes: axes (1 = first non-batch axis) along which one slope
            is shared, e.g. `[1, 2]` for one slope per channel of a
            `(batch, height, width, channels)` feature map.

    Weights:
        `alpha`, shaped `input_shape[1:]` with shared axes of size 1.
    """

    @legacy_arguments({"init": "alpha_initializer"})
    def __init__(self, alpha_initializer="Zeros", alpha_regularizer=None,
                 alpha_constraint=None, shared_axes=None, **kwargs):
        super().__init__(**kwargs)
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        self.alpha_constraint = constraints.get(alpha_constraint)
        if shared_axes is None:
            self.shared_axes = None
        elif isinstance(shared_axes, int) and not isinstance(shared_axes,
                                                             bool):
            self.shared_axes = [shared_axes]
        else:
            self.shared_axes = list(shared_axes)
        if self.shared_axes is not None and any(
                isinstance(a, bool) or not isinstance(a, int) or a < 1
                for a in self.shared_axes):
            raise ValueError(f"PReLU: `shared_axes` must be positive ints "
                             f"(1 is the first non-batch axis), got "
                             f"{shared_axes!r}.")
        self.supports_masking = True

    def build(self, input_shape):
        shape = list(input_shape[1:])
        shared = self.shared_axes or []
        for axis in shared:
            if axis >= len(input_shape):
                raise ValueError(f"Layer '{self.name}': shared axis {axis} "
                                 f"is out of range for an input of shape "
                                 f"{tuple(input_shape)}.")
            shape[axis - 1] = 1
        if None in shape:
            raise ValueError(f"Layer '{self.name}': the non-shared axes of "
                             f"the input must have known sizes, got shape "
                             f"{tuple(input_shape)}; share the unknown "
                             f"axes with `shared_axes`.")
        self.alpha = self.add_weight(
            name="alpha", shape=shape, initializer=self.alpha_initializer,
            regularizer=self.alpha_regularizer,
            constraint=self.alpha_constraint)
        self.input_spec = InputSpec(ndim=len(input_shape), axes={
            i: input_shape[i] for i in range(1, len(input_shape))
            if i not in shared})
        self.built = True

    def call(self, inputs):
        negative = ops.multiply(self.alpha.value,
                                ops.relu(ops.negative(inputs)))
        return ops.subtract(ops.relu(inputs), negative)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {
            **super().get_config(),
            "alpha_initializer": serialize(self.alpha_initializer),
            "alpha_regularizer": serialize(self.alpha_regularizer),
            "alpha_constraint": serialize(self.alpha_constraint),
            "shared_axes": self.shared_axes,
        }
