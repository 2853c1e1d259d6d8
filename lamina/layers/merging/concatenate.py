"""`Concatenate`: joins a list of tensors along one axis."""

from lamina import ops
from lamina.layers.merging.base_merge import Merge


class Concatenate(Merge):
    """Concatenates a list of tensors along `axis`; the other axes must
    match.

    Args:
        axis: the axis to join along (default -1, the features).
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = int(axis)

    def build(self, input_shape):
        self._check_inputs(input_shape)
        self.compute_output_shape(input_shape)
        self.built = True

    def _merge(self, inputs):
        return ops.concatenate(inputs, axis=self.axis)

    def compute_output_shape(self, input_shape):
        shapes = [tuple(s) for s in input_shape]
        rank = len(shapes[0])
        if any(len(s) != rank for s in shapes):
            raise ValueError(f"Layer '{self.name}' (Concatenate) needs "
                             f"inputs of the same rank, got {shapes}.")
        axis = self.axis % rank
        out = list(shapes[0])
        for s in shapes[1:]:
            for i in range(rank):
                if i == axis:
                    continue
                if out[i] is None:
                    out[i] = s[i]
                elif s[i] is not None and s[i] != out[i]:
                    raise ValueError(
                        f"Layer '{self.name}' (Concatenate) requires inputs "
                        f"with matching shapes except for the concatenation "
                        f"axis {self.axis}; got shapes {shapes}.")
        sizes = [s[axis] for s in shapes]
        out[axis] = None if None in sizes else sum(sizes)
        return tuple(out)

    def compute_mask(self, inputs, mask=None):
        if mask is None or all(m is None for m in mask):
            return None
        filled = [ops.ones(ops.shape(x)[:-1], dtype="bool") if m is None
                  else m for x, m in zip(inputs, mask)]
        if self.axis % len(ops.shape(inputs[0])) == \
                len(ops.shape(inputs[0])) - 1:
            out = filled[0]
            for m in filled[1:]:
                out = ops.logical_and(out, m)
            return out
        return ops.concatenate(filled, axis=self.axis)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}


def concatenate(inputs, axis=-1, **kwargs):
    """Functional form of `Concatenate`: `concatenate([a, b], axis=-1)`."""
    return Concatenate(axis=axis, **kwargs)(inputs)
