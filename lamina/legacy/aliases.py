"""`import keras` on lamina: an import hook for unmodified Keras programs.

`alias_keras()` puts a finder first on `sys.meta_path` (so it wins even
where a real Keras is installed) that answers `keras` and every
`keras.<path>` listed in `keras_paths.MODULES` with a module whose names
are looked up in the lamina modules the table gives: `keras.layers.core`,
`keras.utils.np_utils`, `keras.backend` and the rest, of every era. Where
TensorFlow is not installed, `tensorflow.keras` (`from tensorflow import
keras`) is answered too. `unalias_keras()` undoes it all.

Example:

>>> import lamina.legacy
>>> keras = lamina.legacy.alias_keras()
>>> from keras.layers.core import Dense
>>> Dense is lamina.layers.Dense
True
>>> lamina.legacy.unalias_keras()
"""

import importlib
import importlib.abc
import importlib.machinery
import os
import sys
import types

from lamina.backend.common import seed as seed_lib
from lamina.legacy import keras_paths

_TF = "tensorflow"
_state = {"finder": None, "saved": {}}
_noted = set()
_MISSING = object()

# Where a TensorFlow program's most common non-Keras calls have a lamina
# equivalent, the error for `tf.<name>` says so.
_TF_HINTS = {
    "random": "tf.random.set_seed(s) -> keras.utils.set_random_seed(s); "
              "draws -> keras.random",
    "data": "pass NumPy arrays, a generator or a keras.utils.PyDataset to "
            "fit",
    "math": "keras.ops",
    "nn": "keras.ops",
    "config": "keras.config",
}


def _note(key, message):
    """Prints a one-line note to stderr, once per process."""
    if key not in _noted:
        _noted.add(key)
        print(message, file=sys.stderr)


def keras_backend_choice(environ=None):
    """The lamina backend that `KERAS_BACKEND` asks for, or None.

    Keras 3 users set `KERAS_BACKEND`; 'torch', 'jax' and 'numpy' name a
    lamina backend too; they count only when `LAMINA_BACKEND` is unset.
    Any other value (such as 'tensorflow') is ignored with a one-line
    note on stderr.
    """
    environ = os.environ if environ is None else environ
    value = environ.get("KERAS_BACKEND", "").strip().lower()
    if value in ("torch", "jax", "numpy"):
        return None if environ.get("LAMINA_BACKEND") else value
    if not value:
        return None
    from lamina import backend
    _note(("keras_backend", value),
          f"lamina: KERAS_BACKEND={value!r} ignored; lamina runs on "
          f"{backend.backend()} (LAMINA_BACKEND=torch, jax or numpy "
          f"chooses).")
    return None


def _check_keras_backend():
    """Notes a `KERAS_BACKEND` that asks for another engine than the one
    lamina started on (a script that sets it before `import keras`)."""
    choice = keras_backend_choice()
    from lamina import backend
    if choice is not None and choice != backend.backend():
        _note(("keras_backend_late", choice),
              f"lamina: KERAS_BACKEND={choice!r} came after lamina started "
              f"on {backend.backend()}; set LAMINA_BACKEND={choice} (or "
              f"KERAS_BACKEND) before Python starts to use {choice}.")


class _AliasModule(types.ModuleType):
    """A `keras.*` module whose names come from lamina modules."""

    __lamina_alias__ = True

    def __getattr__(self, name):
        state = self.__dict__
        path = state["__name__"]
        child = f"{path}.{name}"
        if child in keras_paths.MODULES:
            module = importlib.import_module(child)
            state[name] = module
            return module
        if name == "__all__":
            state["__all__"] = _public_names(self)
            return state["__all__"]
        for source, names in state.get("__lamina_sources__", ()):
            if names is None:
                if name.startswith("_"):
                    continue
            elif name not in names:
                continue
            module = _import_source(path, source, name)
            value = getattr(module, name, _MISSING)
            if value is _MISSING or isinstance(value, types.ModuleType):
                continue
            if callable(value):  # classes and functions never change
                state[name] = value
            return value
        primary = state.get("__lamina_sources__", (("lamina", None),))[0]
        raise AttributeError(
            f"module {path!r} has no attribute {name!r}: lamina's "
            f"{primary[0]} has no {name!r} and lamina has no equivalent.")

    def __dir__(self):
        names = set(self.__dict__) | set(self.__all__)
        prefix = self.__name__ + "."
        names.update(p[len(prefix):] for p in keras_paths.MODULES
                     if p.startswith(prefix) and "." not in p[len(prefix):])
        return sorted(names)

    def __repr__(self):
        sources = self.__dict__.get("__lamina_sources__")
        where = sources[0][0] if sources else "lamina"
        return f"<module {self.__name__!r} (alias of {where})>"

    def __call__(self, *args, **kwargs):
        target = keras_paths.CALLABLE.get(self.__name__)
        if target is None:
            raise TypeError(f"'module' object {self.__name__!r} is not "
                            f"callable")
        function = getattr(importlib.import_module(target[0]), target[1])
        return function(*args, **kwargs)


class _TensorflowModule(_AliasModule):
    """`tensorflow` where TensorFlow is not installed: only `.keras`."""

    def __getattr__(self, name):
        if name == "keras":
            return importlib.import_module("keras")
        hint = _TF_HINTS.get(name)
        hint = f" Instead: {hint}." if hint else ""
        raise AttributeError(
            f"module 'tensorflow' has no attribute {name!r}: TensorFlow is "
            f"not installed, and lamina stands in only for "
            f"tensorflow.keras (tf.keras).{hint}")

    def __dir__(self):
        return ["keras"]


def _import_source(path, source, name=None):
    """Imports lamina module `source` for Keras `path`; a missing module is
    an ImportError naming both."""
    try:
        return importlib.import_module(source)
    except ModuleNotFoundError as e:
        if not e.name or not (source == e.name or
                              source.startswith(e.name + ".")):
            raise  # a module that `source` itself needs: its own error
        what = f"{path}.{name}" if name else path
        error = ModuleNotFoundError if name is None else ImportError
        raise error(f"{what} maps to lamina's {source}, which is not "
                    f"available in this installation ({e}).",
                    name=path) from e


def _public_names(module):
    """`__all__` of an alias module: its names and every declared name
    whose lamina module can be imported."""
    names = []
    for source, declared in module.__dict__["__lamina_sources__"]:
        try:
            found = importlib.import_module(source)
        except ImportError:
            continue
        if declared is None:
            declared = [n for n in dir(found) if not n.startswith("_")]
        names.extend(n for n in declared if not isinstance(
            getattr(found, n, None), (types.ModuleType, type(None))))
    return sorted(set(names))


def _populate(module, path):
    """Fills alias `module` for Keras `path` from its primary source."""
    sources = keras_paths.sources(path)
    source, names = sources[0]
    primary = _import_source(path, source)
    state = module.__dict__
    state["__lamina_sources__"] = tuple(sources)
    state["__doc__"] = (f"`{path}` run on lamina: names from "
                        f"{', '.join(s for s, _ in sources)}.")
    if getattr(primary, "__file__", None):
        state["__file__"] = primary.__file__
    if names is None:
        names = [n for n in dir(primary) if not n.startswith("_")]
    # Classes and functions are copied; other values (which a lamina
    # module may reassign) are read from it on each access.
    for name in names:
        value = getattr(primary, name, None)
        if callable(value) and not isinstance(value, types.ModuleType):
            state[name] = value
    if path == "keras":
        _check_keras_backend()


class _Loader(importlib.abc.Loader):
    """Makes alias modules; `tensorflow.keras.*` reuse `keras.*`."""

    def create_module(self, spec):
        if spec.name == _TF:
            return _TensorflowModule(_TF)
        return _AliasModule(spec.name)

    def exec_module(self, module):
        name = module.__name__
        if name == _TF:
            return
        if name.startswith(_TF + "."):
            # The same module objects as `keras.*`: importlib returns
            # whatever is in sys.modules after exec_module.
            sys.modules[name] = importlib.import_module(name[len(_TF) + 1:])
            return
        _populate(module, name)


_LOADER = _Loader()


class _Finder(importlib.abc.MetaPathFinder):
    """Answers `keras.*` (and `tensorflow[.keras.*]` if `tensorflow`)."""

    def __init__(self, tensorflow):
        self.tensorflow = tensorflow

    def claims(self, fullname):
        return (fullname == "keras" or fullname.startswith("keras.") or
                (self.tensorflow and (fullname == _TF or
                                      fullname.startswith(_TF + "."))))

    def find_spec(self, fullname, path=None, target=None):
        if not self.claims(fullname):
            return None
        keras_path = fullname
        if fullname == _TF:
            keras_path = "keras"
        elif fullname.startswith(_TF + "."):
            keras_path = fullname[len(_TF) + 1:]
            if keras_path != "keras" and not keras_path.startswith("keras."):
                raise ModuleNotFoundError(
                    f"No module named {fullname!r}: TensorFlow is not "
                    f"installed, and lamina stands in only for "
                    f"tensorflow.keras.", name=fullname)
        if keras_path not in keras_paths.MODULES:
            raise ModuleNotFoundError(
                f"No module named {fullname!r}: lamina has no equivalent "
                f"of the Keras module {keras_path!r}.", name=fullname)
        return importlib.machinery.ModuleSpec(fullname, _LOADER,
                                              is_package=True)


def _real_tensorflow():
    """Whether a real TensorFlow is imported or importable."""
    module = sys.modules.get(_TF)
    if module is not None:
        return not isinstance(module, _AliasModule)
    return importlib.machinery.PathFinder.find_spec(_TF) is not None


def alias_keras():
    """Makes `import keras` and every `keras.*` module path import lamina.

    Idempotent. Real `keras` modules imported before are set aside (and
    put back by `unalias_keras`). `tensorflow.keras` is aliased too when
    TensorFlow is not installed.

    Returns:
        The `keras` alias module.
    """
    install()
    return importlib.import_module("keras")


def install():
    """`alias_keras` without importing `keras` now (what `lamina run`
    uses, so that a script may set `KERAS_BACKEND` before its import)."""
    finder = _state["finder"]
    if finder is None:
        finder = _Finder(tensorflow=not _real_tensorflow())
        _state["saved"] = {name: sys.modules.pop(name)
                           for name in list(sys.modules)
                           if finder.claims(name)}
        _state["finder"] = finder
    while finder in sys.meta_path:
        sys.meta_path.remove(finder)
    sys.meta_path.insert(0, finder)
    # Keras 1 and 2 seeded unseeded draws from `np.random`: a script's
    # `np.random.seed(1337)` made its runs repeat.
    seed_lib.use_numpy_seeds(True)


def unalias_keras():
    """Undoes `alias_keras`: removes the hook and the alias modules, and
    puts back any real `keras` modules it set aside. Idempotent."""
    finder = _state["finder"]
    if finder is None:
        return
    while finder in sys.meta_path:
        sys.meta_path.remove(finder)
    for name in list(sys.modules):
        if finder.claims(name) and isinstance(sys.modules[name],
                                              _AliasModule):
            del sys.modules[name]
    sys.modules.update(_state["saved"])
    _state.update(finder=None, saved={})
    seed_lib.use_numpy_seeds(False)


def is_aliased():
    """Whether `alias_keras` is in force."""
    return _state["finder"] is not None
