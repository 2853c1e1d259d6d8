import numpy as np
import pytest

import lamina
from lamina import layers, ops


def mlp(n_in=4, n_out=1, activation=None):
    a = lamina.Input(shape=(n_in,))
    h = layers.Dense(8, activation="relu")(a)
    return lamina.Model(a, layers.Dense(n_out, activation=activation)(h))


def regression_data(n=128, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4)).astype("float32")
    return x, (x @ np.array([1.0, -2.0, 0.5, 0.0]))[:, None].astype(
        "float32")


def test_fit_history_and_nb_epoch():
    x, y = regression_data()
    model = mlp()
    model.compile("adam", "mse")
    with pytest.warns(DeprecationWarning, match="epochs=3"):
        hist = model.fit(x, y, nb_epoch=3, verbose=0)
    assert list(hist.history) == ["loss"] and len(hist.history["loss"]) == 3
    assert hist.epoch == [0, 1, 2]


def test_evaluate_matches_numpy_mse():
    x, y = regression_data()
    model = mlp()
    model.compile("sgd", "mse", metrics=["mae"])
    pred = model.predict(x, verbose=0)
    loss, mae = model.evaluate(x, y, batch_size=32, verbose=0)
    assert loss == pytest.approx(((pred - y) ** 2).mean(), rel=1e-5)
    assert mae == pytest.approx(np.abs(pred - y).mean(), rel=1e-5)
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    assert list(logs) == ["loss", "mae"]


def test_validation_split_and_data():
    x, y = regression_data(200)
    model = mlp()
    model.compile("adam", "mse", metrics=["mae"])
    hist = model.fit(x, y, epochs=2, validation_split=0.25, verbose=0)
    assert "val_loss" in hist.history and len(hist.history["val_loss"]) == 2
    # the validation part is the last 25%, unshuffled: check the number
    val = model.evaluate(x[150:], y[150:], verbose=0)[0]
    assert hist.history["val_loss"][-1] == pytest.approx(val, rel=1e-5)
    hist = model.fit(x, y, epochs=1, validation_data=(x[:10], y[:10]),
                     verbose=0)
    assert "val_mae" in hist.history


def test_accuracy_resolution_and_names():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 4)).astype("float32")
    labels = (x[:, 0] > 0).astype("int64")
    for loss, y, n_out, act in (
            ("sparse_categorical_crossentropy", labels, 2, "softmax"),
            ("categorical_crossentropy", np.eye(2)[labels], 2, "softmax"),
            ("binary_crossentropy", labels[:, None].astype("float32"), 1,
             "sigmoid")):
        model = mlp(n_out=n_out, activation=act)
        model.compile("adam", loss, metrics=["acc"])
        pred = model.predict(x, verbose=0)
        _, acc = model.evaluate(x, y, verbose=0)
        want = (pred.argmax(1) == labels).mean() if n_out > 1 else \
            ((pred[:, 0] > 0.5) == labels).mean()
        assert acc == pytest.approx(want), loss
        assert model.metrics_names == ["loss", "acc"]


def test_sample_weight_and_class_weight():
    x, y = regression_data(64)
    model = mlp()
    model.compile("sgd", "mse")
    pred = model.predict(x, verbose=0)
    sw = np.linspace(0, 2, 64).astype("float32")
    got = model.evaluate(x, y, sample_weight=sw, batch_size=64, verbose=0)
    err = ((pred - y) ** 2)[:, 0]
    assert got == pytest.approx((err * sw).sum() / 64, rel=1e-5)
    labels = (x[:, 0] > 0).astype("int64")
    clf = mlp(n_out=2, activation="softmax")
    clf.compile("sgd", "sparse_categorical_crossentropy")
    clf.fit(x, labels, class_weight={0: 1.0, 1: 3.0}, epochs=1, verbose=0)


def test_multi_output_losses_weights_and_logs():
    a = lamina.Input(shape=(4,))
    h = layers.Dense(8, activation="relu")(a)
    o1 = layers.Dense(1, name="reg")(h)
    o2 = layers.Dense(1, name="reg2")(h)
    model = lamina.Model(a, [o1, o2])
    model.compile("adam", ["mse", "mae"], loss_weights=[1.0, 0.5])
    x, y = regression_data()
    p1, p2 = model.predict(x, verbose=0)
    logs = model.evaluate(x, [y, y], verbose=0, return_dict=True)
    mse, mae = ((p1 - y) ** 2).mean(), np.abs(p2 - y).mean()
    assert logs["loss"] == pytest.approx(mse + 0.5 * mae, rel=1e-5)
    assert logs["reg_loss"] == pytest.approx(mse, rel=1e-5)
    assert logs["reg2_loss"] == pytest.approx(mae, rel=1e-5)
    hist = model.fit(x, {"reg": y, "reg2": y}, epochs=1, verbose=0)
    assert set(hist.history) == {"loss", "reg_loss", "reg2_loss"}


def test_on_batch_methods():
    x, y = regression_data(16)
    model = mlp()
    model.compile("sgd", "mse")
    before = model.test_on_batch(x, y)
    model.train_on_batch(x, y)
    after = model.test_on_batch(x, y)
    assert after < before
    np.testing.assert_allclose(model.predict_on_batch(x),
                               model.predict(x, verbose=0), rtol=1e-6)


def test_x_y_length_mismatch():
    model = mlp()
    model.compile("sgd", "mse")
    with pytest.raises(ValueError, match="100 samples.*90 samples"):
        model.fit(np.ones((100, 4)), np.ones((90, 1)), verbose=0)


def test_unknown_loss_lists_valid_names():
    model = mlp()
    model.compile("sgd", "mse2")
    with pytest.raises(ValueError, match="mse2") as err:
        model.fit(np.ones((4, 4)), np.ones((4, 1)), verbose=0)
    assert "mean_squared_error" in str(err.value)


def test_fit_before_compile():
    with pytest.raises(RuntimeError, match="compile"):
        mlp().fit(np.ones((4, 4)), np.ones((4, 1)), verbose=0)


def test_initial_epoch_and_steps_per_epoch():
    x, y = regression_data(64)
    model = mlp()
    model.compile("sgd", "mse")
    hist = model.fit(x, y, epochs=5, initial_epoch=3, verbose=0)
    assert hist.epoch == [3, 4]
    seen = []
    cb = lamina.callbacks.Callback()
    cb.on_train_batch_end = lambda batch, logs=None: seen.append(batch)
    model.fit(x, y, batch_size=8, epochs=1, steps_per_epoch=3, verbose=0)


def test_generator_input():
    x, y = regression_data(64)

    def gen():
        while True:
            for i in range(0, 64, 16):
                yield x[i:i + 16], y[i:i + 16]
    model = mlp()
    model.compile("sgd", "mse")
    hist = model.fit(gen(), steps_per_epoch=4, epochs=2, verbose=0)
    assert len(hist.history["loss"]) == 2
    assert model.evaluate(gen(), steps=4, verbose=0) == pytest.approx(
        model.evaluate(x, y, batch_size=16, verbose=0), rel=1e-5)


def test_progress_bar_one_line_per_epoch_when_piped(capsys):
    x, y = regression_data(64)
    model = mlp()
    model.compile("sgd", "mse", metrics=["mae"])
    model.fit(x, y, epochs=3, batch_size=8, verbose=1)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 6, lines
    assert lines[0] == "Epoch 1/3" and "8/8" in lines[1] and \
        "loss:" in lines[1]


def test_training_reduces_loss_for_every_optimizer():
    x, y = regression_data(128)
    for name in ("sgd", "rmsprop", "adam", "adamw", "adagrad"):
        lamina.utils.set_random_seed(0)
        model = mlp()
        lr = {"sgd": 0.05, "adagrad": 0.1}.get(name, 0.01)
        opt = lamina.optimizers.get(name)
        opt.learning_rate = lr
        model.compile(opt, "mse")
        hist = model.fit(x, y, epochs=15, batch_size=16, verbose=0)
        losses = hist.history["loss"]
        assert losses[-1] < 0.05 * losses[0], (name, losses)


def test_numpy_inputs_are_cast_to_floatx():
    model = mlp()
    model.compile("sgd", "mse")
    model.fit(np.ones((8, 4), "float64"), np.ones((8, 1), "float64"),
              verbose=0)
    out = model.predict(np.ones((2, 4), "float64"), verbose=0)
    assert out.dtype == np.float32
    assert ops is not None


def test_one_sgd_step_matches_numpy_gradient():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(10, 3)).astype("float32")
    y = rng.normal(size=(10, 2)).astype("float32")
    a = lamina.Input(shape=(3,))
    model = lamina.Model(a, layers.Dense(2)(a))
    model.compile(lamina.optimizers.SGD(0.1), "mse")
    w, b = model.get_weights()
    model.train_on_batch(x, y)
    err = x @ w + b - y                       # d(mean(err^2))/d(pred)
    grad_pred = 2 * err / err.size
    w_new = w - 0.1 * x.T @ grad_pred
    b_new = b - 0.1 * grad_pred.sum(0)
    got_w, got_b = model.get_weights()
    np.testing.assert_allclose(got_w, w_new, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got_b, b_new, rtol=1e-5, atol=1e-6)
