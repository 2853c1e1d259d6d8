"""What lamina writes differently in files so that Keras 3 reads them.

lamina's `get_config` keeps a layer's dtype as a plain string and accepts
Keras 1/2's `batch_input_shape`; Keras 3 files hold the dtype as a
`DTypePolicy` dict and its layers reject `batch_input_shape` (the model's
`InputLayer` carries the shape instead). `to_keras` rewrites a config tree
that way. Reading needs no rewrite: lamina layers accept both forms.

`compile_config` / `compile_from_config` hold what `compile` was given,
as Keras 3 stores it next to the model config.
"""

from lamina.saving import config as config_lib
from lamina.saving import keras_ops

# Config keys that Keras 3's class of that name does not accept.
_KERAS_REJECTS = {f"SpatialDropout{n}D": ("trainable",) for n in (1, 2, 3)}


def dtype_policy(name):
    """Keras 3's serialized `DTypePolicy` for dtype `name`."""
    return {"module": "keras", "class_name": "DTypePolicy",
            "config": {"name": name}, "registered_name": None}


def _is_plain_layer(entry):
    """Whether a serialized entry is a layer (not a model, not an input)."""
    from lamina.layers.core.input_layer import InputLayer
    from lamina.layers.layer import Layer
    from lamina.models.model import Model
    module = entry.get("module") or ""
    if module.startswith("keras.") and not (
            module == "keras.layers" or module.startswith("keras.src.layers")):
        return False
    name = entry.get("registered_name") or entry["class_name"]
    try:
        cls = config_lib.find_class(name, "layers") or \
            config_lib.find_class(entry["class_name"], "layers")
    except (ImportError, KeyError):
        return False
    return isinstance(cls, type) and issubclass(cls, Layer) and \
        not issubclass(cls, (Model, InputLayer))


def to_keras(tree):
    """A copy of a config tree in the form Keras 3 files use."""
    if isinstance(tree, (list, tuple)):
        return [to_keras(v) for v in tree]
    if not isinstance(tree, dict):
        return tree
    out = {k: to_keras(v) for k, v in tree.items()}
    if out.get("class_name") == "TensorOp" or keras_ops.is_op_entry(out):
        return keras_ops.to_keras_entry(out)
    if "module" in out and "class_name" in out and \
            isinstance(out.get("config"), dict) and _is_plain_layer(out):
        inner = dict(out["config"])
        if isinstance(inner.get("dtype"), str):
            inner["dtype"] = dtype_policy(inner["dtype"])
        inner.pop("batch_input_shape", None)
        for key in _KERAS_REJECTS.get(out["class_name"], ()):
            inner.pop(key, None)
        out["config"] = inner
    return out


# -- compile -----------------------------------------------------------------

def _serialize_tree(value):
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple)):
        return [_serialize_tree(v) for v in value]
    if isinstance(value, dict):
        return {k: _serialize_tree(v) for k, v in value.items()}
    return config_lib.serialize(value)


def _in_package(name, kind):
    import importlib
    package = importlib.import_module(config_lib._PACKAGES[kind])
    table = getattr(package, "ALL_OBJECTS", None) or {}
    return name in table


def _deserialize_tree(value, kind):
    if isinstance(value, list):
        return [_deserialize_tree(v, kind) for v in value]
    if isinstance(value, dict):
        if "class_name" in value:
            return config_lib.deserialize(value, kind)
        return {k: _deserialize_tree(v, kind) for k, v in value.items()}
    if isinstance(value, str) and not _in_package(value, kind):
        # A custom object saved by name: resolve it now, while the
        # loader's `custom_objects` are in scope ('accuracy' and such
        # metric names are left for `compile` to resolve).
        found = config_lib.find_class(value, kind)
        if found is not None:
            return found
        if kind == "losses":
            raise ValueError(f"Unknown loss '{value}'.")
    return value


def compile_config(model):
    """What `model.compile` was given, serialized; None if not compiled."""
    if not getattr(model, "compiled", False):
        return None
    getter = getattr(model, "get_compile_config", None)
    if getter is not None:
        return getter()
    loss = getattr(model, "_compile_loss", None)
    metrics = getattr(model, "_compile_metrics", None)
    return {
        "optimizer": config_lib.serialize(model.optimizer),
        "loss": _serialize_tree(model.loss),
        "loss_weights": _serialize_tree(getattr(loss, "loss_weights",
                                                None)),
        "metrics": _serialize_tree(getattr(metrics, "metrics", None)),
        "weighted_metrics": _serialize_tree(getattr(
            metrics, "weighted_metrics", None)),
        "run_eagerly": bool(getattr(model, "run_eagerly", False)),
        "steps_per_execution": int(getattr(model, "steps_per_execution",
                                           1)),
        "jit_compile": bool(getattr(model, "jit_compile", False)),
    }


def compile_from_config(model, config):
    """Compiles `model` as `compile_config` recorded (lamina or Keras 3)."""
    setter = getattr(model, "compile_from_config", None)
    if setter is not None:
        return setter(config)
    optimizer = config.get("optimizer") or "rmsprop"
    if isinstance(optimizer, dict):
        optimizer = config_lib.deserialize(optimizer, "optimizers")
    kwargs = {}
    for key in ("run_eagerly", "steps_per_execution", "jit_compile"):
        if config.get(key) is not None:
            kwargs[key] = config[key]
    model.compile(
        optimizer=optimizer,
        loss=_deserialize_tree(config.get("loss"), "losses"),
        loss_weights=config.get("loss_weights"),
        metrics=_deserialize_tree(config.get("metrics"), "metrics"),
        weighted_metrics=_deserialize_tree(config.get("weighted_metrics"),
                                           "metrics"),
        **kwargs)
