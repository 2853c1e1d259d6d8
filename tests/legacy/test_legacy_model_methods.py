"""Keras 1/2 model methods and arguments: the generator methods (with
Keras 1's sample counts), predict_classes / predict_proba,
fit(show_accuracy=), compile(class_mode=) and positional metrics, and the
`acc` history key."""

import warnings

import numpy as np
import pytest

import lamina
from lamina import layers as L
from lamina.legacy import arguments
from lamina.legacy.history_keys import HistoryDict
from lamina.utils.py_dataset import PyDataset

RNG = np.random.default_rng(0)
X = RNG.normal(size=(40, 4)).astype("float32")
LABELS = RNG.integers(0, 3, 40)
Y = np.eye(3, dtype="float32")[LABELS]


@pytest.fixture(autouse=True)
def fresh_warnings(monkeypatch):
    monkeypatch.setattr(arguments, "_warned", set())


def recording(call):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = call()
    return result, [str(w.message) for w in caught
                    if issubclass(w.category, DeprecationWarning)]


def quietly(call):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return call()


def make_model(weights=None, metrics=("accuracy",)):
    model = lamina.Sequential([L.Dense(5, activation="tanh",
                                       input_shape=(4,)),
                               L.Dense(3, activation="softmax")])
    model.compile(lamina.optimizers.SGD(0.1), "categorical_crossentropy",
                  metrics=list(metrics))
    if weights is not None:
        model.set_weights(weights)
    return model


def batches(batch_size=8, with_y=True):
    """An endless Keras-style generator over X (and Y), in order."""
    while True:
        for i in range(0, len(X), batch_size):
            yield (X[i:i + batch_size], Y[i:i + batch_size]) if with_y \
                else X[i:i + batch_size]


def assert_same_weights(a, b):
    for wa, wb in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_allclose(wa, wb, rtol=1e-6, atol=1e-7)


# -- fit_generator -------------------------------------------------------------

@pytest.mark.requires_training
def test_fit_generator_samples_per_epoch_equals_fit_steps():
    start = make_model().get_weights()
    old, reference = make_model(start), make_model(start)
    # 36 samples in batches of 8: Keras 1 stopped after 5 batches.
    history, messages = recording(lambda: old.fit_generator(
        batches(), samples_per_epoch=36, nb_epoch=2, verbose=0,
        validation_data=batches(), nb_val_samples=16))
    expected = reference.fit(batches(), steps_per_epoch=5, epochs=2,
                             verbose=0, validation_data=batches(),
                             validation_steps=2)
    assert_same_weights(old, reference)
    assert history.history == expected.history
    for text in ("write fit(generator, ..., steps_per_epoch=5)",
                 "write fit(generator, ..., validation_steps=2)",
                 "write fit_generator(epochs=2)",
                 "write fit(generator, steps_per_epoch=..., ...)"):
        assert sum(text in m for m in messages) == 1, (text, messages)
    assert len(messages) == 4
    _, again = recording(lambda: old.fit_generator(
        batches(), samples_per_epoch=36, nb_epoch=1, verbose=0))
    assert again == []


@pytest.mark.requires_training
def test_fit_generator_keras2_arguments_equal_fit():
    start = make_model().get_weights()
    old, reference = make_model(start), make_model(start)
    history = quietly(lambda: old.fit_generator(
        batches(), 3, epochs=2, verbose=0, max_queue_size=4,
        validation_data=(X[:8], Y[:8]), class_weight={0: 1.0, 1: 2.0,
                                                      2: 1.0}))
    expected = reference.fit(batches(), steps_per_epoch=3, epochs=2,
                             verbose=0, validation_data=(X[:8], Y[:8]),
                             class_weight={0: 1.0, 1: 2.0, 2: 1.0})
    assert_same_weights(old, reference)
    assert history.history == expected.history


@pytest.mark.requires_training
def test_fit_generator_on_a_py_dataset_counts_samples_by_its_batches():
    class Batches(PyDataset):
        def __len__(self):
            return 4

        def __getitem__(self, i):
            return X[i * 10:(i + 1) * 10], Y[i * 10:(i + 1) * 10]

    start = make_model().get_weights()
    old, reference = make_model(start), make_model(start)
    quietly(lambda: old.fit_generator(Batches(), samples_per_epoch=20,
                                      nb_epoch=1, verbose=0, shuffle=False))
    reference.fit(Batches(), steps_per_epoch=2, epochs=1, verbose=0,
                  shuffle=False)
    assert_same_weights(old, reference)


def test_fit_generator_no_effect_options_warn():
    model = make_model()
    _, messages = recording(lambda: model._generator_steps(
        "evaluate_generator", batches(), 2, 4, True, {}))
    assert any("has no effect in lamina" in m for m in messages)


@pytest.mark.parametrize("kwargs, error, text", [
    ({"samples_per_epoch": 8, "steps_per_epoch": 1}, TypeError, "both"),
    ({"nb_epoch": 1, "epochs": 2}, TypeError, "pass only 'epochs'"),
    ({"epochs": 1, "nb_val_worker": 2}, TypeError, "nb_val_worker"),
    ({"epochs": 1}, ValueError, "needs steps_per_epoch"),
])
def test_fit_generator_bad_arguments(kwargs, error, text):
    with pytest.raises(error, match=text):
        quietly(lambda: make_model().fit_generator(batches(), **kwargs))


def test_evaluate_and_predict_generator_need_steps():
    model = make_model()
    for method in (model.evaluate_generator, model.predict_generator):
        with pytest.raises(ValueError, match="needs `steps`"), \
                warnings.catch_warnings():
            warnings.simplefilter("ignore")
            method(batches())


# -- evaluate_generator / predict_generator ----------------------------------

def test_evaluate_generator_val_samples_equals_evaluate():
    model = make_model()
    result, messages = recording(
        lambda: model.evaluate_generator(batches(), val_samples=40))
    expected = model.evaluate(X, Y, batch_size=8, verbose=0)
    np.testing.assert_allclose(result, expected, rtol=1e-5)
    assert any("write evaluate(generator, ..., steps=5)" in m
               for m in messages)
    keras2 = quietly(lambda: model.evaluate_generator(batches(), steps=5))
    np.testing.assert_allclose(keras2, expected, rtol=1e-5)


def test_predict_generator_val_samples_equals_predict():
    model = make_model()
    # 20 samples in batches of 8: Keras 1 drew 3 batches (24 rows).
    out, messages = recording(lambda: model.predict_generator(
        batches(with_y=False), val_samples=20))
    np.testing.assert_allclose(out, model.predict(X[:24], verbose=0),
                               rtol=1e-5, atol=1e-6)
    assert any("write predict(generator, ..., steps=3)" in m
               for m in messages)
    keras2 = quietly(lambda: model.predict_generator(batches(), steps=2))
    np.testing.assert_allclose(keras2, model.predict(X[:16], verbose=0),
                               rtol=1e-5, atol=1e-6)


# -- predict_classes / predict_proba -----------------------------------------

def test_predict_classes_and_proba_softmax():
    model = make_model()
    proba = model.predict(X, verbose=0)
    classes, messages = recording(lambda: model.predict_classes(X))
    np.testing.assert_array_equal(classes, np.argmax(proba, axis=-1))
    assert messages == [("predict_classes(x) was removed in Keras 2.6; "
                        "write np.argmax(model.predict(x), axis=-1).")]
    got, messages = recording(lambda: model.predict_proba(X))
    np.testing.assert_allclose(got, proba, rtol=1e-6)
    assert messages == [("predict_proba(x) was removed in Keras 2.6; write "
                        "model.predict(x).")]


def test_predict_classes_single_sigmoid_output():
    model = lamina.Sequential([L.Dense(1, activation="sigmoid",
                                       input_shape=(4,))])
    proba = model.predict(X, verbose=0)
    classes, messages = recording(lambda: model.predict_classes(X))
    np.testing.assert_array_equal(classes, (proba > 0.5).astype("int32"))
    assert classes.dtype == np.int32 and classes.shape == (40, 1)
    assert "(model.predict(x) > 0.5).astype('int32')" in messages[0]


# -- fit / evaluate / compile arguments ----------------------------------------

@pytest.mark.requires_training
def test_show_accuracy_with_accuracy_compiled():
    start = make_model().get_weights()
    old, reference = make_model(start), make_model(start)
    history, messages = recording(lambda: old.fit(
        X, Y, epochs=1, verbose=0, shuffle=False, show_accuracy=True))
    expected = reference.fit(X, Y, epochs=1, verbose=0, shuffle=False)
    assert history.history == expected.history
    assert len(messages) == 1 and "remove it" in messages[0]
    scores = quietly(lambda: old.evaluate(X, Y, verbose=0,
                                          show_accuracy=True))
    np.testing.assert_allclose(scores, old.evaluate(X, Y, verbose=0))


def test_show_accuracy_without_accuracy_is_an_error():
    model = make_model(metrics=())
    for call in (lambda: model.fit(X, Y, verbose=0, show_accuracy=True),
                 lambda: model.evaluate(X, Y, verbose=0,
                                        show_accuracy=True)):
        with pytest.raises(ValueError, match=r"metrics=\['accuracy'\]"):
            call()


@pytest.mark.requires_training
def test_compile_keras1_arguments():
    model = lamina.Sequential([L.Dense(3, input_shape=(4,))])
    _, messages = recording(lambda: model.compile(
        "sgd", "mse", ["mae"], class_mode="categorical"))
    assert any("class_mode='categorical'" in m and "no effect" in m
               for m in messages)
    assert any("passes metrics by position" in m for m in messages)
    history = model.fit(X, Y, epochs=1, verbose=0)
    assert "mae" in history.history or "mean_absolute_error" in \
        history.history
    with pytest.raises(TypeError, match="both"):
        model.compile("sgd", "mse", ["mae"], metrics=["mse"])


def test_compile_keras3_positional_loss_weights_untouched():
    model = lamina.Sequential([L.Dense(3, input_shape=(4,))])
    _, messages = recording(lambda: model.compile("sgd", "mse", [1.0]))
    assert messages == []


# -- history keys ----------------------------------------------------------------

@pytest.mark.requires_training
def test_history_answers_acc_and_val_acc():
    model = make_model()
    history = model.fit(X, Y, epochs=2, verbose=0,
                        validation_data=(X[:8], Y[:8]))
    logged = history.history
    assert list(logged) == ["loss", "accuracy", "val_loss", "val_accuracy"]
    assert logged["acc"] == logged["accuracy"]
    assert logged["val_acc"] == logged["val_accuracy"]
    assert "acc" in logged and logged.get("val_acc") is not None
    assert len(logged["acc"]) == 2


def test_history_dict_aliases():
    logged = HistoryDict({"loss": [1.0], "mean_squared_error": [0.5],
                          "val_dense_1_acc": [0.25]})
    assert logged["mse"] == [0.5]
    assert logged["val_dense_1_accuracy"] == [0.25]
    assert "mse" in logged and "mae" not in logged
    assert logged.get("mae", "missing") == "missing"
    with pytest.raises(KeyError):
        logged["val_mse"]
    assert sorted(logged) == ["loss", "mean_squared_error",
                              "val_dense_1_acc"]
    assert dict(logged) == {"loss": [1.0], "mean_squared_error": [0.5],
                            "val_dense_1_acc": [0.25]}
