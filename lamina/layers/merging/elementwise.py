"""The elementwise merges: Add, Subtract, Multiply, Average, Maximum,
Minimum (one short class each, so kept in one file)."""

from lamina import ops
from lamina.layers.merging.base_merge import Merge


def _fold(fn, inputs):
    out = inputs[0]
    for x in inputs[1:]:
        out = fn(out, x)
    return out


class Add(Merge):
    """Sums a list of tensors of the same shape."""

    def _merge(self, inputs):
        return _fold(ops.add, inputs)


class Subtract(Merge):
    """Subtracts the second of exactly two tensors from the first."""

    def build(self, input_shape):
        super().build(input_shape)
        if len(input_shape) != 2:
            raise ValueError(f"Layer '{self.name}' (Subtract) needs exactly "
                             f"2 inputs, got {len(input_shape)}.")

    def _merge(self, inputs):
        return ops.subtract(inputs[0], inputs[1])


class Multiply(Merge):
    """Multiplies a list of tensors elementwise."""

    def _merge(self, inputs):
        return _fold(ops.multiply, inputs)


class Average(Merge):
    """Averages a list of tensors elementwise."""

    def _merge(self, inputs):
        return ops.divide(_fold(ops.add, inputs), float(len(inputs)))


class Maximum(Merge):
    """Elementwise maximum of a list of tensors."""

    def _merge(self, inputs):
        return _fold(ops.maximum, inputs)


class Minimum(Merge):
    """Elementwise minimum of a list of tensors."""

    def _merge(self, inputs):
        return _fold(ops.minimum, inputs)


def add(inputs, **kwargs):
    """Functional form of `Add`: `add([a, b])`."""
    return Add(**kwargs)(inputs)


def subtract(inputs, **kwargs):
    """Functional form of `Subtract`."""
    return Subtract(**kwargs)(inputs)


def multiply(inputs, **kwargs):
    """Functional form of `Multiply`."""
    return Multiply(**kwargs)(inputs)


def average(inputs, **kwargs):
    """Functional form of `Average`."""
    return Average(**kwargs)(inputs)


def maximum(inputs, **kwargs):
    """Functional form of `Maximum`."""
    return Maximum(**kwargs)(inputs)


def minimum(inputs, **kwargs):
    """Functional form of `Minimum`."""
    return Minimum(**kwargs)(inputs)
