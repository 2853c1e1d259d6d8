"""`lamina.wrappers`: Keras 2's and Keras 3's `keras.wrappers`.

`lamina.wrappers.scikit_learn` holds Keras 2's `KerasClassifier` and
`KerasRegressor`; `SKLearnClassifier` and `SKLearnRegressor` are Keras
3's (`keras.wrappers.SKLearnClassifier`, in
`lamina.wrappers.sklearn_wrapper`). All are scikit-learn estimators
around lamina models; their modules (and scikit-learn) load on first use.
"""

import importlib


def __getattr__(name):
    if name == "scikit_learn":
        return importlib.import_module("lamina.wrappers.scikit_learn")
    if name in ("KerasClassifier", "KerasRegressor"):
        module = importlib.import_module("lamina.wrappers.scikit_learn")
        return getattr(module, name)
    if name in ("SKLearnClassifier", "SKLearnRegressor"):
        module = importlib.import_module("lamina.wrappers.sklearn_wrapper")
        return getattr(module, name)
    raise AttributeError(f"module 'lamina.wrappers' has no attribute "
                         f"{name!r}")


__all__ = ["KerasClassifier", "KerasRegressor", "SKLearnClassifier",
           "SKLearnRegressor", "scikit_learn"]
