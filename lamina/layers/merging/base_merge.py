"""`Merge`: the base of layers that combine a list of tensors into one."""

from lamina import ops
from lamina.layers.layer import Layer


def broadcast_shapes(shapes, layer_name):
    """The broadcast of several input shapes (batch axis included)."""
    rank = max(len(s) for s in shapes)
    out = []
    for i in range(rank):
        dims = [s[len(s) - rank + i] for s in shapes
                if len(s) - rank + i >= 0]
        known = {d for d in dims if d is not None and d != 1}
        if len(known) > 1:
            raise ValueError(f"Layer '{layer_name}' can't merge inputs of "
                             f"incompatible shapes {shapes}.")
        if known:
            out.append(known.pop())
        elif any(d is None for d in dims):
            out.append(None)
        else:
            out.append(1)
    return tuple(out)


class Merge(Layer):
    """Combines a list of at least two tensors elementwise (with
    broadcasting). Subclasses define `_merge(inputs)`."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def _check_inputs(self, input_shape):
        if not isinstance(input_shape, (list, tuple)) or not input_shape \
                or not isinstance(input_shape[0], (list, tuple)):
            raise ValueError(f"Layer '{self.name}' ({type(self).__name__}) "
                             "must be called on a list of tensors, got one "
                             f"tensor of shape {input_shape}.")
        if len(input_shape) < 2:
            raise ValueError(f"Layer '{self.name}' ({type(self).__name__}) "
                             "needs at least 2 inputs, got "
                             f"{len(input_shape)}.")

    def build(self, input_shape):
        self._check_inputs(input_shape)
        broadcast_shapes([tuple(s) for s in input_shape], self.name)
        self.built = True

    def call(self, inputs):
        return self._merge(list(inputs))

    def compute_output_shape(self, input_shape):
        return broadcast_shapes([tuple(s) for s in input_shape], self.name)

    def compute_mask(self, inputs, mask=None):
        if mask is None or all(m is None for m in mask):
            return None
        masks = [m for m in mask if m is not None]
        out = masks[0]
        for m in masks[1:]:
            out = ops.logical_and(out, m)
        return out
