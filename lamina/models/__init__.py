"""`lamina.models`: Model, Sequential, and (later) saving and loading."""

from lamina.models.functional import Functional
from lamina.models.model import Model
from lamina.models.sequential import Sequential

ALL_OBJECTS = {"Model": Model, "Functional": Functional,
               "Sequential": Sequential}

__all__ = ["Functional", "Model", "Sequential"]
