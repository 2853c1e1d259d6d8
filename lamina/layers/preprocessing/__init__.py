"""Preprocessing layers: rescaling, normalization, resizing, cropping,
random image augmentation (flip, rotation, zoom, translation, crop,
contrast, brightness), and categorical/text layers (CategoryEncoding,
Discretization, Hashing, StringLookup, IntegerLookup, TextVectorization)."""

from lamina.layers.preprocessing.category_encoding import CategoryEncoding
from lamina.layers.preprocessing.center_crop import CenterCrop
from lamina.layers.preprocessing.discretization import Discretization
from lamina.layers.preprocessing.hashing import Hashing
from lamina.layers.preprocessing.integer_lookup import IntegerLookup
from lamina.layers.preprocessing.normalization import Normalization
from lamina.layers.preprocessing.random_brightness import RandomBrightness
from lamina.layers.preprocessing.random_contrast import RandomContrast
from lamina.layers.preprocessing.random_crop import RandomCrop
from lamina.layers.preprocessing.random_flip import RandomFlip
from lamina.layers.preprocessing.random_rotation import RandomRotation
from lamina.layers.preprocessing.random_translation import RandomTranslation
from lamina.layers.preprocessing.random_zoom import RandomZoom
from lamina.layers.preprocessing.rescaling import Rescaling
from lamina.layers.preprocessing.resizing import Resizing
from lamina.layers.preprocessing.string_lookup import StringLookup
from lamina.layers.preprocessing.text_vectorization import TextVectorization

ALL_OBJECTS = {cls.__name__: cls for cls in (
    CenterCrop, Normalization, Rescaling, Resizing,
    RandomBrightness, RandomContrast, RandomCrop, RandomFlip, RandomRotation,
    RandomTranslation, RandomZoom, CategoryEncoding, Discretization,
    Hashing, IntegerLookup, StringLookup, TextVectorization)}

__all__ = [
    "ALL_OBJECTS", "CategoryEncoding", "CenterCrop", "Discretization",
    "Hashing", "IntegerLookup", "Normalization", "RandomBrightness",
    "RandomContrast", "RandomCrop", "RandomFlip", "RandomRotation",
    "RandomTranslation", "RandomZoom", "Rescaling", "Resizing",
    "StringLookup",
    "TextVectorization",
]
