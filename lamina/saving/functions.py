"""Python functions in configs (a `Lambda` layer's function), as Keras 3
stores them.

A lambda is stored as its bytecode, `{"class_name": "__lambda__",
"config": {"code": base64 of marshal.dumps(fn.__code__), "defaults",
"closure"}}`; bytecode only loads on the Python version that wrote it.
A named function is stored by name, `{"module", "class_name":
"function", "config": name, "registered_name"}`. Loading bytecode runs
code from the file, so it is refused unless `safe_mode=False`; so is
importing a function from a module other than lamina's (or Keras's, read
as lamina's).
"""

import base64
import builtins
import importlib
import marshal
import types

_REFUSED = ("Refusing to load {what}: {why}, and loading it would run "
            "code from the file. If you trust the file, load it with "
            "`safe_mode=False` (e.g. `load_model(path, safe_mode=False)`).")


def serialize_function(fn):
    """The config of a function, in Keras 3's form."""
    name = getattr(fn, "__name__", "<lambda>")
    if name != "<lambda>" and getattr(fn, "__module__", None) and \
            not fn.__module__.startswith("__main__"):
        registered = getattr(fn, "_registered_name", None)
        return {"module": fn.__module__, "class_name": "function",
                "config": registered or name,
                "registered_name": registered or name}
    code = base64.encodebytes(marshal.dumps(fn.__code__)).decode("ascii")
    closure = None
    if fn.__closure__:
        closure = [cell.cell_contents for cell in fn.__closure__]
    defaults = list(fn.__defaults__) if fn.__defaults__ else None
    return {"class_name": "__lambda__",
            "config": {"code": code, "defaults": defaults,
                       "closure": closure}}


def _cell(value):
    return (lambda: value).__closure__[0]


def _globals():
    import lamina
    return {"__builtins__": builtins, "lamina": lamina, "ops": lamina.ops}


def _named_function(config, safe_mode):
    from lamina.saving import config as config_lib
    name = config["config"]
    module = config.get("module") or ""
    found = config_lib.find_class(config.get("registered_name") or name,
                                  "activations")
    if found is not None and callable(found):
        return found
    if module.startswith("keras"):  # a Keras function: lamina's twin
        from lamina import ops
        if hasattr(ops, name):
            return getattr(ops, name)
    if module.startswith("lamina"):
        return getattr(importlib.import_module(module), name)
    if safe_mode:
        raise ValueError(_REFUSED.format(
            what=f"function '{name}' from module '{module}'",
            why="it would be imported from a module named in the file"))
    return getattr(importlib.import_module(module), name)


def deserialize_function(config, safe_mode=True):
    """A function from `serialize_function`'s output (lamina's or Keras
    3's)."""
    if callable(config):
        return config
    if isinstance(config, str):
        return _named_function({"config": config}, safe_mode)
    if config.get("class_name") == "function":
        return _named_function(config, safe_mode)
    if safe_mode:
        raise ValueError(_REFUSED.format(
            what="a Lambda layer's function",
            why="it is stored as Python bytecode"))
    inner = config["config"]
    try:
        code = marshal.loads(base64.b64decode(inner["code"]))
    except (ValueError, EOFError, TypeError) as error:
        raise ValueError(
            f"Can't read the bytecode of a Lambda layer's function "
            f"({error}); it was probably written by another Python "
            "version. Rebuild the layer in code.") from None
    defaults = inner.get("defaults")
    closure = inner.get("closure")
    return types.FunctionType(
        code, _globals(), code.co_name,
        tuple(defaults) if defaults is not None else None,
        tuple(_cell(v) for v in closure) if closure else None)
