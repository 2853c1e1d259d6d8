"""`lamina.wrappers`: Keras 2's `keras.wrappers`.

`lamina.wrappers.scikit_learn` holds `KerasClassifier` and
`KerasRegressor`, scikit-learn estimators around lamina models. The
module (and scikit-learn) loads on first use.
"""

import importlib


def __getattr__(name):
    if name == "scikit_learn":
        return importlib.import_module("lamina.wrappers.scikit_learn")
    if name in ("KerasClassifier", "KerasRegressor"):
        module = importlib.import_module("lamina.wrappers.scikit_learn")
        return getattr(module, name)
    raise AttributeError(f"module 'lamina.wrappers' has no attribute "
                         f"{name!r}")


__all__ = ["KerasClassifier", "KerasRegressor", "scikit_learn"]
