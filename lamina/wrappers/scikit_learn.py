"""scikit-learn estimators around lamina models (Keras 2's
`keras.wrappers.scikit_learn`).

`KerasClassifier` and `KerasRegressor` take a function that builds and
compiles a model, plus "sk_params": keyword arguments routed by name to
that function and to the model's `fit`, `predict` and `evaluate`. They are
scikit-learn estimators (`get_params` / `set_params`), so `clone`,
`Pipeline`, `cross_val_score` and `GridSearchCV` work, with grids over
both kinds of argument.

Example:

    def make_model(units=8):
        model = Sequential([Dense(units, activation="relu"),
                            Dense(3, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        return model

    clf = KerasClassifier(build_fn=make_model, epochs=5, verbose=0)
    GridSearchCV(clf, {"units": [8, 16], "epochs": [5, 10]}).fit(x, y)

The scikeras-era spellings work too: `model=make_model` instead of
`build_fn=`, `model__units=16` for an argument of the build function,
`fit__...` / `predict__...` for one of `fit` / `predict`, and
`loss=` / `optimizer=` / `metrics=` to compile a model that the build
function returns uncompiled.
"""

import inspect

import numpy as np
import sklearn.base

from lamina.legacy.arguments import warn_once
from lamina.models import Model
from lamina.utils import to_categorical

_PREFIXES = ("model__", "fit__", "predict__")
_COMPILE_ARGUMENTS = ("loss", "optimizer", "metrics")


def _arguments(fn):
    """The explicit keyword names of `fn`, and whether it takes
    `**kwargs`."""
    try:
        parameters = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return set(), False
    names = {p.name for p in parameters if p.kind in (
        p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
    return names, any(p.kind == p.VAR_KEYWORD for p in parameters)


_FIT = _arguments(Model.fit)[0] - {"self", "x", "y"} | {"nb_epoch"}
_PREDICT = _arguments(Model.predict)[0] - {"self", "x"}
_EVALUATE = _arguments(Model.evaluate)[0] - {"self", "x", "y",
                                              "return_dict"}


def _loss_name(loss):
    name = loss if isinstance(loss, str) else getattr(
        loss, "__name__", getattr(loss, "name", type(loss).__name__))
    return str(name).lower().replace("_", "")


class BaseWrapper(sklearn.base.BaseEstimator):
    """The part shared by `KerasClassifier` and `KerasRegressor`.

    Args:
        build_fn: a function (or an object with `__call__`) returning a
            compiled model; None to use this object's own `__call__`
            (define it in a subclass).
        **sk_params: arguments of `build_fn`, of the model's `fit`,
            `predict` and `evaluate`; `model=` as scikeras's name for
            `build_fn`.

    Attributes (after `fit`):
        model: the fitted lamina model (also `model_`).
        history_: the `History.history` dict of the last `fit` (also
            `history`, so Keras 2's `clf.fit(...).history['loss']` works).
    """

    def __init__(self, build_fn=None, **sk_params):
        self._build_key = "build_fn"
        if "model" in sk_params:
            if build_fn is not None:
                raise TypeError(f"{type(self).__name__}: pass `build_fn` "
                                f"or `model` (scikeras's name), not both.")
            build_fn = sk_params.pop("model")
            self._build_key = "model"
        self.build_fn = build_fn
        self.sk_params = sk_params
        self.check_params(sk_params)
        if "nb_epoch" in sk_params:
            name, value = type(self).__name__, sk_params["nb_epoch"]
            warn_once((name, "nb_epoch"),
                      f"{name}(nb_epoch={value!r}) is the Keras 1 spelling; "
                      f"write {name}(epochs={value!r}).")

    def _build_target(self):
        fn = self.build_fn
        if fn is None:
            if type(self).__call__ is BaseWrapper.__call__:
                raise ValueError(f"{type(self).__name__}: pass `build_fn` "
                                 f"(a function returning a compiled model) "
                                 f"or define `__call__` in a subclass.")
            return self.__call__
        if not callable(fn) or isinstance(fn, Model):
            raise TypeError(f"{type(self).__name__}: `{self._build_key}` "
                            f"must be a function returning a model; got "
                            f"{type(fn).__name__}. To wrap a model you "
                            f"already built, write a function that "
                            f"builds it.")
        return fn

    def __call__(self, **kwargs):
        raise NotImplementedError(  # only when a subclass doesn't define it
            f"{type(self).__name__} has no `build_fn` and no `__call__`.")

    def _route(self, name):
        """Where sk_param `name` goes: 'build', 'fit', 'predict',
        'evaluate', 'compile' (a set), or an empty set if nowhere."""
        for prefix in _PREFIXES:
            if name.startswith(prefix):
                return {prefix[:-2].replace("model", "build")}
        names, var_keyword = _arguments(self._build_target())
        out = {"build"} if name in names else set()
        out |= {kind for kind, table in (("fit", _FIT),
                                         ("predict", _PREDICT),
                                         ("evaluate", _EVALUATE))
                if name in table}
        if not out and var_keyword:
            out = {"build"}
        if not out and name in _COMPILE_ARGUMENTS:
            out = {"compile"}
        return out

    def check_params(self, params):
        """Raises ValueError for a parameter nothing accepts."""
        for name in params:
            if not self._route(name):
                raise ValueError(
                    f"{type(self).__name__}: {name!r} is not a legal "
                    f"parameter: it is not an argument of the build "
                    f"function, nor of the model's fit, predict or "
                    f"evaluate.")

    def get_params(self, deep=True):
        """The constructor arguments (scikit-learn API; `deep` is
        ignored: there are no nested estimators)."""
        params = dict(self.sk_params)
        params[self._build_key] = self.build_fn
        return params

    def set_params(self, **params):
        """Updates sk_params (scikit-learn API); returns self."""
        for key in ("build_fn", "model"):
            if key in params:
                self.build_fn = params.pop(key)
                self._build_key = key
        self.check_params(params)
        self.sk_params.update(params)
        return self

    def filter_sk_params(self, fn_or_kind, override=None):
        """The sk_params meant for `fn_or_kind` ('build', 'fit',
        'predict', 'evaluate', or a function: its explicit arguments),
        updated with `override`."""
        out = {}
        for name, value in self.sk_params.items():
            if isinstance(fn_or_kind, str):
                if fn_or_kind not in self._route(name):
                    continue
            elif name not in _arguments(fn_or_kind)[0]:
                continue
            bare = name.split("__", 1)[1] if name.startswith(_PREFIXES) \
                else name
            out[bare] = value
        out.update(override or {})
        return out

    def _make_model(self):
        model = self._build_target()(**self.filter_sk_params("build"))
        if not getattr(model, "compiled", True):
            compile_args = self.filter_sk_params("compile")
            if "loss" not in compile_args:
                raise ValueError(
                    f"{type(self).__name__}: the build function returned "
                    f"an uncompiled model; compile it there or pass "
                    f"`loss=` (and `optimizer=`, `metrics=`).")
            compile_args.setdefault("optimizer", "rmsprop")
            model.compile(**compile_args)
        return model

    def _fit_model(self, x, y, **kwargs):
        self.model = self.model_ = self._make_model()
        y = np.asarray(y)
        if _loss_name(self.model.loss) == "categoricalcrossentropy" and \
                y.ndim != 2:
            y = to_categorical(y, getattr(self, "n_classes_", None))
        args = self.filter_sk_params("fit", kwargs)
        history = self.model.fit(x, y, **args)
        self.history_ = self.history = dict(history.history)
        return self

    def fit(self, x, y, **kwargs):
        """Builds a new model and fits it; returns self.

        Args:
            x, y: training data.
            **kwargs: `fit` arguments, overriding sk_params.
        """
        return self._fit_model(x, y, **kwargs)

    def _evaluate(self, x, y, sample_weight, kwargs):
        args = self.filter_sk_params("evaluate", kwargs)
        if sample_weight is not None:
            args["sample_weight"] = sample_weight
        return self.model.evaluate(x, y, return_dict=True, **args)

    def __sklearn_is_fitted__(self):
        return hasattr(self, "model_")


class KerasClassifier(sklearn.base.ClassifierMixin, BaseWrapper):
    """A scikit-learn classifier around a lamina model.

    Labels may be any sortable values (strings too): they are encoded as
    indices into `classes_`. With the loss 'categorical_crossentropy'
    targets are one-hot encoded for the model; a model with one (sigmoid)
    output is a binary classifier.

    See `BaseWrapper` for the arguments.
    """

    def fit(self, x, y, sample_weight=None, **kwargs):
        """Encodes the labels, builds a new model and fits it.

        Args:
            x: training inputs.
            y: labels, shape `(samples,)`, or one-hot `(samples, classes)`.
            sample_weight: optional per-sample weights.
            **kwargs: `fit` arguments, overriding sk_params.

        Returns:
            self.
        """
        y = np.asarray(y)
        if y.ndim == 2 and y.shape[1] > 1:
            self.classes_ = np.arange(y.shape[1])
        elif y.ndim == 1 or (y.ndim == 2 and y.shape[1] == 1):
            self.classes_ = np.unique(y)
            y = np.searchsorted(self.classes_, y.ravel())
        else:
            raise ValueError(f"KerasClassifier.fit: `y` must have shape "
                             f"(samples,) or (samples, classes); got "
                             f"{y.shape}.")
        self.n_classes_ = len(self.classes_)
        if sample_weight is not None:
            kwargs["sample_weight"] = sample_weight
        return self._fit_model(x, y, **kwargs)

    def predict_proba(self, x, **kwargs):
        """Class probabilities, shape `(samples, n_classes)`.

        A single sigmoid output `p` becomes the columns `[1 - p, p]`.
        """
        probs = np.asarray(self.model.predict(
            x, **self.filter_sk_params("predict", kwargs)))
        if probs.ndim == 2 and probs.shape[1] == 1:
            probs = np.hstack([1 - probs, probs])
        return probs

    def predict(self, x, **kwargs):
        """The most probable class of each sample, from `classes_`."""
        probs = np.asarray(self.model.predict(
            x, **self.filter_sk_params("predict", kwargs)))
        if probs.ndim == 2 and probs.shape[-1] > 1:
            indices = probs.argmax(axis=-1)
        else:
            indices = (probs.reshape(len(probs)) > 0.5).astype("int64")
        return self.classes_[indices]

    def score(self, x, y, sample_weight=None, **kwargs):
        """Accuracy on `(x, y)`.

        As in Keras 2, the model's `evaluate` computes it when the model
        was compiled with metrics=['accuracy'] (or 'acc'); otherwise it is
        the fraction of `predict(x)` equal to `y`.
        """
        y = np.asarray(y)
        one_hot = y.ndim == 2 and y.shape[1] > 1
        names = [m.name for m in self.model.metrics]
        if not {"accuracy", "acc"} & set(names):
            predicted = self.predict(x, **kwargs)
            truth = self.classes_[y.argmax(-1)] if one_hot else y.ravel()
            return float(np.average(predicted == truth,
                                    weights=sample_weight))
        if not one_hot:
            y = np.searchsorted(self.classes_, y.ravel())
            if _loss_name(self.model.loss) == "categoricalcrossentropy":
                y = to_categorical(y, self.n_classes_)
        logs = self._evaluate(x, y, sample_weight, kwargs)
        return float(logs["accuracy"] if "accuracy" in logs else logs["acc"])


class KerasRegressor(sklearn.base.RegressorMixin, BaseWrapper):
    """A scikit-learn regressor around a lamina model.

    `score` is the negative loss (Keras 2's definition, not R²), so that
    greater is better for model selection. See `BaseWrapper` for the
    arguments.
    """

    def predict(self, x, **kwargs):
        """Predictions; a last axis of size 1 is squeezed away."""
        preds = np.asarray(self.model.predict(
            x, **self.filter_sk_params("predict", kwargs)))
        if preds.ndim > 1 and preds.shape[-1] == 1:
            preds = np.squeeze(preds, axis=-1)
        return preds

    def score(self, x, y, sample_weight=None, **kwargs):
        """The negative of the model's loss on `(x, y)`."""
        logs = self._evaluate(x, np.asarray(y), sample_weight, kwargs)
        return -float(logs["loss"])
