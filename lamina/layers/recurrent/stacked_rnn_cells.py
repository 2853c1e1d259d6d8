"""`StackedRNNCells`: several cells run as one, each feeding the next."""

import inspect

from lamina.layers.layer import Layer
from lamina.saving.config import serialize


class StackedRNNCells(Layer):
    """A stack of RNN cells behaving as a single cell.

    At each step the first cell reads the input, each later cell reads the
    previous cell's output, and the output is the last cell's. The states
    are a list with one entry (a list of that cell's states) per cell.

    Args:
        cells: a list of cells.

    Example:

    >>> import numpy as np, lamina
    >>> cells = [lamina.layers.LSTMCell(4), lamina.layers.GRUCell(3)]
    >>> layer = lamina.layers.RNN(cells)
    >>> tuple(layer(np.ones((2, 5, 6), "float32")).shape)
    (2, 3)
    """

    def __init__(self, cells, **kwargs):
        super().__init__(**kwargs)
        cells = list(cells)
        for cell in cells:
            if not hasattr(cell, "call") or not hasattr(cell, "state_size"):
                raise ValueError(
                    "StackedRNNCells: every cell needs `call` and "
                    f"`state_size` attributes; got {cell!r}.")
        self.cells = cells
        self._takes_training = [
            "training" in inspect.signature(c.call).parameters
            for c in cells]

    @property
    def state_size(self):
        return [c.state_size for c in self.cells]

    @property
    def output_size(self):
        last = self.cells[-1]
        size = getattr(last, "output_size", None)
        if size is None:
            size = last.state_size
            size = size[0] if isinstance(size, (list, tuple)) else size
        return size

    def get_initial_state(self, batch_size=None):
        from lamina import ops
        states = []
        for cell in self.cells:
            fn = getattr(cell, "get_initial_state", None)
            if fn is not None:
                state = fn(batch_size=batch_size)
            else:
                sizes = cell.state_size
                sizes = sizes if isinstance(sizes, (list, tuple)) \
                    else [sizes]
                state = [ops.zeros((batch_size, s),
                                   dtype=getattr(cell, "compute_dtype",
                                                 None)) for s in sizes]
            states.append(list(state) if isinstance(state, (list, tuple))
                          else [state])
        return states

    def build(self, input_shape):
        shape = tuple(input_shape)
        for cell in self.cells:
            if isinstance(cell, Layer) and not cell.built:
                cell.build(shape)
                cell.built = True
            size = getattr(cell, "output_size", None)
            if size is None:
                size = cell.state_size
                size = size[0] if isinstance(size, (list, tuple)) else size
            shape = (shape[0], size)
        self.built = True

    def call(self, inputs, states, training=False):
        new_states = []
        for cell, cell_states, takes in zip(self.cells, states,
                                            self._takes_training):
            cell_states = list(cell_states) if isinstance(
                cell_states, (list, tuple)) else [cell_states]
            kwargs = {"training": training} if takes else {}
            inputs, cell_new = cell.call(inputs, cell_states, **kwargs)
            new_states.append(list(cell_new) if isinstance(
                cell_new, (list, tuple)) else [cell_new])
        return inputs, new_states

    def get_config(self):
        return {**super().get_config(),
                "cells": [serialize(c) for c in self.cells]}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from lamina.layers.recurrent.rnn import deserialize_layer
        config = dict(config)
        config["cells"] = [deserialize_layer(c, custom_objects)
                           for c in config["cells"]]
        return cls(**config)
