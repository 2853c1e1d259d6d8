"""Keras 3's scikit-learn wrappers: `keras.wrappers.SKLearnClassifier`
and `SKLearnRegressor`.

Keras 3 removed Keras 2's `KerasClassifier(build_fn=, **sk_params)` and,
from Keras 3.5 on, offers these instead, with fixed constructor
arguments: `model` (a compiled model, or a function called as
`model(X=X, y=y, **model_kwargs)` that returns one), `warm_start`,
`model_kwargs` and `fit_kwargs`. The classifier one-hot encodes the
labels for the model (so it ends in one unit per class, trained with
`categorical_crossentropy`) and maps predicted probabilities back to the
labels; `score` is scikit-learn's (accuracy, R² for the regressor). A
grid search varies `model_kwargs` / `fit_kwargs` as whole dicts, or `fit`
arguments passed through `GridSearchCV.fit(X, y, epochs=...)`.

Example:

    def build(X, y, hidden=16):
        model = keras.Sequential([keras.Input((X.shape[1],)),
                                  keras.layers.Dense(hidden, "relu"),
                                  keras.layers.Dense(y.shape[1],
                                                     "softmax")])
        model.compile("adam", "categorical_crossentropy")
        return model

    clf = SKLearnClassifier(model=build, fit_kwargs={"epochs": 20})
    GridSearchCV(clf, {"model_kwargs": [{"hidden": 4}, {"hidden": 16}]})

Unlike Keras, `predict` runs the model quietly (`verbose=0`).
"""

import numpy as np
import sklearn.base
from sklearn.utils.validation import check_is_fitted

from lamina.models import Model


def _clone_model(model):
    """A fresh, compiled copy of `model` (new weights), as Keras's
    `clone_model` followed by the original compile arguments."""
    from lamina.saving import keras_format
    try:
        copy = type(model).from_config(model.get_config())
    except (NotImplementedError, TypeError) as e:
        raise TypeError(
            f"SKLearn wrappers: cannot clone the model "
            f"{type(model).__name__!r} ({e}); pass a function that builds "
            f"and compiles it as `model=` instead, or warm_start=True."
        ) from e
    config = keras_format.compile_config(model)
    if config is None:
        raise ValueError("SKLearn wrappers: the model passed as `model=` "
                         "must be compiled.")
    keras_format.compile_from_config(copy, config)
    return copy


def _as_array(x, name):
    x = np.asarray(x)
    if x.ndim == 0:
        raise ValueError(f"SKLearn wrappers: `{name}` must be an array of "
                         f"samples; got a scalar {x!r}.")
    return x


class SKLBase(sklearn.base.BaseEstimator):
    """The part shared by `SKLearnClassifier` and `SKLearnRegressor`.

    Args:
        model: a compiled `Model` (copied with fresh weights before each
            fit unless `warm_start`), or a function `model(X=, y=,
            **model_kwargs)` returning a compiled model; `y` is the
            encoded target (one-hot for the classifier).
        warm_start: keep training the previously fitted model.
        model_kwargs: keyword arguments for the `model` function.
        fit_kwargs: keyword arguments for the model's `fit`; those given
            to this object's `fit` take precedence.

    Attributes (after `fit`):
        model_: the fitted model.
        history_: the `History.history` dict of the last fit.
    """

    def __init__(self, model, warm_start=False, model_kwargs=None,
                 fit_kwargs=None):
        self.model = model
        self.warm_start = warm_start
        self.model_kwargs = model_kwargs
        self.fit_kwargs = fit_kwargs

    def _get_model(self, X, y):
        if self.warm_start and hasattr(self, "model_"):
            return self.model_
        if isinstance(self.model, Model):
            return self.model if self.warm_start else \
                _clone_model(self.model)
        if not callable(self.model):
            raise TypeError(f"{type(self).__name__}: `model` must be a "
                            f"compiled Model or a function returning one; "
                            f"got {type(self.model).__name__}.")
        model = self.model(X=X, y=y, **(self.model_kwargs or {}))
        if not isinstance(model, Model) or not getattr(model, "compiled",
                                                       False):
            raise ValueError(f"{type(self).__name__}: the `model` function "
                             f"must return a compiled Model; got "
                             f"{model!r}.")
        return model

    def fit(self, X, y, **kwargs):
        """Fits the model (a new one unless `warm_start`); returns self.

        Args:
            X: training inputs, `(samples, features)`.
            y: targets, `(samples,)` (or `(samples, outputs)` for the
                regressor).
            **kwargs: arguments of the model's `fit`.
        """
        X = _as_array(X, "X")
        self.n_features_in_ = X.shape[1] if X.ndim > 1 else 1
        target = self._encode_target(_as_array(y, "y"), reset=True)
        model = self._get_model(X, target)
        fit_kwargs = dict(self.fit_kwargs or {})
        fit_kwargs.update(kwargs)
        self.history_ = dict(model.fit(X, target, **fit_kwargs).history)
        self.model_ = model
        return self

    def predict(self, X):
        """Predictions as labels (classifier) or values (regressor)."""
        check_is_fitted(self)
        raw = np.asarray(self.model_.predict(_as_array(X, "X"), verbose=0))
        return self._decode_target(raw)

    def __sklearn_is_fitted__(self):
        return hasattr(self, "model_")

    def _more_tags(self):  # scikit-learn < 1.6
        return {"non_deterministic": True, "poor_score": True}


class SKLearnClassifier(sklearn.base.ClassifierMixin, SKLBase):
    """A scikit-learn classifier around a lamina model (Keras 3's
    `keras.wrappers.SKLearnClassifier`).

    Labels (any sortable values) become one-hot rows, one column per
    class in `classes_`; the model must output one probability per
    class. See `SKLBase` for the arguments.
    """

    def _encode_target(self, y, reset=False):
        if y.ndim == 2 and y.shape[1] == 1:
            y = y[:, 0]
        if y.ndim != 1:
            raise ValueError(f"SKLearnClassifier: `y` must hold one label "
                             f"per sample, shape (samples,); got shape "
                             f"{y.shape}.")
        if reset:
            self.classes_ = np.unique(y)
            if len(self.classes_) < 2:
                raise ValueError("SKLearnClassifier: can't train with only "
                                 f"one class present ({self.classes_!r}).")
        indices = np.searchsorted(self.classes_, y)
        indices = np.clip(indices, 0, len(self.classes_) - 1)
        if np.any(self.classes_[indices] != y):
            raise ValueError("SKLearnClassifier: `y` holds labels not seen "
                             "in fit.")
        return np.eye(len(self.classes_), dtype="float32")[indices]

    def _decode_target(self, probabilities):
        return self.classes_[np.argmax(probabilities, axis=-1)]

    def predict_proba(self, X):
        """Class probabilities, shape `(samples, n_classes)`."""
        check_is_fitted(self)
        return np.asarray(self.model_.predict(_as_array(X, "X"), verbose=0))


class SKLearnRegressor(sklearn.base.RegressorMixin, SKLBase):
    """A scikit-learn regressor around a lamina model (Keras 3's
    `keras.wrappers.SKLearnRegressor`). A 1-D target is given to the
    model as one column and predictions come back 1-D. See `SKLBase`."""

    def _encode_target(self, y, reset=False):
        if reset:
            self._flat_target = y.ndim == 1
        return y.reshape(-1, 1) if y.ndim == 1 else y

    def _decode_target(self, predictions):
        if self._flat_target and predictions.ndim == 2 and \
                predictions.shape[1] == 1:
            return predictions[:, 0]
        return predictions


__all__ = ["SKLearnClassifier", "SKLearnRegressor"]
