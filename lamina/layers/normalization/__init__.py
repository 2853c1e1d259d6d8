"""Normalization layers: batch, layer, group and unit normalization."""

from lamina.layers.normalization.batch_normalization import BatchNormalization
from lamina.layers.normalization.group_normalization import GroupNormalization
from lamina.layers.normalization.layer_normalization import LayerNormalization
from lamina.layers.normalization.unit_normalization import UnitNormalization

ALL_OBJECTS = {cls.__name__: cls for cls in (
    BatchNormalization, GroupNormalization, LayerNormalization,
    UnitNormalization)}

__all__ = [
    "ALL_OBJECTS", "BatchNormalization", "GroupNormalization",
    "LayerNormalization", "UnitNormalization"
]
