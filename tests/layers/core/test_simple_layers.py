import numpy as np
import pytest

import lamina
from lamina import layers, ops
from lamina.testing import run_layer_test


def np_(x):
    return np.asarray(ops.convert_to_numpy(x))


def test_activation_layer_values():
    x = np.linspace(-3, 3, 7, dtype="float32").reshape(1, 7)
    np.testing.assert_allclose(np_(layers.Activation("relu")(x)),
                               np.maximum(x, 0))
    np.testing.assert_allclose(np_(layers.Activation("tanh")(x)),
                               np.tanh(x), rtol=1e-6)
    run_layer_test(layers.Activation, {"activation": "sigmoid"}, (2, 3),
                   (2, 3), expected_num_weights=0)


def test_dropout_train_and_inference():
    x = np.ones((300, 100), "float32")
    d = layers.Dropout(0.4, seed=1)
    np.testing.assert_array_equal(np_(d(x)), x)
    np.testing.assert_array_equal(np_(d(x, training=False)), x)
    y = np_(d(x, training=True))
    assert 0.35 < (y == 0).mean() < 0.45
    np.testing.assert_allclose(y[y != 0], 1 / 0.6, rtol=1e-6)


def test_dropout_noise_shape_broadcasts():
    x = np.ones((4, 50, 3), "float32")
    y = np_(layers.Dropout(0.5, noise_shape=(None, 1, 3), seed=2)(
        x, training=True))
    assert (y == y[:, :1, :]).all()


def test_dropout_seeded_is_repeatable():
    x = np.ones((10, 10), "float32")
    a = np_(layers.Dropout(0.5, seed=7)(x, training=True))
    b = np_(layers.Dropout(0.5, seed=7)(x, training=True))
    np.testing.assert_array_equal(a, b)


def test_dropout_legacy_p():
    with pytest.warns(DeprecationWarning, match="rate=0.3"):
        assert layers.Dropout(p=0.3).rate == 0.3


def test_dropout_bad_rate():
    with pytest.raises(ValueError, match="rate"):
        layers.Dropout(1.5)


def test_flatten():
    out = run_layer_test(layers.Flatten, {}, (2, 3, 4), (2, 12))
    assert out.shape == (2, 12)
    x = np.arange(24, dtype="float32").reshape(2, 3, 4)
    np.testing.assert_array_equal(np_(layers.Flatten()(x)), x.reshape(2, -1))
    cf = np_(layers.Flatten(data_format="channels_first")(x))
    np.testing.assert_array_equal(cf, x.transpose(0, 2, 1).reshape(2, -1))


def test_reshape():
    run_layer_test(layers.Reshape, {"target_shape": (2, -1)}, (3, 8),
                   (3, 2, 4))
    x = np.arange(12, dtype="float32").reshape(2, 6)
    np.testing.assert_array_equal(np_(layers.Reshape((3, 2))(x)),
                                  x.reshape(2, 3, 2))
    with pytest.raises(ValueError, match="Reshape"):
        layers.Reshape((5,))(lamina.Input(shape=(6,)))


def test_identity():
    run_layer_test(layers.Identity, {}, (2, 3), (2, 3))


def test_lambda_infers_shape_and_runs():
    inp = lamina.Input(shape=(4,))
    out = layers.Lambda(lambda t: ops.concatenate([t, t * 2], axis=-1))(inp)
    assert out.shape == (None, 8)
    model = lamina.Model(inp, out)
    x = np.ones((3, 4), "float32")
    np.testing.assert_allclose(model.predict(x, verbose=0),
                               np.concatenate([x, 2 * x], -1))


def test_lambda_output_shape_and_arguments():
    layer = layers.Lambda(lambda t, k: t * k, output_shape=(4,),
                          arguments={"k": 3.0})
    inp = lamina.Input(shape=(4,))
    assert layer(inp).shape == (None, 4)
    np.testing.assert_allclose(np_(layer(np.ones((1, 4), "float32"))),
                               3 * np.ones((1, 4)))


def test_lambda_config_refuses_bytecode_in_safe_mode():
    layer = layers.Lambda(lambda t: t + 1)
    config = layer.get_config()
    with pytest.raises(ValueError, match="safe_mode=False"):
        layers.Lambda.from_config(config)
    clone = layers.Lambda.from_config(config, safe_mode=False)
    np.testing.assert_allclose(np_(clone(np.zeros((1, 2), "float32"))),
                               np.ones((1, 2)))


def test_symbolic_arithmetic_builds_graph():
    a = lamina.Input(shape=(3,))
    b = lamina.Input(shape=(3,))
    out = layers.Dense(3, kernel_initializer="identity")(a) + b * 2.0
    model = lamina.Model([a, b], out)
    xa = np.ones((2, 3), "float32")
    xb = np.full((2, 3), 5.0, "float32")
    np.testing.assert_allclose(model.predict([xa, xb], verbose=0),
                               xa + 2 * xb)


def test_numpy_integer_sizes_are_accepted():
    # `nb_classes = np.max(y) + 1` is a common way to size the last layer.
    import numpy
    from lamina.layers import LSTM, Conv2D, Dense
    assert Dense(numpy.int64(4)).get_config()["units"] == 4
    assert type(Dense(numpy.int64(4)).units) is int
    assert LSTM(numpy.int32(3)).units == 3
    assert Conv2D(numpy.int64(2), 3).filters == 2
    for bad in (2.0, True, 0, "3"):
        with pytest.raises(ValueError, match="`units` must be a positive"):
            Dense(bad)
