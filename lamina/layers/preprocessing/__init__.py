"""Preprocessing layers: rescaling, normalization, resizing, cropping."""

from lamina.layers.preprocessing.center_crop import CenterCrop
from lamina.layers.preprocessing.normalization import Normalization
from lamina.layers.preprocessing.rescaling import Rescaling
from lamina.layers.preprocessing.resizing import Resizing

ALL_OBJECTS = {cls.__name__: cls for cls in (
    CenterCrop, Normalization, Rescaling, Resizing)}

__all__ = [
    "ALL_OBJECTS", "CenterCrop", "Normalization", "Rescaling", "Resizing"
]
