"""`Reshape`: gives the non-batch axes a new shape."""

from lamina import ops
from lamina.layers.layer import Layer


class Reshape(Layer):
    """Reshapes inputs to `(batch_size,) + target_shape`.

    Args:
        target_shape: the new shape without the batch axis; one entry may
            be -1, inferred from the others.
    """

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        self.target_shape = tuple(target_shape)
        if sum(1 for d in self.target_shape if d == -1) > 1:
            raise ValueError(f"Reshape: at most one -1 in `target_shape`, "
                             f"got {self.target_shape}.")
        self.built = True

    def _resolve(self, input_shape):
        known = 1
        for d in input_shape[1:]:
            if d is None:
                return tuple(None if d == -1 else d
                             for d in self.target_shape)
            known *= d
        fixed = 1
        for d in self.target_shape:
            if d != -1:
                fixed *= d
        if -1 in self.target_shape:
            if known % fixed:
                raise ValueError(f"Reshape '{self.name}': cannot reshape "
                                 f"input of shape {tuple(input_shape)} to "
                                 f"{self.target_shape}.")
            return tuple(known // fixed if d == -1 else d
                         for d in self.target_shape)
        if known != fixed:
            raise ValueError(f"Reshape '{self.name}': total size of the "
                             f"input shape {tuple(input_shape)} ({known}) "
                             f"differs from the target shape "
                             f"{self.target_shape} ({fixed}).")
        return self.target_shape

    def call(self, inputs):
        shape = ops.shape(inputs)
        return ops.reshape(inputs, (shape[0],) + self._resolve(shape))

    def compute_output_shape(self, input_shape):
        return (input_shape[0],) + self._resolve(input_shape)

    def get_config(self):
        return {**super().get_config(), "target_shape": self.target_shape}
