"""Keras 3's SKLearnClassifier / SKLearnRegressor as scikit-learn
estimators."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.metrics import accuracy_score, r2_score
from sklearn.model_selection import GridSearchCV

import lamina
from lamina.wrappers import SKLearnClassifier, SKLearnRegressor


def build_classifier(X, y, width=8):
    model = lamina.Sequential([
        lamina.layers.Input((X.shape[1],)),
        lamina.layers.Dense(width, activation="relu"),
        lamina.layers.Dense(y.shape[1], activation="softmax")])
    model.compile(lamina.optimizers.Adam(learning_rate=0.05),
                  "categorical_crossentropy")
    return model


def build_regressor(X, y):
    model = lamina.Sequential([lamina.layers.Input((X.shape[1],)),
                               lamina.layers.Dense(y.shape[1])])
    model.compile(lamina.optimizers.Adam(learning_rate=0.1), "mse")
    return model


def three_blobs(n=90, seed=0):
    rng = np.random.default_rng(seed)
    names = np.array(["ant", "bee", "cat"])
    label = np.arange(n) % 3
    x = rng.normal(0, 0.3, size=(n, 2)) + np.array(
        [[0, 0], [3, 0], [0, 3]])[label]
    return x.astype("float32"), names[label]


def test_constructor_arguments_are_the_params_and_clone_keeps_them():
    clf = SKLearnClassifier(model=build_classifier, warm_start=False,
                            model_kwargs={"width": 4},
                            fit_kwargs={"epochs": 3})
    params = clf.get_params()
    assert params == {"model": build_classifier, "warm_start": False,
                      "model_kwargs": {"width": 4},
                      "fit_kwargs": {"epochs": 3}}
    assert clone(clf).get_params() == params


def test_classifier_encodes_labels_and_scores_like_sklearn():
    x, y = three_blobs()
    clf = SKLearnClassifier(model=build_classifier,
                            fit_kwargs={"epochs": 30, "verbose": 0})
    assert clf.fit(x, y, batch_size=16) is clf
    assert list(clf.classes_) == ["ant", "bee", "cat"]
    assert clf.model_.output_shape == (None, 3)
    predicted = clf.predict(x)
    assert predicted.dtype == y.dtype and predicted.shape == y.shape
    probs = clf.predict_proba(x)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)
    np.testing.assert_array_equal(predicted,
                                  clf.classes_[probs.argmax(axis=1)])
    assert clf.score(x, y) == pytest.approx(accuracy_score(y, predicted))
    assert clf.score(x, y) > 0.9
    assert len(clf.history_["loss"]) == 30


def test_fit_arguments_take_precedence_over_fit_kwargs():
    x, y = three_blobs(30)
    clf = SKLearnClassifier(model=build_classifier,
                            fit_kwargs={"epochs": 5, "verbose": 0})
    clf.fit(x, y, epochs=2)
    assert len(clf.history_["loss"]) == 2
    assert clf.fit_kwargs == {"epochs": 5, "verbose": 0}


@pytest.mark.requires_training  # GridSearchCV would catch the error
def test_grid_search_over_model_kwargs():
    x, y = three_blobs()
    search = GridSearchCV(
        SKLearnClassifier(model=build_classifier),
        {"model_kwargs": [{"width": 1}, {"width": 16}]}, cv=3)
    search.fit(x, y, epochs=20, verbose=0)
    assert search.best_params_ == {"model_kwargs": {"width": 16}}
    assert search.best_estimator_.model_.layers[0].units == 16


def test_regressor_flat_target_and_r2_score():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(64, 3)).astype("float32")
    y = x @ np.array([1.0, -2.0, 0.5], dtype="float32") + 0.3
    reg = SKLearnRegressor(model=build_regressor,
                           fit_kwargs={"epochs": 60, "verbose": 0})
    reg.fit(x, y)
    predicted = reg.predict(x)
    assert predicted.shape == (64,)
    assert reg.score(x, y) == pytest.approx(r2_score(y, predicted),
                                            rel=1e-5)
    assert reg.score(x, y) > 0.95


def test_model_instance_is_copied_unless_warm_start():
    x, y = three_blobs(30)
    model = build_classifier(x, np.zeros((1, 3)))
    before = [w.copy() for w in model.get_weights()]
    clf = SKLearnClassifier(model=model, fit_kwargs={"verbose": 0})
    clf.fit(x, y)
    assert clf.model_ is not model
    for w, b in zip(model.get_weights(), before):
        np.testing.assert_array_equal(w, b)  # the original is untouched

    warm = SKLearnClassifier(model=model, warm_start=True,
                             fit_kwargs={"verbose": 0})
    warm.fit(x, y)
    assert warm.model_ is model
    first = warm.model_
    warm.fit(x, y)
    assert warm.model_ is first


def test_errors_name_the_problem():
    x, y = three_blobs(30)
    with pytest.raises(ValueError, match="only one class"):
        SKLearnClassifier(model=build_classifier).fit(x, np.full(30, "a"))

    def uncompiled(X, y):
        return lamina.Sequential([lamina.layers.Input((2,)),
                                  lamina.layers.Dense(3)])
    with pytest.raises(ValueError, match="compiled Model"):
        SKLearnClassifier(model=uncompiled).fit(x, y)
    with pytest.raises(TypeError, match="compiled Model or a function"):
        SKLearnClassifier(model=3).fit(x, y)


def test_keras_wrappers_path_resolves_to_these_classes():
    from lamina.legacy import aliases
    was_aliased = aliases.is_aliased()
    keras = aliases.alias_keras()
    try:
        assert keras.wrappers.SKLearnClassifier is SKLearnClassifier
        from keras.wrappers import SKLearnRegressor as Regressor
        assert Regressor is SKLearnRegressor
    finally:
        if not was_aliased:
            aliases.unalias_keras()
