"""Attention layers: `Attention` (Luong), `AdditiveAttention` (Bahdanau)
and `MultiHeadAttention` (Vaswani et al.)."""

from lamina.layers.attention.additive_attention import AdditiveAttention
from lamina.layers.attention.attention import Attention
from lamina.layers.attention.multi_head_attention import MultiHeadAttention

ALL_OBJECTS = {
    "Attention": Attention,
    "AdditiveAttention": AdditiveAttention,
    "MultiHeadAttention": MultiHeadAttention,
}

__all__ = ["ALL_OBJECTS", "AdditiveAttention", "Attention",
           "MultiHeadAttention"]
