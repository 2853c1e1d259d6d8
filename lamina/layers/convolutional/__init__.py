"""Convolution layers: Conv, ConvTranspose, DepthwiseConv, SeparableConv."""

from lamina.layers.convolutional.base_conv import BaseConv
from lamina.layers.convolutional.conv import (
    Conv1D, Conv2D, Conv3D, Convolution1D, Convolution2D, Convolution3D)
from lamina.layers.convolutional.conv_transpose import (
    BaseConvTranspose, Conv1DTranspose, Conv2DTranspose, Conv3DTranspose,
    Convolution1DTranspose, Convolution2DTranspose, Convolution3DTranspose)
from lamina.layers.convolutional.depthwise_conv import (
    BaseDepthwiseConv, DepthwiseConv1D, DepthwiseConv2D)
from lamina.layers.convolutional.separable_conv import (
    BaseSeparableConv, SeparableConv1D, SeparableConv2D,
    SeparableConvolution1D, SeparableConvolution2D)

# Keras names (classes and Keras 3 aliases) -> classes, for deserialize.
ALL_OBJECTS = {
    "Conv1D": Conv1D, "Conv2D": Conv2D, "Conv3D": Conv3D,
    "Convolution1D": Convolution1D, "Convolution2D": Convolution2D,
    "Convolution3D": Convolution3D,
    "Conv1DTranspose": Conv1DTranspose, "Conv2DTranspose": Conv2DTranspose,
    "Conv3DTranspose": Conv3DTranspose,
    "Convolution1DTranspose": Convolution1DTranspose,
    "Convolution2DTranspose": Convolution2DTranspose,
    "Convolution3DTranspose": Convolution3DTranspose,
    "DepthwiseConv1D": DepthwiseConv1D, "DepthwiseConv2D": DepthwiseConv2D,
    "SeparableConv1D": SeparableConv1D, "SeparableConv2D": SeparableConv2D,
    "SeparableConvolution1D": SeparableConvolution1D,
    "SeparableConvolution2D": SeparableConvolution2D,
}

__all__ = [
    "BaseConv", "BaseConvTranspose", "BaseDepthwiseConv", "BaseSeparableConv",
    "Conv1D", "Conv1DTranspose", "Conv2D", "Conv2DTranspose", "Conv3D",
    "Conv3DTranspose", "Convolution1D", "Convolution1DTranspose",
    "Convolution2D", "Convolution2DTranspose", "Convolution3D",
    "Convolution3DTranspose", "DepthwiseConv1D", "DepthwiseConv2D",
    "SeparableConv1D", "SeparableConv2D", "SeparableConvolution1D",
    "SeparableConvolution2D",
]
