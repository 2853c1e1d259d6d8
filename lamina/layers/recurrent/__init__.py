"""Recurrent layers: cells, the RNN loop over them, and sequence wrappers.

`Embedding` and `Masking` live in `lamina.layers.core` and are listed here
too: they are what recurrent models start with (token ids to vectors, and
the mask that tells an RNN which steps are padding).
"""

from lamina.layers.core.embedding import Embedding
from lamina.layers.core.masking import Masking
from lamina.layers.recurrent.bidirectional import Bidirectional
from lamina.layers.recurrent.gru import GRU, GRUCell
from lamina.layers.recurrent.lstm import LSTM, LSTMCell
from lamina.layers.recurrent.rnn import RNN
from lamina.layers.recurrent.simple_rnn import SimpleRNN, SimpleRNNCell
from lamina.layers.recurrent.stacked_rnn_cells import StackedRNNCells
from lamina.layers.recurrent.time_distributed import TimeDistributed

# Class names as written in saved configs -> classes (for deserialize).
ALL_OBJECTS = {cls.__name__: cls for cls in (
    Bidirectional, Embedding, GRU, GRUCell, LSTM, LSTMCell, Masking, RNN,
    SimpleRNN, SimpleRNNCell, StackedRNNCells, TimeDistributed)}

__all__ = sorted(ALL_OBJECTS) + ["ALL_OBJECTS"]
