"""`lamina.datasets`: data sets in Keras's `load_data()` form.

`mnist`, `fashion_mnist`, `cifar10`, `cifar100`, `imdb`, `reuters`,
`boston_housing` and `california_housing` take Keras's arguments and return
Keras's values, from Keras's files: each file is looked up in
`$LAMINA_HOME/datasets/` (default `~/.lamina/datasets/`), then in Keras's
cache `$KERAS_HOME/datasets/` (default `~/.keras/datasets/`), and is
downloaded from the source Keras uses (hash-checked) when in neither.
`digits` is scikit-learn's bundled 8x8 digits, needing no download.

Each module's `load_data()` returns `(x_train, y_train), (x_test, y_test)`
as NumPy arrays. The modules are imported on first use, so `import lamina`
does not pay for them.
"""

import importlib

from lamina.datasets import digits

_LAZY = ("boston_housing", "california_housing", "cifar10", "cifar100",
         "fashion_mnist", "imdb", "mnist", "reuters")


def __getattr__(name):
    if name in _LAZY:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_LAZY))


__all__ = ["boston_housing", "california_housing", "cifar10", "cifar100",
           "digits", "fashion_mnist", "imdb", "mnist", "reuters"]
