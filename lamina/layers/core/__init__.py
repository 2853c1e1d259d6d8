"""Core layers (the tutorial imports `keras.layers.core.Dense`)."""

from lamina.layers.core.activation import Activation
from lamina.layers.core.dense import Dense
from lamina.layers.core.dropout import Dropout
from lamina.layers.core.embedding import Embedding
from lamina.layers.core.flatten import Flatten
from lamina.layers.core.identity import Identity
from lamina.layers.core.input_layer import Input, InputLayer
from lamina.layers.core.lambda_layer import Lambda
from lamina.layers.core.masking import Masking
from lamina.layers.core.reshape import Reshape
from lamina.layers.core.tensor_op import TensorOp

__all__ = ["Activation", "Dense", "Dropout", "Embedding", "Flatten",
           "Identity", "Input", "InputLayer", "Lambda", "Masking", "Reshape",
           "TensorOp"]
