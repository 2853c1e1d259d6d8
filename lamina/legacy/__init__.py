"""Keras 1/2 compatibility: old spellings, module aliases, `lamina run`.

`alias_keras()` makes `import keras` (and every `keras.*` module path)
import lamina; `unalias_keras()` undoes it. Both load on first use, so
`import lamina` does not pay for them.
"""

_LAZY = {"alias_keras": "aliases", "unalias_keras": "aliases"}


def __getattr__(name):
    if name in _LAZY:
        import importlib
        module = importlib.import_module(f"lamina.legacy.{_LAZY[name]}")
        return getattr(module, name)
    raise AttributeError(f"module 'lamina.legacy' has no attribute {name!r}")


__all__ = ["alias_keras", "unalias_keras"]
