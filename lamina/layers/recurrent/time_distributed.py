"""`TimeDistributed`: one layer applied to every timestep of a sequence."""

from lamina import ops
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.layers.layer import Layer
from lamina.layers.recurrent.loop import map_structure
from lamina.layers.recurrent.rnn import deserialize_layer
from lamina.saving.config import serialize


class TimeDistributed(Layer):
    """Applies `layer` to every temporal slice (axis 1) of the input.

    The same weights serve every timestep. The batch and time axes are
    merged into one, the layer runs once on the `(batch * timesteps, ...)`
    tensor, and the axes are split again: the same result as a loop over
    the timesteps for per-sample layers (Dense, Conv2D, ...), in one call.

    Args:
        layer: the layer to apply.

    Call arguments:
        inputs: `(batch, timesteps, ...)`.
        training: passed to the layer if it takes it.
        mask: `(batch, timesteps, ...)`, passed (flattened the same way)
            to the layer if it takes a mask; it is also the output mask.

    Example:

    >>> import numpy as np, lamina
    >>> layer = lamina.layers.TimeDistributed(lamina.layers.Dense(4))
    >>> tuple(layer(np.ones((2, 3, 5), "float32")).shape)
    (2, 3, 4)
    """

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(  # noqa: TRY004 (Keras raises ValueError)
                f"TimeDistributed: `layer` must be a Layer instance (e.g. "
                f"Dense(8)), got {layer!r}.")
        super().__init__(**kwargs)
        self.layer = layer
        self.supports_masking = True

    def _child_shape(self, input_shape):
        shape = tuple(input_shape)
        if len(shape) < 3:
            raise ValueError(
                f"Layer '{self.name}': TimeDistributed needs inputs with "
                f"at least 3 axes (batch, timesteps, ...), got shape "
                f"{shape}.")
        batch, steps = shape[0], shape[1]
        merged = None if batch is None or steps is None else batch * steps
        return (merged,) + shape[2:]

    def build(self, input_shape):
        if not self.layer.built:
            self.layer._build_on_first_call(
                SymbolicTensor(self._child_shape(input_shape), "float32"))
        self.built = True

    def compute_output_shape(self, input_shape):
        child = SymbolicTensor(self._child_shape(input_shape),
                               self.compute_dtype)
        out = self.layer.compute_output_spec(child)
        return (input_shape[0], input_shape[1]) + tuple(out.shape[1:])

    def call(self, inputs, training=None, mask=None):
        shape = tuple(ops.shape(inputs))
        batch, steps = shape[0], shape[1]
        x = ops.reshape(inputs, (batch * steps,) + shape[2:])
        kwargs = {}
        if training is not None and self.layer._call_has_training:
            kwargs["training"] = training
        if mask is not None and self.layer._call_has_mask:
            mask_shape = tuple(ops.shape(mask))
            if mask_shape[:2] != (batch, steps):
                raise ValueError(
                    f"Layer '{self.name}': the mask's leading axes must be "
                    f"(batch, timesteps) = {(batch, steps)}, got shape "
                    f"{mask_shape}.")
            kwargs["mask"] = ops.reshape(mask, (batch * steps,) +
                                         mask_shape[2:])
        y = self.layer(x, **kwargs)
        return map_structure(
            lambda t: ops.reshape(t, (batch, steps) +
                                  tuple(ops.shape(t))[1:]), y)

    def get_config(self):
        return {**super().get_config(), "layer": serialize(self.layer)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        config["layer"] = deserialize_layer(config["layer"], custom_objects)
        return cls(**config)
