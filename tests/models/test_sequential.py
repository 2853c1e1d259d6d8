import numpy as np
import pytest

import lamina
from lamina import layers


def test_sequential_from_list_with_input_shape():
    model = lamina.Sequential([layers.Dense(4, input_shape=(3,),
                                            activation="relu"),
                               layers.Dense(2)])
    assert model.output_shape == (None, 2)
    assert len(model.layers) == 2 and model.count_params() == 16 + 10


def test_sequential_add_and_input_dim():
    model = lamina.Sequential()
    model.add(layers.Dense(5, input_dim=4))
    model.add(layers.Dense(1))
    assert model.input_shape == (None, 4)
    x = np.ones((2, 4), "float32")
    w1, b1, w2, b2 = model.get_weights()
    np.testing.assert_allclose(model.predict(x, verbose=0),
                               (x @ w1 + b1) @ w2 + b2, rtol=1e-5)


def test_sequential_with_input_and_pop():
    model = lamina.Sequential([lamina.Input(shape=(3,)), layers.Dense(2),
                               layers.Dense(7)])
    assert model.output_shape == (None, 7)
    model.pop()
    assert model.output_shape == (None, 2)


def test_sequential_built_on_first_call():
    model = lamina.Sequential([layers.Dense(3), layers.Dense(1)])
    assert not model.built
    with pytest.raises(AttributeError, match="input_shape"):
        model.output_shape
    out = model(np.ones((4, 6), "float32"))
    assert tuple(out.shape) == (4, 1) and model.built
    assert model.layers[0].get_weights()[0].shape == (6, 3)


def test_sequential_fit_then_predict():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(256, 4)).astype("float32")
    y = (x[:, 0] > 0).astype("float32")
    model = lamina.Sequential([layers.Dense(8, activation="relu",
                                            input_shape=(4,)),
                               layers.Dense(1, activation="sigmoid")])
    model.compile(lamina.optimizers.Adam(0.01), "binary_crossentropy",
                  metrics=["accuracy"])
    model.fit(x, y, epochs=30, batch_size=32, verbose=0)
    loss, acc = model.evaluate(x, y, verbose=0)
    assert acc > 0.9


def test_sequential_config_round_trip():
    model = lamina.Sequential([layers.Dense(4, input_shape=(3,)),
                               layers.Dropout(0.1), layers.Dense(2)])
    clone = lamina.Sequential.from_config(model.get_config())
    clone.set_weights(model.get_weights())
    x = np.ones((2, 3), "float32")
    np.testing.assert_allclose(clone.predict(x, verbose=0),
                               model.predict(x, verbose=0), rtol=1e-6)


def test_reset_states_resets_stateful_layers():
    model = lamina.Sequential([lamina.Input(batch_shape=(2, 5, 3)),
                               layers.LSTM(4, stateful=True)])
    x = np.ones((2, 5, 3), "float32")
    first = model.predict(x, verbose=0)
    second = model.predict(x, verbose=0)
    assert not np.allclose(first, second)  # state carried over
    model.reset_states()
    np.testing.assert_allclose(model.predict(x, verbose=0), first,
                               rtol=1e-6)


def test_layer_output_after_adds_is_the_models_one_call():
    # Each `add` redraws the graph; a layer keeps only the latest call, so
    # `model.layers[i].output` is unambiguous (Keras's FAQ pattern).
    model = lamina.Sequential()
    model.add(layers.Dense(4, input_shape=(3,)))
    model.add(layers.Dense(5))
    model.add(layers.Dense(2))
    assert all(len(layer._inbound_nodes) == 1 for layer in model.layers)
    probe = lamina.Model(model.layers[0].input, model.layers[1].output)
    x = np.ones((2, 3), "float32")
    first, second = model.layers[0], model.layers[1]
    np.testing.assert_allclose(
        lamina.ops.convert_to_numpy(probe(x)),
        lamina.ops.convert_to_numpy(second(first(x))), rtol=1e-6)
