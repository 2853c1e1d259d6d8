"""Recurrent layers: cells, the RNN loop over them, and sequence wrappers.

`Embedding` and `Masking` live in `lamina.layers.core` and are listed here
too: they are what recurrent models start with (token ids to vectors, and
the mask that tells an RNN which steps are padding).
"""

from lamina.layers.core.embedding import Embedding
from lamina.layers.core.masking import Masking
from lamina.layers.recurrent.bidirectional import Bidirectional
from lamina.layers.recurrent.conv_lstm import (
    ConvLSTM1D,
    ConvLSTM2D,
    ConvLSTM3D,
    ConvLSTMCell,
)
from lamina.layers.recurrent.gru import GRU, GRUCell
from lamina.layers.recurrent.lstm import LSTM, LSTMCell
from lamina.layers.recurrent.rnn import RNN
from lamina.layers.recurrent.simple_rnn import SimpleRNN, SimpleRNNCell
from lamina.layers.recurrent.stacked_rnn_cells import StackedRNNCells
from lamina.layers.recurrent.time_distributed import TimeDistributed

# Class names as written in saved configs -> classes (for deserialize).
ALL_OBJECTS = {cls.__name__: cls for cls in (
    Bidirectional, ConvLSTM1D, ConvLSTM2D, ConvLSTM3D, ConvLSTMCell,
    Embedding, GRU, GRUCell, LSTM, LSTMCell, Masking, RNN,
    SimpleRNN, SimpleRNNCell, StackedRNNCells, TimeDistributed)}

__all__ = [
    "ALL_OBJECTS", "GRU", "LSTM", "RNN", "Bidirectional", "ConvLSTM1D",
    "ConvLSTM2D", "ConvLSTM3D", "ConvLSTMCell", "Embedding", "GRUCell",
    "LSTMCell", "Masking", "SimpleRNN", "SimpleRNNCell", "StackedRNNCells",
    "TimeDistributed"]
