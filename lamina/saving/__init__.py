"""`lamina.saving`: configs, `.keras` archives and weights files.

Files follow Keras 3's formats, so models move between lamina and Keras 3:
`save_model`/`load_model` for the `.keras` zip, `save_weights`/
`load_weights` for `.weights.h5`, `serialize`/`deserialize` for configs.
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
    register_serializable,
    serialize,
)

# Keras 3's names for the same functions.
register_keras_serializable = register_serializable
serialize_keras_object = serialize
CustomObjectScope = custom_object_scope


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
    "deserialize", "deserialize_keras_object", "find_class", "load_model",
    "load_weights", "model_from_json", "model_to_json",
    "register_keras_serializable", "register_serializable", "save_model",
    "save_weights", "serialize", "serialize_keras_object"]
