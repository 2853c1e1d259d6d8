"""`keras.ops` calls recorded in Keras 3 functional configs.

Keras 3 records an op called on symbolic tensors (`x[:, :2]`,
`ops.not_equal(x, 0)`, the mask an `Embedding(mask_zero=True)` computes)
as a node of the model, serialized as `{"module": "keras.src.ops.numpy",
"class_name": "NotEqual", "config": {"name": ..., <op arguments>}}` with
the call's other arguments (numbers, slices) in its `inbound_nodes`.
`op_layer(class_name)` gives a layer class that replays such an op with
the `lamina.ops` function of the same name, so these files load; lamina's
own `TensorOp` nodes are written in the same form (`to_keras_entry`).
"""

import inspect
import re

from lamina import ops
from lamina.layers.layer import Layer

_classes = {}


def _snake(name):
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z0-9])([A-Z])", r"\1_\2", name).lower()


def _camel(name):
    return "".join(part.capitalize() for part in name.split("_"))


def _parameters(function):
    try:
        return inspect.signature(function).parameters
    except (TypeError, ValueError):
        return {}


def _get_item(x, key):
    return x[tuple(key) if isinstance(key, list) else key]


class KerasOp(Layer):
    """Base of the layers made by `op_layer`: calls `op_function` with the
    node's arguments and the op's own arguments (its config)."""

    op_name = None
    op_module = "keras.src.ops.numpy"

    def __init__(self, name=None, **op_arguments):
        super().__init__(name=name)
        self.op_arguments = op_arguments
        self.built = True

    @classmethod
    def op_function(cls):
        if cls.op_name == "get_item":
            return _get_item
        function = getattr(ops, cls.op_name, None)
        if function is None:
            raise ValueError(
                f"The model uses the Keras op '{_camel(cls.op_name)}' "
                f"(keras.ops.{cls.op_name}), which lamina.ops does not "
                "have, so this model can't be loaded.")
        return function

    def call(self, *args, **kwargs):
        return self.op_function()(*args, **self.op_arguments, **kwargs)

    def get_config(self):
        return {"name": self.name, **self.op_arguments}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        function = cls.op_function()  # unknown ops fail here, at load time
        config.pop("trainable", None)  # written by older lamina versions
        if "dtype" in config and "dtype" not in _parameters(function):
            del config["dtype"]  # the same (a dtype policy, not an argument)
        return cls(**config)


def op_layer(class_name, module="keras.src.ops.numpy"):
    """The layer class replaying the Keras op `class_name` ('NotEqual')."""
    if class_name not in _classes:
        _classes[class_name] = type(class_name, (KerasOp,), {
            "op_name": _snake(class_name), "op_module": module,
            "__module__": __name__,
            "__doc__": f"Replays `keras.ops.{_snake(class_name)}`."})
    return _classes[class_name]


def from_entry(entry):
    """The layer for a serialized Keras op entry: a `TensorOp` for the
    arithmetic lamina records itself, else an `op_layer` instance."""
    from lamina.layers.core.tensor_op import _OPS, TensorOp
    config = dict(entry.get("config") or {})
    name = _snake(entry["class_name"])
    if name in _OPS and set(config) <= {"name"}:
        return TensorOp(op=name, name=config.get("name"))
    return op_layer(entry["class_name"], entry["module"]).from_config(config)


def is_op_entry(entry):
    """Whether a serialized entry is a Keras op (not a layer)."""
    return isinstance(entry, dict) and str(entry.get("module") or "") \
        .startswith("keras.src.ops")


def to_keras_entry(entry):
    """A lamina `TensorOp` or `KerasOp` entry in Keras 3's op form."""
    config = dict(entry["config"])
    if entry["class_name"] == "TensorOp":
        name = _camel(config["op"])
        config = {"name": config.get("name")}
        module = "keras.src.ops.numpy"
    else:
        name = entry["class_name"]
        module = op_layer(name).op_module
    out = {k: v for k, v in entry.items() if k not in ("module", "config")}
    out.update(module=module, class_name=name, config=config,
               registered_name=name)
    return out
