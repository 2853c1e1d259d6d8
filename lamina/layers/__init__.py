"""`lamina.layers`: every layer, listed explicitly by family.

Each family package (`lamina.layers.convolutional`, `.recurrent`, ...)
lists its classes in `ALL_OBJECTS`; this module exports them all under
their Keras names, and `ALL_OBJECTS` here is what configs are loaded with.
"""

from lamina.layers import (activations, attention, convolutional,
                           normalization, pooling, preprocessing, recurrent,
                           regularization, reshaping)
from lamina.layers.activations import ELU, LeakyReLU, PReLU, ReLU, Softmax
from lamina.layers.attention import (AdditiveAttention, Attention,
                                     MultiHeadAttention)
from lamina.layers.convolutional import (
    Conv1D, Conv1DTranspose, Conv2D, Conv2DTranspose, Conv3D,
    Conv3DTranspose, DepthwiseConv1D, DepthwiseConv2D, SeparableConv1D,
    SeparableConv2D, SeparableConvolution1D)
from lamina.layers.core import (
    Activation, Dense, Dropout, Flatten, Identity, Input, InputLayer, Lambda,
    Reshape, TensorOp)
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.layers.merging import (
    Add, Average, Concatenate, Dot, Maximum, Minimum, Multiply, Subtract,
    add, average, concatenate, dot, maximum, minimum, multiply, subtract)
from lamina.layers.normalization import (
    BatchNormalization, GroupNormalization, LayerNormalization,
    UnitNormalization)
from lamina.layers.pooling import (
    AveragePooling1D, AveragePooling2D, AveragePooling3D, AvgPool1D,
    AvgPool2D, AvgPool3D, GlobalAveragePooling1D, GlobalAveragePooling2D,
    GlobalAveragePooling3D, GlobalAvgPool1D, GlobalAvgPool2D,
    GlobalAvgPool3D, GlobalMaxPool1D, GlobalMaxPool2D, GlobalMaxPool3D,
    GlobalMaxPooling1D, GlobalMaxPooling2D, GlobalMaxPooling3D, MaxPool1D,
    MaxPool2D, MaxPool3D, MaxPooling1D, MaxPooling2D, MaxPooling3D)
from lamina.layers.preprocessing import (
    CategoryEncoding, CenterCrop, Discretization, Hashing, IntegerLookup,
    Normalization, RandomBrightness, RandomContrast, RandomCrop, RandomFlip,
    RandomRotation, RandomTranslation, RandomZoom, Rescaling, Resizing,
    StringLookup, TextVectorization)
from lamina.layers.recurrent import (
    GRU, LSTM, RNN, Bidirectional, ConvLSTM1D, ConvLSTM2D, ConvLSTM3D,
    ConvLSTMCell, Embedding, GRUCell, LSTMCell, Masking, SimpleRNN,
    SimpleRNNCell, StackedRNNCells, TimeDistributed)
from lamina.layers.regularization import (
    ActivityRegularization, AlphaDropout, GaussianDropout, GaussianNoise,
    SpatialDropout1D, SpatialDropout2D, SpatialDropout3D)
from lamina.layers.reshaping import (
    Cropping1D, Cropping2D, Cropping3D, Permute, RepeatVector, UpSampling1D,
    UpSampling2D, UpSampling3D, ZeroPadding1D, ZeroPadding2D, ZeroPadding3D)
from lamina.legacy import layers as legacy_layers
from lamina.legacy.layers import (
    AtrousConvolution1D, AtrousConvolution2D, Convolution1D, Convolution2D,
    Convolution3D, Deconvolution2D, Highway, MaxoutDense,
    SeparableConvolution2D, TimeDistributedDense)
from lamina.legacy.merge import Merge, merge

# Class names as written in saved configs -> classes (for deserialize).
ALL_OBJECTS = {cls.__name__: cls for cls in (
    Activation, Dense, Dropout, Flatten, Identity, InputLayer, Lambda,
    Reshape, TensorOp, Add, Average, Concatenate, Dot, Maximum, Minimum,
    Multiply, Subtract)}
for _family in (activations, attention, convolutional, normalization,
                pooling, preprocessing, recurrent, regularization,
                reshaping):
    ALL_OBJECTS.update(_family.ALL_OBJECTS)
del _family
# Keras 1 classes (Merge, MaxoutDense, Convolution2D, ...): these replace
# the Keras 3 aliases of the convolutional family.
ALL_OBJECTS.update(legacy_layers.ALL_OBJECTS)

__all__ = sorted(ALL_OBJECTS) + [
    "Input", "InputSpec", "Layer", "add", "average", "concatenate",
    "dot", "maximum", "minimum", "multiply", "subtract", "merge"]
