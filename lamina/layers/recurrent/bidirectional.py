"""`Bidirectional`: an RNN run forwards and backwards, outputs merged."""

import copy

from lamina import ops
from lamina.layers.layer import Layer
from lamina.layers.recurrent.rnn import deserialize_layer
from lamina.saving.config import serialize

_MODES = ("concat", "sum", "mul", "ave", None)


def _copy_of(layer, name, go_backwards=None):
    """A fresh layer from `layer`'s config (no weights or states shared)."""
    config = serialize(layer)
    config["config"]["name"] = name
    if go_backwards is not None:
        config["config"]["go_backwards"] = go_backwards
    return deserialize_layer(config)


def _strip(name, prefix):
    return name.removeprefix(prefix)


class Bidirectional(Layer):
    """Runs a recurrent layer over the sequence in both directions.

    The forward layer is a copy of `layer`; the backward one a copy with
    `go_backwards` flipped (or `backward_layer`). With `return_sequences`
    the backward outputs are flipped back into time order before merging,
    and masked steps output zeros in both directions.

    Args:
        layer: an `RNN` (LSTM, GRU, ...) or any layer with `go_backwards`,
            `return_sequences` and `return_state` attributes and a config.
        merge_mode: how outputs combine: 'concat' (default), 'sum',
            'mul', 'ave', or None (a list of both).
        backward_layer: the layer for the backward direction; it must have
            the opposite `go_backwards` and the same `return_sequences`,
            `return_state` and `stateful`.

    Call arguments:
        sequences, mask, training: passed to both layers.
        initial_state: a list; the first half goes to the forward layer,
            the second half to the backward one.

    Output shape:
        The layer's output, with the last axis doubled for 'concat'. With
        `return_state`, a list: output(s), forward states, backward states.

    Example:

    >>> import numpy as np, lamina
    >>> layer = lamina.layers.Bidirectional(lamina.layers.LSTM(4))
    >>> tuple(layer(np.ones((2, 3, 5), "float32")).shape)
    (2, 8)
    """

    def __init__(self, layer, merge_mode="concat", weights=None,
                 backward_layer=None, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(  # noqa: TRY004 (Keras raises ValueError)
                f"Bidirectional: `layer` must be a Layer instance (e.g. "
                f"LSTM(...)), got {layer!r}.")
        if backward_layer is not None and not isinstance(backward_layer,
                                                         Layer):
            raise ValueError(f"Bidirectional: `backward_layer` must be a "
                             f"Layer instance, got {backward_layer!r}.")
        if merge_mode not in _MODES:
            raise ValueError(f"Bidirectional: `merge_mode` must be one of "
                             f"{list(_MODES)}, got {merge_mode!r}.")
        super().__init__(weights=weights, **kwargs)
        self.forward_layer = _copy_of(
            layer, "forward_" + _strip(layer.name, "forward_"))
        if backward_layer is None:
            backward_layer = _copy_of(
                layer, "backward_" + _strip(layer.name, "backward_"),
                go_backwards=not layer.go_backwards)
        self.backward_layer = backward_layer
        if self.forward_layer.go_backwards == backward_layer.go_backwards:
            raise ValueError(
                "Bidirectional: the forward and backward layers need "
                "opposite `go_backwards`; both have "
                f"{backward_layer.go_backwards}.")
        for attribute in ("stateful", "return_sequences", "return_state"):
            ours = getattr(self.forward_layer, attribute)
            theirs = getattr(backward_layer, attribute)
            if ours != theirs:
                raise ValueError(
                    f"Bidirectional: the forward and backward layers need "
                    f"the same `{attribute}`; got {ours} (forward) and "
                    f"{theirs} (backward).")
        for inner in (self.forward_layer, backward_layer):
            if hasattr(inner, "zero_output_for_mask"):
                inner.zero_output_for_mask = inner.return_sequences
        self.merge_mode = merge_mode
        self.stateful = layer.stateful
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self.supports_masking = True
        self.input_spec = layer.input_spec

    def build(self, sequences_shape, initial_state_shape=None):
        for inner in (self.forward_layer, self.backward_layer):
            if not inner.built:
                inner.build(sequences_shape)
                inner.built = True
        self.built = True

    def _merge(self, y, y_rev):
        if self.merge_mode == "concat":
            return ops.concatenate([y, y_rev], axis=-1)
        if self.merge_mode == "sum":
            return ops.add(y, y_rev)
        if self.merge_mode == "ave":
            return ops.divide(ops.add(y, y_rev), 2.0)
        if self.merge_mode == "mul":
            return ops.multiply(y, y_rev)
        return [y, y_rev]

    def call(self, sequences, initial_state=None, mask=None, training=None):
        kwargs = {}
        if mask is not None:
            kwargs["mask"] = mask[0] if isinstance(mask, (list, tuple)) \
                else mask
        if training is not None:
            kwargs["training"] = training
        forward_state = backward_state = None
        if initial_state is not None:
            half = len(initial_state) // 2
            forward_state = list(initial_state[:half])
            backward_state = list(initial_state[half:])
        y = self.forward_layer(sequences, initial_state=forward_state,
                               **kwargs)
        y_rev = self.backward_layer(sequences, initial_state=backward_state,
                                    **kwargs)
        states = []
        if self.return_state:
            states = list(y[1:]) + list(y_rev[1:])
            y, y_rev = y[0], y_rev[0]
        if self.return_sequences:
            y_rev = ops.flip(y_rev, axis=1)
        output = self._merge(y, y_rev)
        if self.return_state:
            head = output if self.merge_mode is None else [output]
            return head + states
        return output

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        shape = self.forward_layer.compute_output_shape(sequences_shape)
        states = []
        if self.return_state:
            shape, states = shape[0], list(shape[1:])
        shape = tuple(shape)
        if self.merge_mode == "concat":
            shape = shape[:-1] + (shape[-1] * 2,)
        head = [shape, shape] if self.merge_mode is None else [shape]
        if self.return_state:
            return head + states + states
        return head if self.merge_mode is None else shape

    def compute_mask(self, inputs, mask=None):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        output_mask = mask if self.return_sequences else None
        head = [output_mask, output_mask] if self.merge_mode is None \
            else [output_mask]
        if self.return_state:
            count = len(getattr(self.forward_layer, "state_size", ()))
            return head + [None] * (2 * count)
        return head if self.merge_mode is None else output_mask

    def reset_states(self, states=None):
        if not self.stateful:
            raise AttributeError(f"Layer '{self.name}' is not stateful.")
        half = None if states is None else len(states) // 2
        self.forward_layer.reset_states(
            None if states is None else states[:half])
        self.backward_layer.reset_states(
            None if states is None else states[half:])

    reset_state = reset_states

    @property
    def states(self):
        forward = getattr(self.forward_layer, "states", None)
        backward = getattr(self.backward_layer, "states", None)
        if forward and backward:
            return list(forward) + list(backward)
        return None

    def get_config(self):
        return {**super().get_config(), "merge_mode": self.merge_mode,
                "layer": serialize(self.forward_layer),
                "backward_layer": serialize(self.backward_layer)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = copy.deepcopy(config)
        config["layer"] = deserialize_layer(config["layer"], custom_objects)
        backward = config.pop("backward_layer", None)
        if backward is not None:
            config["backward_layer"] = deserialize_layer(backward,
                                                         custom_objects)
        return cls(**config)
