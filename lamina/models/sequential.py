"""`Sequential`: a plain stack of layers, one input and one output."""

from lamina.backend.common.symbolic import SymbolicTensor
from lamina.layers.core.input_layer import Input, InputLayer
from lamina.layers.layer import Layer
from lamina.models.model import Model


class Sequential(Model):
    """A model whose layers each feed the next.

    The input shape comes from an `Input` (or `InputLayer`) first, from
    `input_shape=`/`input_dim=` on the first layer, or from the first call.

    Example:

    >>> import lamina
    >>> model = lamina.Sequential([
    ...     lamina.layers.Dense(8, activation="relu", input_shape=(4,)),
    ...     lamina.layers.Dense(1)])
    >>> model.output_shape
    (None, 1)
    """

    def __init__(self, layers=None, trainable=True, name=None, **kwargs):
        super().__init__(trainable=trainable, name=name, **kwargs)
        self._stack = []
        self._input_layer = None
        self._functional = None
        self.built = False
        for layer in layers or []:
            self.add(layer, rebuild=False)
        self._maybe_rebuild()

    def add(self, layer, rebuild=True):
        """Appends `layer` (or an `Input` tensor) to the stack."""
        if isinstance(layer, SymbolicTensor) and layer._history and \
                isinstance(layer._history[0], InputLayer):
            layer = layer._history[0]
        if isinstance(layer, InputLayer):
            if self._input_layer is not None or self._stack:
                raise ValueError("Sequential: an Input can only be the "
                                 "first entry of the model.")
            self._input_layer = layer
        elif isinstance(layer, Layer):
            if any(layer is l for l in self._stack):
                raise ValueError(f"Sequential: layer '{layer.name}' is "
                                 "already in the model.")
            if _head(layer) is not None and (self._stack or
                                             self._input_layer is not None):
                raise ValueError(f"Sequential: Merge '{layer.name}' of "
                                 "models can only be the first layer.")
            self._stack.append(layer)
            self._track(layer)
        else:
            raise TypeError(f"Sequential.add: expected a Layer, got "
                            f"{layer!r}.")
        if rebuild:
            self._maybe_rebuild()

    def pop(self, rebuild=True):
        """Removes and returns the last layer."""
        if not self._stack:
            raise TypeError("Sequential.pop: there are no layers to remove.")
        layer = self._stack.pop()
        self._layers = [l for l in self._layers if l is not layer]
        self._functional = None
        self.built = False
        if rebuild:
            self._maybe_rebuild()
        return layer

    def _input_shape_known(self):
        if self._input_layer is not None:
            return self._input_layer.batch_shape, self._input_layer.dtype
        if self._stack and self._stack[0]._batch_input_shape is not None:
            return self._stack[0]._batch_input_shape, None
        return None

    def _maybe_rebuild(self):
        if self._stack and _head(self._stack[0]) is not None:
            self._build_graph(None)
            return
        known = self._input_shape_known()
        if known is not None and self._stack:
            self._build_graph(*known)

    def _build_graph(self, batch_shape, dtype=None):
        head = _head(self._stack[0]) if self._stack else None
        if head is not None:  # Keras 1: Merge([model_a, model_b]) first
            inputs, x = head
            rest = self._stack[1:]
        else:
            if self._input_layer is None:
                self._input_layer = Input(batch_shape=batch_shape,
                                          dtype=dtype)._history[0]
            inputs = x = self._input_layer.output
            rest = self._stack
        self._drop_graph_nodes()
        made = []
        for layer in rest:
            x = layer(x)
            made.append((layer, layer._inbound_nodes[-1]))
        object.__setattr__(self, "_graph_nodes", made)
        from lamina.models.functional import Functional
        # Not tracked as a sublayer: its layers are this model's own.
        object.__setattr__(self, "_functional", Functional(
            inputs, x, name=self.name + "_graph"))
        self.built = True

    def _drop_graph_nodes(self):
        """Forgets the calls the previous graph made (each `add` redraws
        it), so `layer.output` means this model's one call, as in Keras."""
        for layer, node in self.__dict__.get("_graph_nodes", ()):
            if layer._inbound_nodes and layer._inbound_nodes[-1] is node:
                layer._inbound_nodes.pop()

    def build(self, input_shape=None):
        if self._functional is None:
            if input_shape is None:
                raise ValueError("Sequential.build needs an input shape.")
            self._build_graph(tuple(input_shape))
        self.built = True

    def _build_on_first_call(self, first_input):
        if self._functional is None:
            shape = tuple(first_input.shape)
            self._build_graph((None,) + shape[1:])

    def call(self, inputs, training=None, mask=None):
        if self._functional is None:
            self._build_on_first_call(inputs)
        return self._functional.call(inputs, training=training)

    def compute_output_spec(self, inputs, training=None, mask=None):
        if self._functional is None:
            self._build_graph((None,) + tuple(inputs.shape)[1:],
                              inputs.dtype)
        return self._functional.compute_output_spec(inputs)

    @property
    def layers(self):
        return list(self._stack)

    @property
    def inputs(self):
        return self._functional.inputs if self._functional else None

    @property
    def outputs(self):
        return self._functional.outputs if self._functional else None

    @property
    def input_shape(self):
        self._require_built("input_shape")
        return self._functional.input_shape

    @property
    def output_shape(self):
        self._require_built("output_shape")
        return self._functional.output_shape

    @property
    def output_names(self):
        return [self._stack[-1].name] if self._stack else []

    def _require_built(self, what):
        if self._functional is None:
            raise AttributeError(
                f"Sequential model '{self.name}' has no {what} yet: give "
                "the first layer an `input_shape`, start with an `Input`, "
                "or call the model on data first.")

    def get_config(self):
        from lamina.saving.config import serialize
        layers = []
        if self._input_layer is not None:
            layers.append(serialize(self._input_layer))
        layers += [serialize(layer) for layer in self._stack]
        return {"name": self.name, "trainable": self.trainable,
                "layers": layers}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from lamina.saving.config import deserialize
        model = cls(name=config.get("name"),
                    trainable=config.get("trainable", True))
        for entry in config["layers"]:
            if entry.get("class_name") == "InputLayer":
                cfg = dict(entry["config"])
                model.add(Input(batch_shape=cfg.get("batch_shape") or
                                cfg.get("batch_input_shape"),
                                dtype=cfg.get("dtype"),
                                name=cfg.get("name")), rebuild=False)
            else:
                model.add(deserialize(entry, "layers", custom_objects),
                          rebuild=False)
        model._maybe_rebuild()
        return model


def _head(layer):
    """A Keras 1 `Merge([model_a, model_b])`'s (inputs, output), else None:
    it starts the model instead of an Input."""
    return getattr(layer, "_sequential_head", None)
