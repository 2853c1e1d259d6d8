"""Pooling layers: windowed max/average and global max/average."""

from lamina.layers.pooling.average_pooling import (
    AveragePooling1D, AveragePooling2D, AveragePooling3D, AvgPool1D,
    AvgPool2D, AvgPool3D)
from lamina.layers.pooling.base_global_pooling import BaseGlobalPooling
from lamina.layers.pooling.base_pooling import BasePooling
from lamina.layers.pooling.global_average_pooling import (
    GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalAveragePooling3D,
    GlobalAvgPool1D, GlobalAvgPool2D, GlobalAvgPool3D)
from lamina.layers.pooling.global_max_pooling import (
    GlobalMaxPool1D, GlobalMaxPool2D, GlobalMaxPool3D, GlobalMaxPooling1D,
    GlobalMaxPooling2D, GlobalMaxPooling3D)
from lamina.layers.pooling.max_pooling import (
    MaxPool1D, MaxPool2D, MaxPool3D, MaxPooling1D, MaxPooling2D,
    MaxPooling3D)

# Keras names (classes and Keras 3 aliases) -> classes, for deserialize.
ALL_OBJECTS = {
    "MaxPooling1D": MaxPooling1D, "MaxPooling2D": MaxPooling2D,
    "MaxPooling3D": MaxPooling3D, "MaxPool1D": MaxPool1D,
    "MaxPool2D": MaxPool2D, "MaxPool3D": MaxPool3D,
    "AveragePooling1D": AveragePooling1D,
    "AveragePooling2D": AveragePooling2D,
    "AveragePooling3D": AveragePooling3D, "AvgPool1D": AvgPool1D,
    "AvgPool2D": AvgPool2D, "AvgPool3D": AvgPool3D,
    "GlobalMaxPooling1D": GlobalMaxPooling1D,
    "GlobalMaxPooling2D": GlobalMaxPooling2D,
    "GlobalMaxPooling3D": GlobalMaxPooling3D,
    "GlobalMaxPool1D": GlobalMaxPool1D, "GlobalMaxPool2D": GlobalMaxPool2D,
    "GlobalMaxPool3D": GlobalMaxPool3D,
    "GlobalAveragePooling1D": GlobalAveragePooling1D,
    "GlobalAveragePooling2D": GlobalAveragePooling2D,
    "GlobalAveragePooling3D": GlobalAveragePooling3D,
    "GlobalAvgPool1D": GlobalAvgPool1D, "GlobalAvgPool2D": GlobalAvgPool2D,
    "GlobalAvgPool3D": GlobalAvgPool3D,
}

__all__ = [
    "AveragePooling1D", "AveragePooling2D", "AveragePooling3D", "AvgPool1D",
    "AvgPool2D", "AvgPool3D", "BaseGlobalPooling", "BasePooling",
    "GlobalAveragePooling1D", "GlobalAveragePooling2D",
    "GlobalAveragePooling3D", "GlobalAvgPool1D", "GlobalAvgPool2D",
    "GlobalAvgPool3D", "GlobalMaxPool1D", "GlobalMaxPool2D",
    "GlobalMaxPool3D", "GlobalMaxPooling1D", "GlobalMaxPooling2D",
    "GlobalMaxPooling3D", "MaxPool1D", "MaxPool2D", "MaxPool3D",
    "MaxPooling1D", "MaxPooling2D", "MaxPooling3D",
]
