"""Serialization: `get_config` trees in Keras 3's schema, and the registry.

`serialize(obj)` gives `{"module", "class_name", "config",
"registered_name"}` as Keras 3 writes it; `deserialize` turns such a dict (or
a bare class name, or a Keras 1/2 style `{"class_name", "config"}`) back
into an object. Classes are found in the explicit tables of each package
(`lamina.layers`, `lamina.losses`, ...), then in `custom_objects`, then in
classes registered with `register_serializable`.
"""

import importlib
import inspect

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
    "mixed_precision": "lamina.mixed_precision",
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


# Where Keras 3 says its model classes live (`Functional` is not public).
_MODEL_MODULES = {"Functional": "keras.src.models.functional",
                  "Sequential": "keras", "Model": "keras"}


def _module_of(obj):
    cls = obj if isinstance(obj, type) else type(obj)
    if getattr(cls, "op_name", None) is not None:  # a Keras op node
        return cls.op_module
    parts = cls.__module__.split(".")
    if parts[0] != "lamina" or len(parts) < 2:
        return cls.__module__
    if parts[1] == "models" and cls.__name__ in _MODEL_MODULES:
        return _MODEL_MODULES[cls.__name__]
    if parts[1:3] == ["optimizers", "schedules"]:
        return "keras.optimizers.schedules"
    return "keras." + parts[1]  # Keras 3 writes e.g. "keras.layers"


def _registered_name(obj):
    cls = obj if isinstance(obj, type) else type(obj)
    name = cls.__dict__.get("_registered_name")
    if name is not None:
        return name
    if getattr(cls, "op_name", None) is not None:  # a Keras op node
        return cls.__name__
    # Keras 3 writes the class name for classes outside its public API
    # (its own `Functional`, users' classes) and null for public ones.
    public = cls.__module__.startswith("lamina.") and \
        cls.__name__ != "Functional"
    return None if public else cls.__name__


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
        "registered_name": _registered_name(obj),
    }


def find_class(name, kind, custom_objects=None):
    """The class or function called `name` among objects of `kind`.

    Models are layers too: `kind='layers'` also finds `Functional`,
    `Sequential` and `Model` (Keras 3 nests them as layers).
    """
    for scope in reversed(_custom_scope):
        if name in scope:
            return scope[name]
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    # Models are layers; LossScaleOptimizer lives in mixed_precision (the
    # optimizers package can't import it without a cycle).
    kinds = {"layers": ("layers", "models"),
             "optimizers": ("optimizers", "mixed_precision")}.get(
                 kind, (kind,))
    for k in kinds:
        package = importlib.import_module(_PACKAGES[k])
        table = getattr(package, "ALL_OBJECTS", None)
        found = table.get(name) if table else getattr(package, name, None)
        if found is not None:
            return found
    if name in _CUSTOM:
        return _CUSTOM[name]
    return None


class SafeModeScope:
    """Context in which loading refuses (True) or allows (False) Python
    code stored in a file, such as a `Lambda` layer's lambda."""

    def __init__(self, safe_mode=True):
        self.safe_mode = bool(safe_mode)

    def __enter__(self):
        _safe_mode.append(self.safe_mode)
        return self

    def __exit__(self, *exc):
        _safe_mode.pop()


_safe_mode = [True]


def in_safe_mode():
    """Whether loading currently refuses code stored in files."""
    return _safe_mode[-1]


def _init_keywords(cls):
    """Keyword names `cls(...)` accepts, or None when it takes any."""
    from lamina.layers.layer import _LEGACY_BASE, Layer
    names = set()
    for klass in cls.__mro__:
        init = klass.__dict__.get("__init__")
        if init is None or klass is object:
            continue
        try:
            params = inspect.signature(init).parameters.values()
        except (TypeError, ValueError):
            return None
        names.update(p.name for p in params if p.kind in (
            p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY))
        if klass is Layer:
            return names | _LEGACY_BASE | {"input_dtype"}
        if not any(p.kind is p.VAR_KEYWORD for p in params):
            return names
    return None


def _drop_unset_extras(cls, inner):
    """Keras 3 writes switched-off options lamina doesn't have (e.g.
    Dense's `quantization_config: null`, InputLayer's `optional: false`):
    drop keys `cls` doesn't accept whose value is None or False."""
    from lamina.models.model import Model
    if not isinstance(cls, type) or issubclass(cls, Model):
        return inner
    accepted = _init_keywords(cls)
    if accepted is None:
        return inner
    return {k: v for k, v in inner.items()
            if k in accepted or (v is not None and v is not False)}


def _from_config(cls, inner, custom_objects):
    try:
        params = inspect.signature(cls.from_config).parameters
    except (TypeError, ValueError):
        params = {}
    extra = {}
    if "safe_mode" in params:
        extra["safe_mode"] = in_safe_mode()
    if "custom_objects" in params:
        extra["custom_objects"] = custom_objects
    with custom_object_scope(custom_objects):
        return cls.from_config(inner, **extra)


def find_named(name, kind, custom_objects=None):
    """The class or function called `name` among `kind`; an unknown name
    is a ValueError that lists the valid ones."""
    found = find_class(name, kind, custom_objects)
    if found is None:
        package = importlib.import_module(_PACKAGES[kind])
        valid = sorted(getattr(package, "ALL_OBJECTS", {}))
        raise ValueError(f"Unknown {kind[:-1]}: {name!r}. Valid names are: "
                         f"{', '.join(valid)} (or pass a custom one in "
                         "`custom_objects`).")
    return found


def _unknown_message(kind, name, module):
    where = f" (from module '{module}')" if module else ""
    return (f"Unknown {kind[:-1]} '{name}'{where}: it is not a lamina "
            "object and was not given. If it is your own class or "
            "function, pass it when loading, e.g. `load_model(path, "
            f"custom_objects={{'{name}': {name}}})`, or decorate it with "
            "`@lamina.saving.register_keras_serializable()` before "
            "loading.")


def get_custom_objects():
    """The global dict of registered custom objects (Keras's
    `get_custom_objects`); adding `{"Name": cls}` to it makes `cls`
    loadable by that name."""
    return _CUSTOM


def deserialize(config, kind, custom_objects=None):
    """An object from its `serialize` form; `kind` is e.g. 'layers'."""
    if config is None:
        return None
    if isinstance(config, str):
        cls = find_class(config, kind, custom_objects)
        if cls is None:
            raise ValueError(_unknown_message(kind, config, None))
        return cls() if isinstance(cls, type) else cls
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"Could not interpret {kind[:-1]} config: "
                         f"{config!r}")
    from lamina.saving import keras_ops
    if kind == "layers" and keras_ops.is_op_entry(config):
        return keras_ops.from_entry(config)
    name = config.get("registered_name") or config["class_name"]
    cls = find_class(name, kind, custom_objects) or find_class(
        config["class_name"], kind, custom_objects)
    if cls is None:
        raise ValueError(_unknown_message(kind, config["class_name"],
                                          config.get("module")))
    inner = config.get("config", {})
    if not isinstance(inner, dict):
        return cls() if hasattr(cls, "from_config") else cls
    if "module" in config:  # Keras 3 schema (Keras 1/2 has no "module")
        inner = _drop_unset_extras(cls, inner)
    if "input_layers" in inner and getattr(cls, "__name__", "") == "Model":
        from lamina.models.functional import Functional
        cls = Functional  # Keras 2 wrote functional models as "Model"
    if hasattr(cls, "from_config"):
        return _from_config(cls, inner, custom_objects)
    return cls(**inner)
