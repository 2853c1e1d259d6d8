"""Tests for `Attention` and `AdditiveAttention` against NumPy formulas and
`torch.nn.functional.scaled_dot_product_attention`."""

import numpy as np
import pytest
import torch

import lamina
from lamina import ops
from lamina.layers.attention import AdditiveAttention, Attention
from lamina.layers.layer import Layer
from lamina.saving.config import deserialize, serialize
from lamina.testing.layer_test import run_layer_test

rng = np.random.default_rng(0)
Q = rng.normal(size=(2, 3, 4)).astype("float32")
V = rng.normal(size=(2, 5, 4)).astype("float32")
K = rng.normal(size=(2, 5, 4)).astype("float32")
Q_MASK = np.array([[1, 1, 0], [1, 0, 1]], bool)
V_MASK = np.array([[1, 1, 1, 0, 0], [0, 1, 1, 1, 1]], bool)


def np_(x):
    return np.asarray(ops.convert_to_numpy(x))


def softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def reference(q, v, k=None, scores_fn=None, q_mask=None, v_mask=None,
              causal=False):
    """Masked softmax attention in NumPy (float64)."""
    k = v if k is None else k
    scores = scores_fn(q.astype("float64"), k.astype("float64"))
    allowed = np.ones(scores.shape, bool)
    if v_mask is not None:
        allowed &= v_mask[:, None, :]
    if causal:
        allowed &= np.tril(np.ones(scores.shape[-2:], bool))
    weights = softmax(np.where(allowed, scores, -1e9))
    out = weights @ v
    if q_mask is not None:
        out = out * q_mask[..., None]
    return out, weights


def dot(q, k):
    return q @ np.swapaxes(k, -1, -2)


def concat(q, k):
    return np.tanh(q[:, :, None] + k[:, None]).sum(-1)


class SelfAttention(Attention):
    """`Attention([x, x])` on one input, for `run_layer_test`."""

    def build(self, input_shape):
        super().build([input_shape, input_shape])

    def call(self, inputs, training=False):
        return super().call([inputs, inputs], training=training)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    compute_output_spec = Layer.compute_output_spec
    compute_mask = Layer.compute_mask


class SelfAdditiveAttention(AdditiveAttention):
    def build(self, input_shape):
        super().build([input_shape, input_shape])

    def call(self, inputs, training=False):
        return super().call([inputs, inputs], training=training)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    compute_output_spec = Layer.compute_output_spec
    compute_mask = Layer.compute_mask


class ZeroMask(Layer):
    """Passes its input through with the mask `any(x != 0, -1)`."""

    def compute_mask(self, inputs, mask=None):
        return ops.any(ops.not_equal(inputs, 0), axis=-1)


# -- Attention ---------------------------------------------------------------

@pytest.mark.parametrize("with_key", [False, True])
def test_dot_matches_reference_and_torch_sdpa(with_key):
    inputs = [Q, V, K] if with_key else [Q, V]
    out, scores = Attention()(inputs, return_attention_scores=True)
    want, want_w = reference(Q, V, K if with_key else None, dot)
    np.testing.assert_allclose(np_(out), want, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(np_(scores), want_w, rtol=1e-5, atol=1e-6)
    torch_out = torch.nn.functional.scaled_dot_product_attention(
        torch.tensor(Q), torch.tensor(K if with_key else V),
        torch.tensor(V), scale=1.0)
    np.testing.assert_allclose(np_(out), torch_out.numpy(), rtol=1e-5,
                               atol=1e-5)


def test_use_scale_weight_multiplies_scores():
    layer = Attention(use_scale=True)
    layer([Q, V])
    assert [w.name for w in layer.weights] == ["scale"]
    assert layer.weights[0].shape == ()
    layer.set_weights([np.array(0.5, "float32")])
    want, _ = reference(Q, V, None, lambda q, k: 0.5 * dot(q, k))
    np.testing.assert_allclose(np_(layer([Q, V])), want, rtol=1e-5,
                               atol=1e-5)


@pytest.mark.parametrize("use_scale", [False, True])
def test_concat_score_mode(use_scale):
    layer = Attention(use_scale=use_scale, score_mode="concat")
    layer([Q, V, K])
    names = ["scale", "concat_score_weight"] if use_scale else \
        ["concat_score_weight"]
    assert [w.name for w in layer.weights] == names
    values = [np.array(0.7, "float32"), np.array(1.5, "float32")]
    layer.set_weights(values[-len(names):])
    scale = 0.7 if use_scale else 1.0

    def scores_fn(q, k):
        return 1.5 * np.tanh(scale * (q[:, :, None] + k[:, None])).sum(-1)
    want, _ = reference(Q, V, K, scores_fn)
    np.testing.assert_allclose(np_(layer([Q, V, K])), want, rtol=1e-5,
                               atol=1e-5)


def test_padding_masks_and_torch_boolean_mask():
    layer = Attention()
    out, w = layer([Q, V], mask=[Q_MASK, V_MASK],
                   return_attention_scores=True)
    want, want_w = reference(Q, V, None, dot, Q_MASK, V_MASK)
    np.testing.assert_allclose(np_(out), want, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(np_(w), want_w, rtol=1e-5, atol=1e-6)
    assert np.all(np_(w)[~np.broadcast_to(V_MASK[:, None], w.shape)] == 0)
    torch_out = torch.nn.functional.scaled_dot_product_attention(
        torch.tensor(Q), torch.tensor(V), torch.tensor(V),
        attn_mask=torch.tensor(V_MASK[:, None, :]), scale=1.0)
    np.testing.assert_allclose(np_(out), torch_out.numpy() * Q_MASK[..., None],
                               rtol=1e-5, atol=1e-5)
    # A query mask alone (value mask None) only zeroes outputs.
    got = np_(layer([Q, V], mask=[Q_MASK, None]))
    np.testing.assert_allclose(got, reference(Q, V, None, dot, Q_MASK)[0],
                               rtol=1e-5, atol=1e-5)


def test_causal_mask_matches_torch():
    x = rng.normal(size=(2, 4, 3)).astype("float32")
    out = Attention()([x, x], use_causal_mask=True)
    torch_out = torch.nn.functional.scaled_dot_product_attention(
        torch.tensor(x), torch.tensor(x), torch.tensor(x), is_causal=True,
        scale=1.0)
    np.testing.assert_allclose(np_(out), torch_out.numpy(), rtol=1e-5,
                               atol=1e-5)
    # Combined with a value mask.
    v_mask = np.array([[1, 0, 1, 1], [1, 1, 1, 0]], bool)
    got = np_(Attention()([x, x], mask=[None, v_mask], use_causal_mask=True))
    want, _ = reference(x, x, None, dot, v_mask=v_mask, causal=True)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


def test_dropout_is_identity_at_inference_and_active_in_training():
    plain = np_(Attention()([Q, V]))
    layer = Attention(dropout=0.5, seed=1)
    np.testing.assert_allclose(np_(layer([Q, V])), plain, rtol=1e-6)
    np.testing.assert_allclose(np_(layer([Q, V], training=False)), plain,
                               rtol=1e-6)
    _, weights = layer([Q, V], training=True, return_attention_scores=True)
    # The returned scores are the weights before dropout.
    np.testing.assert_allclose(np_(weights).sum(-1), 1.0, rtol=1e-5)
    dropped = np_(layer([Q, V], training=True))
    assert not np.allclose(dropped, plain)


def test_output_shape_value_dim_and_mask():
    v = rng.normal(size=(2, 5, 6)).astype("float32")
    out = Attention()([Q, v, K])
    assert tuple(out.shape) == (2, 3, 6)
    layer = Attention()
    assert layer.compute_output_shape([(2, 3, 4), (2, 5, 6)]) == (2, 3, 6)
    assert layer.compute_mask([Q, V], None) is None
    assert layer.compute_mask([Q, V], [Q_MASK, None]) is Q_MASK


def test_symbolic_call_and_functional_masks():
    q_in = lamina.Input(shape=(3, 4))
    v_in = lamina.Input(shape=(5, 4))
    layer = Attention()
    out, scores = layer([ZeroMask()(q_in), ZeroMask()(v_in)],
                        return_attention_scores=True)
    assert out.shape == (None, 3, 4) and scores.shape == (None, 3, 5)
    model = lamina.Model([q_in, v_in], [out, scores])
    q = Q * Q_MASK[..., None]
    v = V * V_MASK[..., None]
    got, got_w = model.predict([q, v], verbose=0)
    want, want_w = reference(q, v, None, dot, Q_MASK, V_MASK)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(got_w, want_w, rtol=1e-5, atol=1e-6)


def test_bad_arguments():
    with pytest.raises(ValueError, match="score_mode"):
        Attention(score_mode="add")
    with pytest.raises(ValueError, match="dropout"):
        Attention(dropout=1.5)
    with pytest.raises(ValueError, match="list of 2 or 3"):
        Attention()(Q)
    with pytest.raises(ValueError, match="list of 2 or 3"):
        Attention()([Q])
    with pytest.raises(ValueError, match="mask"):
        Attention()([Q, V], mask=Q_MASK)


@pytest.mark.parametrize("kwargs", [
    {}, {"use_scale": True}, {"score_mode": "concat", "use_scale": True},
    {"dropout": 0.2, "seed": 3}])
def test_attention_layer_checks(kwargs):
    num = int(kwargs.get("use_scale", False)) + \
        int(kwargs.get("score_mode") == "concat")
    run_layer_test(SelfAttention, kwargs, (2, 4, 3), (2, 4, 3),
                   expected_num_weights=num)


def test_attention_config_round_trip():
    layer = Attention(use_scale=True, score_mode="concat", dropout=0.1,
                      seed=4, name="att")
    config = layer.get_config()
    assert {k: config[k] for k in ("use_scale", "score_mode", "dropout",
                                   "seed")} == {
        "use_scale": True, "score_mode": "concat", "dropout": 0.1,
        "seed": 4}
    assert Attention.from_config(config).get_config() == config
    clone = deserialize(serialize(layer), "layers", custom_objects={
        "Attention": Attention})
    assert type(clone) is Attention and clone.get_config() == config


# -- AdditiveAttention -----------------------------------------------------

def test_additive_matches_reference():
    layer = AdditiveAttention()
    out = layer([Q, V, K], mask=[Q_MASK, V_MASK])
    assert [(w.name, w.shape) for w in layer.weights] == [("scale", (4,))]
    scale = np_(layer.weights[0].value)

    def scores_fn(q, k):
        return (scale * np.tanh(q[:, :, None] + k[:, None])).sum(-1)
    want, _ = reference(Q, V, K, scores_fn, Q_MASK, V_MASK)
    np.testing.assert_allclose(np_(out), want, rtol=1e-5, atol=1e-5)
    unscaled = AdditiveAttention(use_scale=False)
    got = np_(unscaled([Q, V], use_causal_mask=True))
    assert unscaled.weights == []
    want, _ = reference(Q, V, None, concat, causal=True)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("kwargs", [{}, {"use_scale": False}])
def test_additive_layer_checks(kwargs):
    run_layer_test(SelfAdditiveAttention, kwargs, (2, 4, 3), (2, 4, 3),
                   expected_num_weights=int(kwargs.get("use_scale", True)))


def test_additive_config_round_trip():
    layer = AdditiveAttention(use_scale=False, dropout=0.3)
    config = layer.get_config()
    assert "score_mode" not in config
    assert config["use_scale"] is False and config["dropout"] == 0.3
    assert AdditiveAttention.from_config(config).get_config() == config
    clone = deserialize(serialize(layer), "layers", custom_objects={
        "AdditiveAttention": AdditiveAttention})
    assert type(clone) is AdditiveAttention
    assert clone.get_config() == config
