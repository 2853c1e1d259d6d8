"""`lamina.models`: Model, Sequential, and (later) saving and loading."""

from lamina.models.functional import Functional
from lamina.models.model import Model
from lamina.models.sequential import Sequential
from lamina.saving.archive import load_model, model_from_json, save_model

ALL_OBJECTS = {"Model": Model, "Functional": Functional,
               "Sequential": Sequential}

__all__ = ["Functional", "Model", "Sequential", "load_model",
           "model_from_json", "save_model"]
