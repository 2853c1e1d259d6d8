"""`K` variables, `function`, learning phase, `rnn`, conv and graph-only
errors (`lamina.legacy.keras_backend`)."""

import numpy as np
import pytest

import lamina
from lamina import layers
from lamina.legacy import arguments
from lamina.legacy import keras_backend as K
from lamina.ops._bind import B

RNG = np.random.default_rng(1)


def close(got, want, atol=1e-5):
    np.testing.assert_allclose(K.eval(got), want, rtol=1e-5, atol=atol)


# -- settings -----------------------------------------------------------

def test_settings_reexported_and_dim_ordering():
    assert K.backend() == B.name
    assert K.floatx() == "float32" and K.epsilon() == 1e-7
    old = K.epsilon()
    K.set_epsilon(1e-5)
    try:
        assert K.epsilon() == 1e-5
    finally:
        K.set_epsilon(old)
    arguments._warned.difference_update({"K.image_dim_ordering",
                                         "K.set_image_dim_ordering"})
    try:
        with pytest.warns(DeprecationWarning, match="set_image_data_format"):
            K.set_image_dim_ordering("th")
        assert K.image_data_format() == "channels_first"
        with pytest.warns(DeprecationWarning, match="image_data_format"):
            assert K.image_dim_ordering() == "th"
    finally:
        K.set_image_data_format("channels_last")
    assert K.image_dim_ordering() == "tf"
    with pytest.raises(ValueError, match="'th' or 'tf'"):
        K.set_image_dim_ordering("xy")


# -- variables ----------------------------------------------------------

def test_variables_and_values():
    v = K.variable(np.arange(6).reshape(2, 3))
    assert K.dtype(v) == "float32"
    close(v, np.arange(6).reshape(2, 3))
    K.set_value(v, np.ones((2, 3)))
    close(K.get_value(v), np.ones((2, 3)))
    K.update_add(v, np.full((2, 3), 2.0, "float32"))
    K.update_sub(v, np.ones((2, 3), "float32"))
    close(v, np.full((2, 3), 2.0))
    K.moving_average_update(v, np.zeros((2, 3), "float32"), 0.75)
    close(v, np.full((2, 3), 1.5))
    K.update(v, np.zeros((2, 3), "float32"))
    w = K.zeros((3,))
    K.batch_set_value([(v, np.full((2, 3), 4.0)), (w, [1.0, 2.0, 3.0])])
    got = K.batch_get_value([v, w])
    np.testing.assert_allclose(got[1], [1.0, 2.0, 3.0])
    np.testing.assert_allclose(got[0], 4.0)
    assert K.is_variable(K.ones((2,))) and K.is_variable(K.eye(3))
    close(K.eye((2, 3)), np.eye(2, 3))
    close(K.constant(2.0, shape=(2, 2)), np.full((2, 2), 2.0))
    assert K.int_shape(K.random_uniform_variable((3, 2), 0, 1)) == (3, 2)
    assert K.int_shape(K.random_normal_variable((4,), 0, 1)) == (4,)
    with pytest.raises(TypeError, match="expected a variable"):
        K.set_value(np.zeros(3), 1.0)


def test_eval_of_a_symbolic_tensor_says_what_to_do():
    with pytest.raises(K.GraphOnlyError, match="K.function"):
        K.eval(lamina.Input(shape=(3,)))


# -- learning phase and switch -----------------------------------------

def test_switch_and_train_phase():
    a, b = np.ones((2, 3), "float32"), np.zeros((2, 3), "float32")
    close(K.switch(True, a, b), a)
    close(K.switch(0, lambda: a, lambda: b), b)
    cond = np.array([True, False])
    close(K.switch(cond, a, b), [[1, 1, 1], [0, 0, 0]])
    with pytest.raises(ValueError, match="rank"):
        K.switch(np.ones((2, 3, 4), bool), a, b)
    close(K.in_train_phase(a, b, training=1), a)
    close(K.in_test_phase(a, b, training=1), b)
    assert int(K.learning_phase()) == 0  # outside any call
    close(K.in_train_phase(a, b), b)


def test_learning_phase_follows_the_call():
    seen = []

    class Probe(layers.Layer):
        def call(self, x):
            seen.append(int(K.learning_phase()))
            return K.in_train_phase(x * 2, x)

    probe = Probe()
    x = np.ones((1, 2), "float32")
    close(probe(x, training=True), 2 * x)
    close(probe(x, training=False), x)
    assert seen == [1, 0]


def test_learning_phase_passed_as_training_keeps_the_flag():
    class Wrapper(layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.drop = layers.Dropout(0.5)

        def call(self, x):
            return self.drop(x, training=K.learning_phase())

    wrapper = Wrapper()
    x = np.ones((4, 50), "float32")
    assert (K.eval(wrapper(x, training=True)) == 0).any()
    close(wrapper(x), x)
    close(wrapper(x, training=False), x)


@pytest.mark.requires_training
def test_random_draws_change_between_training_steps():
    a = lamina.Input(shape=(4,))
    noisy = layers.Lambda(lambda t: t + K.random_normal(
        shape=(K.shape(t)[0], 4), stddev=1.0))(a)
    model = lamina.Model(a, layers.Dense(1)(noisy))
    model.compile(lamina.optimizers.SGD(learning_rate=0.0), "mse")
    x, y = np.ones((8, 4), "float32"), np.zeros((8, 1), "float32")
    losses = model.fit(x, y, epochs=3, batch_size=8,
                       verbose=0).history["loss"]
    assert len(set(losses)) == 3  # fixed weights: only the noise changes


def test_set_learning_phase_warns_and_is_the_default():
    arguments._warned.discard("K.set_learning_phase")
    with pytest.warns(DeprecationWarning, match="training=True"):
        K.set_learning_phase(1)
    try:
        assert int(K.learning_phase()) == 1
    finally:
        K.clear_session()
    assert int(K.learning_phase()) == 0
    with pytest.raises(ValueError, match="0 .test. or 1"):
        K.set_learning_phase(2)


# -- K.function ---------------------------------------------------------

def _model():
    a = lamina.Input(shape=(4,))
    h = layers.Dense(8, activation="relu")(a)
    d = layers.Dropout(0.5)(h)
    o = layers.Dense(3)(d)
    return lamina.Model(a, o), a, h, o


def test_function_matches_predict():
    model, a, h, o = _model()
    x = RNG.normal(size=(6, 4)).astype("float32")
    f = K.function([a], [o])
    out = f([x])
    assert isinstance(out, list) and len(out) == 1
    np.testing.assert_allclose(out[0], model.predict(x, verbose=0),
                               rtol=1e-5, atol=1e-6)
    hidden = K.function([model.input], [h])([x])[0]
    inner = lamina.Model(a, h).predict(x, verbose=0)
    np.testing.assert_allclose(hidden, inner, rtol=1e-5, atol=1e-6)
    w, b = model.layers[-1].get_weights()
    relu = np.maximum(hidden, 0)  # from an inner tensor to the output
    np.testing.assert_allclose(K.function([h], [o])([relu])[0],
                               relu @ w + b, rtol=1e-5, atol=1e-6)
    single = K.function([a], o)(x)  # one output tensor: one array
    np.testing.assert_allclose(single, out[0], rtol=1e-6)


def test_function_with_learning_phase_and_layer_outputs():
    model, a, h, _ = _model()
    drop = model.layers[2]
    f = K.function([a, K.learning_phase()], [drop.output])
    x = np.ones((20, 4), "float32")
    test_out, = f([x, 0])
    train_out, = f([x, 1])
    np.testing.assert_allclose(
        test_out, K.function([a], [h])([x])[0], rtol=1e-6)
    kept = train_out != 0
    np.testing.assert_allclose(train_out[kept], 2 * test_out[kept],
                               rtol=1e-5)
    assert (test_out > 0).sum() > (train_out > 0).sum()


def test_function_errors():
    model, a, _, o = _model()
    with pytest.raises(TypeError, match="symbolic tensor"):
        K.function([np.ones((2, 4))], [o])
    with pytest.raises(K.GraphOnlyError, match="train_step|custom"):
        K.function([a], [o], updates=[(model.weights[0], 1.0)])
    with pytest.raises(ValueError, match="expected 1 input"):
        K.function([a], [o])([np.ones((1, 4)), np.ones((1, 4))])


def test_backend_functions_on_symbolic_tensors_record_layers():
    a = lamina.Input(shape=(3, 4))
    s = K.sum(K.square(a), axis=-1)
    m = K.batch_dot(a, a, axes=(2, 2))
    assert s.shape == (None, 3) and m.shape == (None, 3, 3)
    model = lamina.Model(a, [s, m])
    x = RNG.normal(size=(2, 3, 4)).astype("float32")
    got_s, got_m = model.predict(x, verbose=0)
    np.testing.assert_allclose(got_s, (x ** 2).sum(-1), rtol=1e-5)
    np.testing.assert_allclose(got_m, np.einsum("bij,bkj->bik", x, x),
                               rtol=1e-4, atol=1e-5)


def test_recorded_backend_call_refuses_to_be_saved(tmp_path):
    a = lamina.Input(shape=(3,))
    model = lamina.Model(a, K.sum(a, axis=-1, keepdims=True))
    with pytest.raises(TypeError, match="Lambda"):
        model.save(str(tmp_path / "m.keras"))


def test_clear_session_restarts_names():
    K.clear_session()
    first = layers.Dense(2).name
    K.clear_session()
    assert layers.Dense(2).name == first == "dense"
    assert K.get_uid("x") == 1 and K.get_uid("x") == 2
    K.reset_uids()
    assert K.get_uid("x") == 1


# -- rnn ------------------------------------------------------------------

def _numpy_rnn(xs, w, u, h, steps):
    outs = {}
    for t in steps:
        h = np.tanh(xs[:, t] @ w + h @ u)
        outs[t] = h
    return h, outs


def test_rnn_matches_a_numpy_loop():
    xs = RNG.normal(size=(2, 5, 3)).astype("float32")
    w = RNG.normal(size=(3, 4)).astype("float32") * 0.5
    u = RNG.normal(size=(4, 4)).astype("float32") * 0.5
    bias = RNG.normal(size=(4,)).astype("float32")
    kw, ku, kb = K.constant(w), K.constant(u), K.constant(bias)

    def step(x, states):
        h, b = states  # the state, then the constant
        out = K.tanh(K.dot(x, kw) + K.dot(h, ku) + b)
        return out, [out]

    h0 = np.zeros((2, 4), "float32")
    last, outs, states = K.rnn(step, xs, [h0], constants=[kb])
    ref_b, hb = [], h0
    for t in range(5):
        hb = np.tanh(xs[:, t] @ w + hb @ u + bias)
        ref_b.append(hb)
    close(outs, np.stack(ref_b, 1), atol=1e-5)
    close(last, hb, atol=1e-5)
    assert isinstance(states, list) and len(states) == 1
    close(states[0], hb, atol=1e-5)


def test_rnn_backwards_with_mask_keeps_states():
    xs = RNG.normal(size=(2, 4, 3)).astype("float32")
    w = RNG.normal(size=(3, 2)).astype("float32")
    u = RNG.normal(size=(2, 2)).astype("float32") * 0.5

    def step(x, states):
        out = K.tanh(K.dot(x, w) + K.dot(states[0], u))
        return out, [out]

    mask = np.array([[1, 1, 0, 0], [1, 1, 1, 1]], bool)
    h0 = np.zeros((2, 2), "float32")
    last, _, states = K.rnn(step, xs, [h0], mask=mask, go_backwards=True)
    h_first, _ = _numpy_rnn(xs[:1], w, u, h0[:1], [1, 0])
    h_second, _ = _numpy_rnn(xs[1:], w, u, h0[1:], [3, 2, 1, 0])
    close(states[0], np.concatenate([h_first, h_second]), atol=1e-5)
    close(last, np.concatenate([h_first, h_second]), atol=1e-5)


# -- convolution, pooling and the rest -----------------------------------

def _conv2d_ref(x, k):
    n, h, w, _ = x.shape
    kh, kw, _, out = k.shape
    y = np.zeros((n, h - kh + 1, w - kw + 1, out))
    for i in range(y.shape[1]):
        for j in range(y.shape[2]):
            patch = x[:, i:i + kh, j:j + kw, :]
            y[:, i, j] = np.tensordot(patch, k, axes=([1, 2, 3], [0, 1, 2]))
    return y


def test_conv_pool_bias():
    x = RNG.normal(size=(2, 5, 6, 3)).astype("float32")
    k = RNG.normal(size=(3, 2, 3, 4)).astype("float32")
    ref = _conv2d_ref(x, k)
    close(K.conv2d(x, k), ref, atol=1e-4)
    th = K.conv2d(x.transpose(0, 3, 1, 2), k.transpose(3, 2, 0, 1),
                  dim_ordering="th", border_mode="valid")
    close(th, ref.transpose(0, 3, 1, 2), atol=1e-4)
    seq = RNG.normal(size=(2, 7, 3)).astype("float32")
    k1 = RNG.normal(size=(2, 3, 4)).astype("float32")
    ref1 = _conv2d_ref(seq[:, :, None], k1[:, None])[:, :, 0]
    close(K.conv1d(seq, k1), ref1, atol=1e-4)
    img = RNG.normal(size=(2, 4, 6, 3)).astype("float32")
    blocks = img.reshape(2, 2, 2, 3, 2, 3)
    close(K.pool2d(img, (2, 2), strides=(2, 2)), blocks.max((2, 4)))
    close(K.pool2d(img, (2, 2), strides=(2, 2), pool_mode="avg"),
          blocks.mean((2, 4)))
    bias = np.arange(3, dtype="float32")
    close(K.bias_add(img, bias), img + bias)
    first = img.transpose(0, 3, 1, 2)
    close(K.bias_add(first, bias, data_format="channels_first"),
          first + bias[:, None, None])


def test_loops_and_helpers(capsys):
    x = RNG.normal(size=(4, 3)).astype("float32")
    close(K.map_fn(lambda r: K.sum(r), x), x.sum(1))
    close(K.foldl(lambda acc, r: acc + r, x), x.sum(0))
    close(K.foldr(lambda acc, r: acc * 0.5 + r, x, initializer=np.zeros(3)),
          _foldr_ref(x))
    preds = np.array([[0.1, 0.7, 0.2], [0.5, 0.1, 0.4]], "float32")
    close(K.in_top_k(preds, np.array([2, 2]), 2), [True, True])
    close(K.in_top_k(preds, np.array([0, 1]), 1), [False, False])
    mean, var = x.mean(0), x.var(0)
    close(K.batch_normalization(x, mean, var, None, None, epsilon=0.0),
          (x - mean) / np.sqrt(var), atol=1e-4)
    K.print_tensor(K.constant([1.0]), message="value:")
    assert "value:" in capsys.readouterr().out
    close(K.stop_gradient(x), x)
    assert len(K.stop_gradient([x, x])) == 2


def _foldr_ref(x):
    acc = np.zeros(3)
    for r in x[::-1]:
        acc = acc * 0.5 + r
    return acc


@pytest.mark.requires_training
def test_stop_gradient_blocks_gradients():
    v = K.variable([1.0, 2.0])

    def fn():
        value = v.value
        return K.sum(value * value + K.stop_gradient(value) * 10.0), None

    (_, _), grads = B.value_and_grad(fn, [v])
    np.testing.assert_allclose(B.convert_to_numpy(grads[0]), [2.0, 4.0])


# -- graph-only -------------------------------------------------------------

@pytest.mark.parametrize("call, hint", [
    (lambda: K.gradients(None, []), "value_and_grad"),
    (lambda: K.placeholder(shape=(None, 3)), "lamina.Input"),
    (lambda: K.get_session(), "no session"),
    (lambda: K.set_session(None), "LAMINA_DEVICE"),
    (lambda: K.tf, "lamina.ops"),
])
def test_graph_only_calls_raise_with_the_fix(call, hint):
    with pytest.raises(K.GraphOnlyError, match=hint) as info:
        call()
    assert isinstance(info.value, RuntimeError)
    assert not isinstance(info.value, NotImplementedError)


def test_unknown_function_is_an_attribute_error():
    with pytest.raises(AttributeError, match="lamina.ops"):
        K.ctc_batch_cost  # noqa: B018
