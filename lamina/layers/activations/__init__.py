"""Activation layers: ReLU, LeakyReLU, PReLU, ELU and Softmax.

(The activation functions themselves are in `lamina.activations`.)
"""

from lamina.layers.activations.elu import ELU
from lamina.layers.activations.leaky_relu import LeakyReLU
from lamina.layers.activations.prelu import PReLU
from lamina.layers.activations.relu import ReLU
from lamina.layers.activations.softmax import Softmax

ALL_OBJECTS = {cls.__name__: cls for cls in (
    ELU, LeakyReLU, PReLU, ReLU, Softmax)}

__all__ = [
    "ALL_OBJECTS", "ELU", "LeakyReLU", "PReLU", "ReLU", "Softmax"
]
