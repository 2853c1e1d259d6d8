"""`lamina.layers`: every layer, listed explicitly."""

from lamina.layers.core import (
    Activation, Dense, Dropout, Flatten, Identity, Input, InputLayer, Lambda,
    Reshape, TensorOp)
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.layers.merging import (
    Add, Average, Concatenate, Dot, Maximum, Merge, Minimum, Multiply,
    Subtract, add, average, concatenate, dot, maximum, minimum, multiply,
    subtract)
from lamina.legacy.merge import merge

# Class names as written in saved configs -> classes (for deserialize).
ALL_OBJECTS = {cls.__name__: cls for cls in (
    Activation, Dense, Dropout, Flatten, Identity, InputLayer, Lambda,
    Reshape, TensorOp, Add, Average, Concatenate, Dot, Maximum, Minimum,
    Multiply, Subtract)}

__all__ = sorted(ALL_OBJECTS) + [
    "Input", "InputSpec", "Layer", "Merge", "add", "average", "concatenate",
    "dot", "maximum", "minimum", "multiply", "subtract", "merge"]
