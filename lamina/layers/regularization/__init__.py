"""Regularization layers: noise, structured dropout and activity penalties.

(`Dropout` itself lives in `lamina.layers.core`.)
"""

from lamina.layers.regularization.activity_regularization import (
    ActivityRegularization,
)
from lamina.layers.regularization.alpha_dropout import AlphaDropout
from lamina.layers.regularization.gaussian_dropout import GaussianDropout
from lamina.layers.regularization.gaussian_noise import GaussianNoise
from lamina.layers.regularization.spatial_dropout import (
    SpatialDropout1D,
    SpatialDropout2D,
    SpatialDropout3D,
)

ALL_OBJECTS = {cls.__name__: cls for cls in (
    ActivityRegularization, AlphaDropout, GaussianDropout, GaussianNoise,
    SpatialDropout1D, SpatialDropout2D, SpatialDropout3D)}

__all__ = [
    "ALL_OBJECTS", "ActivityRegularization", "AlphaDropout", "GaussianDropout",
    "GaussianNoise", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D"
]
