"""`Dot`: batched dot product between two tensors."""

from lamina import ops
from lamina.layers.merging.base_merge import Merge


def batch_dot(x1, x2, axes):
    """Per-sample tensor contraction of `x1` axis `axes[0]` with `x2` axis
    `axes[1]`; the batch axis 0 is kept. For two 2-D inputs the result has
    shape `(batch, 1)`, as in Keras."""
    r1, r2 = len(ops.shape(x1)), len(ops.shape(x2))
    a1, a2 = axes[0] % r1, axes[1] % r2
    if r1 == 2 and r2 == 2:
        return ops.sum(ops.multiply(x1, x2), axis=1, keepdims=True)
    x1 = ops.moveaxis(x1, a1, -1)
    x2 = ops.moveaxis(x2, a2, 1)
    s1, s2 = ops.shape(x1), ops.shape(x2)
    rest1, rest2 = s1[1:-1], s2[2:]
    y = ops.matmul(ops.reshape(x1, (s1[0], -1, s1[-1])),
                   ops.reshape(x2, (s2[0], s2[1], -1)))
    return ops.reshape(y, (s1[0],) + tuple(rest1) + tuple(rest2))


class Dot(Merge):
    """Dot product of two tensors along `axes`, per sample.

    Args:
        axes: an int or a pair of ints: the axis of each input to contract.
        normalize: L2-normalize both inputs along `axes` first, giving the
            cosine similarity.
    """

    def __init__(self, axes, normalize=False, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axes, int):
            axes = (axes, axes)
        if len(axes) != 2:
            raise ValueError(f"Dot: `axes` must be an int or a pair of "
                             f"ints, got {axes!r}.")
        self.axes = tuple(int(a) for a in axes)
        self.normalize = bool(normalize)
        self.supports_masking = False

    def _pos(self, input_shape):
        return (self.axes[0] % len(input_shape[0]),
                self.axes[1] % len(input_shape[1]))

    def build(self, input_shape):
        self._check_inputs(input_shape)
        if len(input_shape) != 2:
            raise ValueError(f"Layer '{self.name}' (Dot) needs exactly 2 "
                             f"inputs, got {len(input_shape)}.")
        a1, a2 = self._pos(input_shape)
        d1, d2 = input_shape[0][a1], input_shape[1][a2]
        if d1 is not None and d2 is not None and d1 != d2:
            raise ValueError(
                f"Layer '{self.name}' (Dot): incompatible input shapes "
                f"{tuple(input_shape[0])} and {tuple(input_shape[1])}: axis "
                f"{self.axes[0]} has size {d1} but axis {self.axes[1]} has "
                f"size {d2}.")
        self.built = True

    def _merge(self, inputs):
        x1, x2 = inputs
        axes = self._pos([ops.shape(x1), ops.shape(x2)])
        if self.normalize:
            x1 = ops.normalize(x1, axis=axes[0])
            x2 = ops.normalize(x2, axis=axes[1])
        return batch_dot(x1, x2, axes)

    def compute_output_shape(self, input_shape):
        s1, s2 = list(input_shape[0]), list(input_shape[1])
        a1, a2 = self._pos(input_shape)
        if len(s1) == 2 and len(s2) == 2:
            return (s1[0], 1)
        s1.pop(a1)
        s2.pop(a2)
        return tuple(s1 + s2[1:])

    def compute_mask(self, inputs, mask=None):
        return None

    def get_config(self):
        return {**super().get_config(), "axes": list(self.axes),
                "normalize": self.normalize}


def dot(inputs, axes=-1, normalize=False, **kwargs):
    """Functional form of `Dot`."""
    return Dot(axes=axes, normalize=normalize, **kwargs)(inputs)
