"""Layers that merge several tensors into one."""

from lamina.layers.merging.base_merge import Merge
from lamina.layers.merging.concatenate import Concatenate, concatenate
from lamina.layers.merging.dot import Dot, dot
from lamina.layers.merging.elementwise import (
    Add, Average, Maximum, Minimum, Multiply, Subtract, add, average,
    maximum, minimum, multiply, subtract)

__all__ = ["Merge", "Concatenate", "concatenate", "Dot", "dot", "Add",
           "Average", "Maximum", "Minimum", "Multiply", "Subtract", "add",
           "average", "maximum", "minimum", "multiply", "subtract"]
