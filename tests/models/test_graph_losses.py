"""Graph tensors in losses: Keras 1's loss function that reads the model's
tensors from its closure, and Keras 2's `model.add_loss(tensor)`.

Each loss value is checked against a NumPy formula on the model's weights,
and one SGD step against the gradient worked out by hand for the model
`z = x W1 + b1`, `p = z W2 + b2` (`dL/dp`, then the chain rule).
"""

import numpy as np
import pytest

import lamina
from lamina import layers, losses, ops
from lamina.models import graph_values

LR = 0.1


def _model():
    a = lamina.Input((3,))
    z = layers.Dense(2, kernel_initializer="glorot_normal",
                     bias_initializer="ones")(a)
    out = layers.Dense(1, kernel_initializer="glorot_normal")(z)
    return a, z, out, lamina.Model(a, out)


def _data():
    rng = np.random.default_rng(3)
    return (rng.normal(size=(8, 3)).astype("float32"),
            rng.normal(size=(8, 1)).astype("float32"))


def _reference(model, x, y):
    """Loss mean((p - y)^2) + 0.5 * mean(|z|^2) and its gradients."""
    w1, b1, w2, b2 = [w.astype("float64") for w in model.get_weights()]
    n = len(x)
    z = x @ w1 + b1
    p = z @ w2 + b2
    loss = np.mean((p - y) ** 2) + 0.5 * np.mean(np.sum(z ** 2, axis=1))
    d_p = 2 * (p - y) / n
    d_z = d_p @ w2.T + z / n
    grads = [x.T @ d_z, d_z.sum(0), z.T @ d_p, d_p.sum(0)]
    return loss, grads


def _check_one_sgd_step(model, x, y, train):
    before = model.get_weights()
    _, grads = _reference(model, x, y)
    train()
    for w, w0, g in zip(model.get_weights(), before, grads):
        np.testing.assert_allclose(w, w0 - LR * g, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("use_mask", [False, True])
def test_keras1_loss_reads_graph_tensors_from_its_closure(use_mask):
    a, z, out, model = _model()
    if use_mask:  # the masked run (another path through the graph)
        model = lamina.Model(a, layers.Masking(mask_value=-99.0)(out))

    def vae_style(y_true, y_pred):
        # `z` is a tensor of the graph, read from the closure (Keras 1).
        kl = 0.5 * ops.sum(ops.square(z), axis=-1)
        return ops.mean(ops.square(y_pred - y_true), axis=-1) + kl

    model.compile(lamina.optimizers.SGD(LR), loss=vae_style)
    x, y = _data()
    want, _ = _reference(model, x, y)
    got = model.evaluate(x, y, batch_size=8, verbose=0)
    np.testing.assert_allclose(got, want, rtol=1e-5)
    _check_one_sgd_step(model, x, y,
                        lambda: model.train_on_batch(x, y))


def test_keras2_model_add_loss_of_graph_tensors():
    a, z, out, model = _model()
    # K.mean-style terms drawn on the graph, one through a loss function
    # called on symbolic tensors (recorded as a node).
    model.add_loss(0.5 * ops.mean(ops.sum(ops.square(z), axis=-1)))
    model.add_loss(ops.mean(losses.mean_squared_error(a[:, :1], out)))
    model.compile(lamina.optimizers.SGD(LR))  # no loss: fit(x) alone
    x, _ = _data()
    y = x[:, :1]
    want, _ = _reference(model, x, y)
    np.testing.assert_allclose(model.evaluate(x, batch_size=8, verbose=0),
                               want, rtol=1e-5)
    _check_one_sgd_step(model, x, y, lambda: model.fit(
        x, batch_size=8, epochs=1, shuffle=False, verbose=0))
    # The extra terms are not layers of the model and are not saved.
    assert [type(l).__name__ for l in model.layers] == \
        ["InputLayer", "Dense", "Dense"]


def test_graph_loss_of_a_nested_model_tensor():
    # Keras 2's VAE: the loss reads a tensor inside the encoder model,
    # which the outer model calls as one layer.
    a = lamina.Input((3,))
    z = layers.Dense(2)(a)
    encoder = lamina.Model(a, z)
    out = layers.Dense(1)(encoder(a))
    model = lamina.Model(a, out)
    model.add_loss(0.5 * ops.mean(ops.sum(ops.square(z), axis=-1)))
    model.compile("sgd", loss="mse")
    x, y = _data()
    want, _ = _reference(model, x, y)
    np.testing.assert_allclose(model.evaluate(x, y, batch_size=8,
                                              verbose=0), want, rtol=1e-5)


def test_model_add_loss_needs_tensors_of_the_model():
    _, z, _, model = _model()
    other = lamina.Input((3,))
    with pytest.raises(ValueError, match="Graph disconnected"):
        model.add_loss(ops.mean(layers.Dense(1)(other)))
    with pytest.raises(ValueError, match="symbolic tensor"):
        layers.Dense(1).add_loss(ops.mean(z))


def test_capture_resolves_only_tensors_it_can_compute():
    _, z, _, model = _model()
    stranger = lamina.Input((2,))
    x = np.ones((2, 3), "float32")
    with graph_values.capture():
        model(x)
        np.testing.assert_allclose(
            ops.convert_to_numpy(ops.exp(z)),
            np.exp(x @ model.get_weights()[0] + model.get_weights()[1]),
            rtol=1e-6)
        with pytest.raises(ValueError, match="not among the model's"):
            ops.exp(stranger)
    assert not graph_values.capturing()


z_module = lamina.Input((2,))


def _reads_global(y_true, y_pred):
    return y_pred + z_module


def test_reads_graph_tensors():
    hidden = layers.Dense(2)(lamina.Input((3,)))

    def closure(y_true, y_pred):
        return y_pred * hidden

    def default(y_true, y_pred, extra=hidden):
        return y_pred

    def nested(y_true, y_pred):
        scale = lambda: z_module  # read in a nested code object
        return y_pred * scale()

    assert graph_values.reads_graph_tensors(closure)
    assert graph_values.reads_graph_tensors(default)
    assert graph_values.reads_graph_tensors(_reads_global)
    assert graph_values.reads_graph_tensors(nested)
    assert not graph_values.reads_graph_tensors(losses.mean_squared_error)
    assert not graph_values.reads_graph_tensors(lambda t, p: t - p)
