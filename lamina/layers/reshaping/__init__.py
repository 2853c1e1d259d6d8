"""Reshaping layers: Permute, RepeatVector, Cropping, ZeroPadding,
UpSampling. (Flatten and Reshape live in `lamina.layers.core`.)"""

from lamina.layers.reshaping.cropping import (
    Cropping1D, Cropping2D, Cropping3D)
from lamina.layers.reshaping.permute import Permute
from lamina.layers.reshaping.repeat_vector import RepeatVector
from lamina.layers.reshaping.up_sampling import (
    UpSampling1D, UpSampling2D, UpSampling3D)
from lamina.layers.reshaping.zero_padding import (
    ZeroPadding1D, ZeroPadding2D, ZeroPadding3D)

# Keras names -> classes, for deserialize.
ALL_OBJECTS = {cls.__name__: cls for cls in (
    Cropping1D, Cropping2D, Cropping3D, Permute, RepeatVector, UpSampling1D,
    UpSampling2D, UpSampling3D, ZeroPadding1D, ZeroPadding2D,
    ZeroPadding3D)}

__all__ = [
    "Cropping1D", "Cropping2D", "Cropping3D", "Permute", "RepeatVector",
    "UpSampling1D", "UpSampling2D", "UpSampling3D", "ZeroPadding1D",
    "ZeroPadding2D", "ZeroPadding3D",
]
