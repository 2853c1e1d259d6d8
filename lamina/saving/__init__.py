"""`lamina.saving`: configs, `.keras` archives, weights files, legacy `.h5`.

Files follow Keras's formats, so models move between lamina and Keras:
`save_model`/`load_model` for the `.keras` zip (and Keras 1/2's `.h5`
model files), `save_weights`/`load_weights` for `.weights.h5` (and old
`.h5` weights), `serialize`/`deserialize` for configs, and
`register_keras_serializable`/`custom_object_scope` for custom classes.
Modules: `archive` (whole files), `weights` (the `.weights.h5` layout),
`legacy_h5` and `legacy_config` (Keras 1/2 files), `keras_format` and
`keras_ops` (what Keras 3 writes differently), `functions` (code in
files, `safe_mode`), `export` (ONNX).
"""

from lamina.saving.archive import (
    load_model,
    load_weights,
    model_from_json,
    model_to_json,
    save_model,
    save_weights,
)
from lamina.saving.config import (
    SafeModeScope,
    custom_object_scope,
    deserialize,
    find_class,
    get_custom_objects,
    register_serializable,
    serialize,
)

# Keras 3's names for the same functions.
register_keras_serializable = register_serializable
serialize_keras_object = serialize
CustomObjectScope = custom_object_scope


def get_registered_name(obj):
    """The name `obj` is saved under: 'package>Name' when registered."""
    return getattr(obj, "_registered_name", None) or getattr(
        obj, "__name__", type(obj).__name__)


def get_registered_object(name, custom_objects=None, module_objects=None):
    """The object registered (or passed) under `name`, or None."""
    objects = dict(module_objects or {}, **(custom_objects or {}))
    if name in objects:
        return objects[name]
    return get_custom_objects().get(name)


_KINDS = ("layers", "losses", "metrics", "optimizers", "initializers",
          "regularizers", "constraints", "activations")


def deserialize_keras_object(config, custom_objects=None, safe_mode=True,
                             module_objects=None, **kwargs):
    """Keras 3's `deserialize_keras_object`: an object from its serialized
    config; the kind (layer, loss, ...) is read from its `module`."""
    objects = dict(module_objects or {}, **(custom_objects or {}))
    module = config.get("module", "") if isinstance(config, dict) else ""
    kind = next((k for k in _KINDS if module.startswith(f"keras.{k}")),
                "layers")
    with SafeModeScope(safe_mode):
        return deserialize(config, kind, objects)


__all__ = [
    "CustomObjectScope", "SafeModeScope", "custom_object_scope",
    "deserialize", "deserialize_keras_object", "find_class",
    "get_custom_objects", "get_registered_name", "get_registered_object",
    "load_model",
    "load_weights", "model_from_json", "model_to_json",
    "register_keras_serializable", "register_serializable", "save_model",
    "save_weights", "serialize", "serialize_keras_object"]
