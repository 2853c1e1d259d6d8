import numpy as np
import pytest

import lamina
from lamina import layers, ops


def test_tutorial_first_network():
    a = lamina.Input(shape=(32,))
    b = layers.Dense(32)(a)
    with pytest.warns(DeprecationWarning, match="inputs="):
        model = lamina.Model(input=a, output=b)
    assert model.count_params() == 32 * 32 + 32
    assert model.predict(np.ones((5, 32), "float32"), verbose=0).shape == \
        (5, 32)


def test_multi_input_multi_output_lists_and_dicts():
    a = lamina.Input(shape=(3,), name="a")
    b = lamina.Input(shape=(2,), name="b")
    z = layers.concatenate([a, b])
    o1 = layers.Dense(1, name="o1")(z)
    o2 = layers.Dense(2, name="o2")(z)
    model = lamina.Model({"a": a, "b": b}, {"x": o1, "y": o2})
    xa, xb = np.ones((4, 3), "float32"), np.ones((4, 2), "float32")
    out = model.predict({"a": xa, "b": xb}, verbose=0)
    assert out["x"].shape == (4, 1) and out["y"].shape == (4, 2)
    k1, b1 = model.get_layer("o1").get_weights()
    np.testing.assert_allclose(out["x"], np.ones((4, 5)) @ k1 + b1,
                               rtol=1e-5)
    lst = lamina.Model([a, b], [o1, o2])
    got = lst.predict([xa, xb], verbose=0)
    np.testing.assert_allclose(got[0], out["x"], rtol=1e-6)


def test_shared_layer_uses_one_set_of_weights():
    a, b = lamina.Input(shape=(4,)), lamina.Input(shape=(4,))
    shared = layers.Dense(3)
    model = lamina.Model([a, b], layers.add([shared(a), shared(b)]))
    assert len(model.weights) == 2
    x = np.random.default_rng(0).normal(size=(2, 4)).astype("float32")
    k, bias = shared.get_weights()
    np.testing.assert_allclose(model.predict([x, x], verbose=0),
                               2 * (x @ k + bias), rtol=1e-5)


def test_nested_model():
    inner_in = lamina.Input(shape=(4,))
    inner = lamina.Model(inner_in, layers.Dense(3, activation="relu")(
        inner_in), name="inner")
    x_in = lamina.Input(shape=(4,))
    outer = lamina.Model(x_in, layers.Dense(1)(inner(x_in)))
    assert len(outer.weights) == 4
    x = np.ones((2, 4), "float32")
    h = inner.predict(x, verbose=0)
    k, b = outer.layers[-1].get_weights()
    np.testing.assert_allclose(outer.predict(x, verbose=0), h @ k + b,
                               rtol=1e-5)
    outer.compile("adam", "mse")
    outer.fit(x, np.ones((2, 1)), epochs=2, verbose=0)


def test_layers_get_layer_and_count():
    a = lamina.Input(shape=(3,))
    d = layers.Dense(2, name="dd")
    model = lamina.Model(a, d(a))
    assert [type(l).__name__ for l in model.layers] == ["InputLayer",
                                                        "Dense"]
    assert model.get_layer("dd") is d and model.get_layer(index=1) is d
    with pytest.raises(ValueError, match="dd"):
        model.get_layer("nope")


def test_graph_disconnected_is_clear():
    a, b = lamina.Input(shape=(3,)), lamina.Input(shape=(3,))
    out = layers.add([a, b])
    with pytest.raises(ValueError, match="Graph disconnected"):
        lamina.Model(a, out)


def test_wrong_input_count_and_shape():
    a = lamina.Input(shape=(32,))
    model = lamina.Model(a, layers.Dense(4)(a))
    with pytest.raises(ValueError, match="32"):
        model.predict(np.ones((2, 31), "float32"), verbose=0)
    with pytest.raises(ValueError, match="1 input"):
        model.predict([np.ones((2, 32)), np.ones((2, 32))], verbose=0)


def test_subclassed_model_trains():
    class TwoLayer(lamina.Model):
        def __init__(self):
            super().__init__()
            self.hidden = layers.Dense(8, activation="relu")
            self.out = layers.Dense(1)

        def call(self, inputs, training=None):
            return self.out(self.hidden(inputs))

    model = TwoLayer()
    x = np.random.default_rng(0).normal(size=(64, 3)).astype("float32")
    y = x.sum(1, keepdims=True)
    model.compile(lamina.optimizers.Adam(0.01), "mse")
    hist = model.fit(x, y, epochs=30, batch_size=16, verbose=0)
    assert len(model.trainable_weights) == 4
    assert hist.history["loss"][-1] < hist.history["loss"][0] * 0.5


def test_training_flag_reaches_nested_dropout():
    a = lamina.Input(shape=(100,))
    model = lamina.Model(a, layers.Dropout(0.5)(a))
    x = np.ones((10, 100), "float32")
    np.testing.assert_array_equal(ops.convert_to_numpy(model(x)), x)
    y = ops.convert_to_numpy(model(x, training=True))
    assert (y == 0).any()


def test_losses_collects_regularization():
    from lamina import regularizers
    a = lamina.Input(shape=(2,))
    d = layers.Dense(2, kernel_regularizer=regularizers.l2(0.5),
                     kernel_initializer="ones")
    model = lamina.Model(a, d(a))
    assert len(model.losses) == 1
    assert float(ops.convert_to_numpy(model.losses[0])) == \
        pytest.approx(0.5 * 4)


def test_slicing_symbolic_tensors(tmp_path):
    # `x[:, :2]` in a functional model, as Keras 3 allows; saved as Keras's
    # GetItem op node.
    a = lamina.Input(shape=(4, 3))
    head, middle = a[:, :2], a[..., 1]
    assert head.shape == (None, 2, 3) and middle.shape == (None, 4)
    model = lamina.Model(a, [layers.Flatten()(head), middle[:, None, ::2]])
    x = np.arange(24, dtype="float32").reshape(2, 4, 3)
    want = [x[:, :2].reshape(2, -1), x[..., 1][:, None, ::2]]
    for got, ref in zip(model.predict(x, verbose=0), want):
        np.testing.assert_array_equal(got, ref)
    model.save(tmp_path / "m.keras")
    again = lamina.models.load_model(tmp_path / "m.keras")
    for got, ref in zip(again.predict(x, verbose=0), want):
        np.testing.assert_array_equal(got, ref)
