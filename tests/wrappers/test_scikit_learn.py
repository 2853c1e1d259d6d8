"""KerasClassifier / KerasRegressor as scikit-learn estimators."""

import numpy as np
import pytest
from sklearn.base import clone, is_classifier, is_regressor
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

import lamina
from lamina.wrappers.scikit_learn import KerasClassifier, KerasRegressor


def make_classifier(units=8, n_classes=2, loss="sparse_categorical_"
                    "crossentropy", metrics=("accuracy",)):
    model = lamina.Sequential([
        lamina.layers.Input((2,)),
        lamina.layers.Dense(units, activation="relu"),
        lamina.layers.Dense(n_classes, activation="softmax")])
    model.compile(lamina.optimizers.Adam(learning_rate=0.1), loss,
                  metrics=list(metrics), run_eagerly=True)
    return model


def make_regressor(units=4):
    model = lamina.Sequential([lamina.layers.Input((3,)),
                               lamina.layers.Dense(units),
                               lamina.layers.Dense(1)])
    model.compile(lamina.optimizers.Adam(learning_rate=0.05), "mse",
                  run_eagerly=True)
    return model


def blobs(n=80, seed=0, labels=("no", "yes")):
    """Two separable clusters, on very different feature scales."""
    rng = np.random.default_rng(seed)
    side = np.arange(n) % 2
    x = np.stack([rng.normal(side * 6.0, 1.0) * 100.0 + 500.0,
                  rng.normal(side * 6.0, 1.0) * 0.01], axis=1)
    return x.astype("float32"), np.array(labels)[side]


# -- scikit-learn protocol (no training) --------------------------------------
def test_get_params_set_params_and_clone():
    clf = KerasClassifier(build_fn=make_classifier, units=4, epochs=2,
                          batch_size=8, verbose=0, metrics=["accuracy"])
    params = clf.get_params()
    assert params == {"build_fn": make_classifier, "units": 4, "epochs": 2,
                      "batch_size": 8, "verbose": 0,
                      "metrics": ["accuracy"]}
    copy = clone(clf)
    assert copy is not clf and copy.get_params() == params
    assert copy.get_params()["metrics"] is not params["metrics"]
    assert clf.set_params(units=16, epochs=3) is clf
    assert clf.get_params()["units"] == 16 and clf.sk_params["epochs"] == 3
    assert "KerasClassifier" in repr(clf)
    assert is_classifier(clf) and is_regressor(KerasRegressor(make_regressor))


def test_scikeras_model_argument_and_prefixes():
    clf = KerasClassifier(model=make_classifier, model__units=3,
                          fit__epochs=2)
    assert clf.get_params() == {"model": make_classifier,
                                "model__units": 3, "fit__epochs": 2}
    assert clf.filter_sk_params("build") == {"units": 3}
    assert clf.filter_sk_params("fit") == {"epochs": 2}
    assert clone(clf).get_params()["model"] is make_classifier
    with pytest.raises(TypeError, match="not both"):
        KerasClassifier(build_fn=make_classifier, model=make_classifier)


def test_sk_params_are_routed_by_name():
    clf = KerasClassifier(make_classifier, units=5, epochs=3, batch_size=4,
                          verbose=0)
    assert clf.filter_sk_params("build") == {"units": 5}
    assert clf.filter_sk_params("fit") == {"epochs": 3, "batch_size": 4,
                                           "verbose": 0}
    assert clf.filter_sk_params("predict") == {"batch_size": 4,
                                               "verbose": 0}
    assert clf.filter_sk_params(make_classifier, {"units": 9}) == \
        {"units": 9}


def test_illegal_parameter_is_an_error():
    with pytest.raises(ValueError, match="'unitz' is not a legal"):
        KerasClassifier(make_classifier, unitz=3)
    clf = KerasRegressor(make_regressor)
    with pytest.raises(ValueError, match="legal"):
        clf.set_params(learning_rat=0.1)


def test_build_fn_errors():
    with pytest.raises(ValueError, match="build_fn"):
        KerasClassifier().fit(*blobs(4))
    with pytest.raises(TypeError, match="function"):
        KerasClassifier(build_fn=make_classifier()).fit(*blobs(4))


# -- training -----------------------------------------------------------------
@pytest.fixture
def seeded():
    lamina.utils.set_random_seed(1)


def test_classifier_in_a_pipeline(seeded):
    x, y = blobs()
    pipe = Pipeline([("scale", StandardScaler()),
                     ("clf", KerasClassifier(make_classifier, epochs=2,
                                             batch_size=10, verbose=0))])
    pipe.fit(x, y)
    clf = pipe.named_steps["clf"]
    assert list(clf.classes_) == ["no", "yes"] and clf.n_classes_ == 2
    predicted = pipe.predict(x)
    assert set(predicted) <= {"no", "yes"}
    accuracy = np.mean(predicted == y)
    assert accuracy >= 0.9
    assert pipe.score(x, y) == pytest.approx(accuracy, abs=1e-6)
    proba = pipe.predict_proba(x)
    assert proba.shape == (len(x), 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-5)
    assert list(clf.history_) == ["loss", "accuracy"]
    assert len(clf.history_["loss"]) == 2


@pytest.mark.requires_training  # GridSearchCV turns the skip into errors
def test_grid_search_over_build_and_fit_arguments(seeded):
    x, y = blobs(60)
    x = StandardScaler().fit_transform(x)
    clf = KerasClassifier(make_classifier, epochs=1, batch_size=10,
                          verbose=0)
    search = GridSearchCV(clf, {"units": [4, 8], "epochs": [2]}, cv=2)
    search.fit(x, y)
    assert search.best_params_["units"] in (4, 8)
    assert search.best_score_ >= 0.85
    assert np.mean(search.predict(x) == y) >= 0.85
    assert search.best_estimator_.get_params()["epochs"] == 2


def test_categorical_crossentropy_gets_one_hot_targets(seeded):
    x, y = blobs(40, labels=(3, 7))
    x = StandardScaler().fit_transform(x)
    clf = KerasClassifier(make_classifier, loss="categorical_crossentropy",
                          epochs=2, batch_size=10, verbose=0)
    clf.fit(x, y)
    assert clf.score(x, y) == pytest.approx(np.mean(clf.predict(x) == y),
                                            abs=1e-6)
    assert set(clf.predict(x)) <= {3, 7}


def test_score_without_accuracy_metric_uses_predictions(seeded):
    x, y = blobs(40)
    x = StandardScaler().fit_transform(x)
    clf = KerasClassifier(make_classifier, metrics=(), epochs=1,
                          batch_size=10, verbose=0)
    clf.fit(x, y)
    assert clf.score(x, y) == np.mean(clf.predict(x) == y)


def test_single_sigmoid_output_is_binary(seeded):
    def build():
        model = lamina.Sequential([
            lamina.layers.Input((2,)),
            lamina.layers.Dense(1, activation="sigmoid")])
        model.compile(lamina.optimizers.Adam(learning_rate=0.1),
                      "binary_crossentropy", metrics=["acc"],
                      run_eagerly=True)
        return model

    x, y = blobs(40)
    x = StandardScaler().fit_transform(x)
    clf = KerasClassifier(build, epochs=5, batch_size=10, verbose=0).fit(x, y)
    proba = clf.predict_proba(x)
    raw = clf.model.predict(x, verbose=0)
    np.testing.assert_allclose(proba, np.hstack([1 - raw, raw]), atol=1e-6)
    np.testing.assert_array_equal(clf.predict(x),
                                  np.array(["no", "yes"])[(raw[:, 0] > 0.5)
                                                          .astype(int)])
    assert clf.score(x, y) >= 0.9


def test_uncompiled_model_is_compiled_from_sk_params(seeded):
    def build(units=4):
        return lamina.Sequential([lamina.layers.Input((3,)),
                                  lamina.layers.Dense(units),
                                  lamina.layers.Dense(1)])

    x = np.random.default_rng(0).normal(size=(30, 3)).astype("float32")
    y = x @ np.array([1.0, -2.0, 0.5], "float32")
    reg = KerasRegressor(model=build, loss="mse", optimizer="adam",
                         epochs=1, batch_size=10, verbose=0).fit(x, y)
    assert reg.model.compiled
    with pytest.raises(ValueError, match="uncompiled"):
        KerasRegressor(build, epochs=1, verbose=0).fit(x, y)


def test_regressor_predict_and_negative_loss_score(seeded):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 3)).astype("float32")
    y = x @ np.array([1.0, -2.0, 0.5], "float32") + 0.3
    reg = KerasRegressor(make_regressor, epochs=10, batch_size=10, verbose=0)
    reg.fit(x, y)
    preds = reg.predict(x)
    assert preds.shape == (64,)
    mse = float(np.mean((preds - y) ** 2))
    assert reg.score(x, y) == pytest.approx(-mse, rel=1e-4)
    assert mse < 0.5 * np.var(y)
    fitted = clone(reg)
    assert not hasattr(fitted, "model_") and fitted.get_params() == \
        reg.get_params()
