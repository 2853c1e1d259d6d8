"""Serialization: `get_config` trees in Keras 3's schema, and the registry.

`serialize(obj)` gives `{"module", "class_name", "config",
"registered_name"}` as Keras 3 writes it; `deserialize` turns such a dict (or
a bare class name, or a Keras 1/2 style `{"class_name", "config"}`) back
into an object. Classes are found in the explicit tables of each package
(`lamina.layers`, `lamina.losses`, ...), then in `custom_objects`, then in
classes registered with `register_serializable`.
"""

import importlib

_CUSTOM = {}
_custom_scope = []

# Where each kind of object's classes are looked up, by package.
_PACKAGES = {
    "layers": "lamina.layers",
    "models": "lamina.models",
    "losses": "lamina.losses",
    "metrics": "lamina.metrics",
    "optimizers": "lamina.optimizers",
    "initializers": "lamina.initializers",
    "regularizers": "lamina.regularizers",
    "constraints": "lamina.constraints",
    "activations": "lamina.activations",
    "schedules": "lamina.optimizers.schedules",
    "callbacks": "lamina.callbacks",
}


def register_serializable(package="Custom", name=None):
    """Decorator: makes a custom class or function loadable by name."""
    def decorator(obj):
        key = f"{package}>{name or obj.__name__}"
        _CUSTOM[key] = obj
        _CUSTOM[name or obj.__name__] = obj
        obj._registered_name = key
        return obj
    return decorator


class custom_object_scope:
    """Context in which `custom_objects` are visible to `deserialize`."""

    def __init__(self, custom_objects):
        self.custom_objects = dict(custom_objects or {})

    def __enter__(self):
        _custom_scope.append(self.custom_objects)
        return self

    def __exit__(self, *exc):
        _custom_scope.pop()


def _module_of(obj):
    module = type(obj).__module__ if not isinstance(obj, type) \
        else obj.__module__
    parts = module.split(".")
    if parts[0] == "lamina" and len(parts) > 1:
        return "keras." + parts[1]  # Keras 3 writes e.g. "keras.layers"
    return module


def serialize(obj):
    """The config dict of `obj`, or None / a plain name for simple values."""
    if obj is None or isinstance(obj, (str, int, float, bool)):
        return obj
    if callable(obj) and not hasattr(obj, "get_config"):
        name = getattr(obj, "_registered_name", None) or obj.__name__
        return name
    return {
        "module": _module_of(obj),
        "class_name": type(obj).__name__,
        "config": obj.get_config(),
        "registered_name": getattr(type(obj), "_registered_name", None),
    }


def find_class(name, kind, custom_objects=None):
    """The class or function called `name` among objects of `kind`."""
    for scope in reversed(_custom_scope):
        if name in scope:
            return scope[name]
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    package = importlib.import_module(_PACKAGES[kind])
    table = getattr(package, "ALL_OBJECTS", None)
    found = table.get(name) if table else getattr(package, name, None)
    if found is not None:
        return found
    if name in _CUSTOM:
        return _CUSTOM[name]
    return None


def deserialize(config, kind, custom_objects=None):
    """An object from its `serialize` form; `kind` is e.g. 'layers'."""
    if config is None:
        return None
    if isinstance(config, str):
        cls = find_class(config, kind, custom_objects)
        if cls is None:
            raise ValueError(f"Unknown {kind[:-1]}: '{config}'. Pass it in "
                             "`custom_objects` or register it with "
                             "`@lamina.saving.register_serializable()`.")
        return cls() if isinstance(cls, type) else cls
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"Could not interpret {kind[:-1]} config: "
                         f"{config!r}")
    name = config.get("registered_name") or config["class_name"]
    cls = find_class(name, kind, custom_objects) or find_class(
        config["class_name"], kind, custom_objects)
    if cls is None:
        raise ValueError(
            f"Unknown {kind[:-1]} class '{config['class_name']}'. If it is "
            "a custom class, pass it in `custom_objects={'"
            f"{config['class_name']}': ...}}` or register it with "
            "`@lamina.saving.register_serializable()`.")
    inner = config.get("config", {})
    if hasattr(cls, "from_config"):
        return cls.from_config(inner) if isinstance(inner, dict) else cls()
    return cls(**inner) if isinstance(inner, dict) else cls
