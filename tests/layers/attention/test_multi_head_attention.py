"""Tests for `MultiHeadAttention` against `torch.nn.MultiheadAttention`
(same weights, rearranged) and a NumPy einsum reference."""

import numpy as np
import pytest
import torch

import lamina
from lamina import ops
from lamina.layers.attention import MultiHeadAttention
from lamina.layers.layer import Layer
from lamina.saving.config import deserialize, serialize
from lamina.testing.layer_test import run_layer_test

rng = np.random.default_rng(1)


def np_(x):
    return np.asarray(ops.convert_to_numpy(x))


def weights_of(layer):
    return {w.path: np_(w.value) for w in layer.weights}


def reference(layer, query, value, key=None, allowed=None):
    """Multi-head attention in NumPy (float64) from `layer`'s weights, for
    rank-3 inputs; `allowed` is a boolean (batch, T, S) mask."""
    key = value if key is None else key
    w = [x.astype("float64") for x in layer.get_weights()]
    if layer.use_bias:
        wq, bq, wk, bk, wv, bv, wo, bo = w
    else:
        (wq, wk, wv, wo), bq = w, 0
        bk = bv = bo = 0
    q = np.einsum("btd,dnh->btnh", query, wq) + bq
    k = np.einsum("bsd,dnh->bsnh", key, wk) + bk
    v = np.einsum("bsd,dnh->bsnh", value, wv) + bv
    scores = np.einsum("btnh,bsnh->bnts", q, k) / np.sqrt(layer.key_dim)
    if allowed is not None:
        scores = np.where(allowed[:, None], scores, -1e9)
    scores = np.exp(scores - scores.max(-1, keepdims=True))
    scores /= scores.sum(-1, keepdims=True)
    out = np.einsum("bnts,bsnh->btnh", scores, v)
    return np.einsum("btnh,nho->bto", out, wo) + bo, scores


def torch_mha(layer, embed_dim):
    """A `torch.nn.MultiheadAttention` holding `layer`'s weights."""
    n, h = layer.num_heads, layer.key_dim
    wq, bq, wk, bk, wv, bv, wo, bo = layer.get_weights()
    module = torch.nn.MultiheadAttention(embed_dim, n, batch_first=True,
                                         dtype=torch.float64)
    with torch.no_grad():
        module.in_proj_weight.copy_(torch.tensor(np.concatenate(
            [w.reshape(embed_dim, n * h).T for w in (wq, wk, wv)])))
        module.in_proj_bias.copy_(torch.tensor(np.concatenate(
            [b.reshape(-1) for b in (bq, bk, bv)])))
        module.out_proj.weight.copy_(torch.tensor(
            wo.reshape(n * h, embed_dim).T))
        module.out_proj.bias.copy_(torch.tensor(bo))
    return module


def randomize(layer):
    layer.set_weights([rng.normal(scale=0.5, size=w.shape).astype(
        "float32") for w in layer.get_weights()])


class SelfMHA(MultiHeadAttention):
    """Self-attention `layer(x, x)` on one input, for `run_layer_test`."""

    def __call__(self, inputs, value=None, **kwargs):
        return super().__call__(inputs, inputs if value is None else value,
                                **kwargs)


class ZeroMask(Layer):
    """Passes its input through with the mask `any(x != 0, -1)`."""

    def compute_mask(self, inputs, mask=None):
        return ops.any(ops.not_equal(inputs, 0), axis=-1)


E, HEADS = 6, 2
X = rng.normal(size=(2, 4, E)).astype("float32")
Y = rng.normal(size=(2, 5, E)).astype("float32")
Z = rng.normal(size=(2, 5, E)).astype("float32")


def make(**kwargs):
    layer = MultiHeadAttention(HEADS, key_dim=E // HEADS, **kwargs)
    layer(X, Y)
    randomize(layer)
    return layer


def test_weight_names_shapes_and_order():
    layer = MultiHeadAttention(3, key_dim=4, value_dim=5)
    layer(X, Y, Z)
    assert [(w.path, w.shape) for w in layer.weights] == [
        ("query/kernel", (E, 3, 4)), ("query/bias", (3, 4)),
        ("key/kernel", (E, 3, 4)), ("key/bias", (3, 4)),
        ("value/kernel", (E, 3, 5)), ("value/bias", (3, 5)),
        ("attention_output/kernel", (3, 5, E)),
        ("attention_output/bias", (E,))]
    assert layer.query_dense.name == "query"
    assert layer.output_dense.name == "attention_output"
    no_bias = MultiHeadAttention(2, key_dim=3, use_bias=False,
                                 output_shape=(2, 7))
    out = no_bias(X, Y)
    assert tuple(out.shape) == (2, 4, 2, 7)
    assert [w.shape for w in no_bias.weights] == [
        (E, 2, 3), (E, 2, 3), (E, 2, 3), (2, 3, 2, 7)]


@pytest.mark.parametrize("with_key", [False, True])
def test_matches_torch_multihead_attention(with_key):
    layer = make()
    key = Z if with_key else None
    out, scores = layer(X, Y, key, return_attention_scores=True)
    module = torch_mha(layer, E)
    t_out, t_scores = module(
        torch.tensor(X, dtype=torch.float64),
        torch.tensor(Z if with_key else Y, dtype=torch.float64),
        torch.tensor(Y, dtype=torch.float64), average_attn_weights=False)
    np.testing.assert_allclose(np_(out), t_out.detach().numpy(), rtol=1e-4,
                               atol=1e-5)
    np.testing.assert_allclose(np_(scores), t_scores.detach().numpy(),
                               rtol=1e-4, atol=1e-6)
    assert tuple(scores.shape) == (2, HEADS, 4, 5)


def test_padding_and_attention_masks_match_torch():
    layer = make()
    v_mask = np.array([[1, 1, 1, 0, 0], [1, 0, 1, 1, 1]], bool)
    attn = rng.random((2, 4, 5)) > 0.3
    attn[:, :, 2] = True  # every query keeps one allowed key
    out = layer(X, Y, value_mask=v_mask, attention_mask=attn)
    module = torch_mha(layer, E)
    t_out, _ = module(
        torch.tensor(X, dtype=torch.float64),
        torch.tensor(Y, dtype=torch.float64),
        torch.tensor(Y, dtype=torch.float64),
        key_padding_mask=torch.tensor(~v_mask),
        attn_mask=torch.tensor(np.repeat(~attn, HEADS, axis=0)))
    np.testing.assert_allclose(np_(out), t_out.detach().numpy(), rtol=1e-4,
                               atol=1e-5)
    # The same through `mask=[query_mask, value_mask]` and the reference.
    q_mask = np.array([[1, 1, 0, 1], [1, 1, 1, 1]], bool)
    got, scores = layer(X, Y, mask=[q_mask, v_mask],
                        return_attention_scores=True)
    allowed = q_mask[:, :, None] & v_mask[:, None, :]
    want, want_scores = reference(layer, X, Y, allowed=allowed)
    np.testing.assert_allclose(np_(got), want, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(np_(scores), want_scores, rtol=1e-4,
                               atol=1e-6)
    # Explicit masks override the implicit ones.
    np.testing.assert_allclose(
        np_(layer(X, Y, mask=[None, ~v_mask], query_mask=q_mask,
                  value_mask=v_mask)), want, rtol=1e-4, atol=1e-5)


def test_causal_mask_matches_torch():
    layer = make()
    out = layer(X, X, use_causal_mask=True)
    module = torch_mha(layer, E)
    x = torch.tensor(X, dtype=torch.float64)
    causal = torch.nn.Transformer.generate_square_subsequent_mask(
        4, dtype=torch.float64)
    t_out, _ = module(x, x, x, attn_mask=causal, is_causal=True)
    np.testing.assert_allclose(np_(out), t_out.detach().numpy(), rtol=1e-4,
                               atol=1e-5)
    # Causal with T != S: query i sees keys j <= i.
    allowed = np.broadcast_to(np.tril(np.ones((4, 5), bool)), (2, 4, 5))
    want, _ = reference(layer, X, Y, allowed=allowed)
    np.testing.assert_allclose(np_(layer(X, Y, use_causal_mask=True)), want,
                               rtol=1e-4, atol=1e-5)


def test_value_dim_no_bias_and_output_shape_vs_reference():
    layer = MultiHeadAttention(3, key_dim=2, value_dim=4, use_bias=False,
                               output_shape=5)
    layer(X, Y, Z)
    randomize(layer)
    out = layer(X, Y, Z)
    assert tuple(out.shape) == (2, 4, 5)
    want, _ = reference(layer, X.astype("float64"), Y, Z)
    np.testing.assert_allclose(np_(out), want, rtol=1e-4, atol=1e-5)


def test_attention_axes_over_two_dims():
    x = rng.normal(size=(2, 3, 2, 4)).astype("float32")
    layer = MultiHeadAttention(2, key_dim=3, attention_axes=(1, 2))
    out, scores = layer(x, x, return_attention_scores=True)
    assert tuple(scores.shape) == (2, 2, 3, 2, 3, 2)
    wq, bq, wk, bk, wv, bv, wo, bo = layer.get_weights()
    q = np.einsum("bxyd,dnh->bxynh", x, wq) + bq
    k = np.einsum("bxyd,dnh->bxynh", x, wk) + bk
    v = np.einsum("bxyd,dnh->bxynh", x, wv) + bv
    s = np.einsum("bxynh,bpqnh->bnxypq", q, k) / np.sqrt(3)
    flat = s.reshape(2, 2, 3, 2, 6)
    flat = np.exp(flat - flat.max(-1, keepdims=True))
    flat /= flat.sum(-1, keepdims=True)
    s = flat.reshape(s.shape)
    want = np.einsum("bnxypq,bpqnh->bxynh", s, v)
    want = np.einsum("bxynh,nho->bxyo", want, wo) + bo
    np.testing.assert_allclose(np_(scores), s, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(np_(out), want, rtol=1e-4, atol=1e-5)
    # Attention over one of the two axes: the other is a batch axis.
    single = MultiHeadAttention(1, key_dim=2, attention_axes=-2)
    _, scores = single(x, x, return_attention_scores=True)
    assert tuple(scores.shape) == (2, 3, 1, 2, 2)


def test_dropout_identity_at_inference_and_active_in_training():
    layer = make(dropout=0.5, seed=2)
    plain = make()
    plain.set_weights(layer.get_weights())
    want = np_(plain(X, Y))
    np.testing.assert_allclose(np_(layer(X, Y)), want, rtol=1e-6)
    np.testing.assert_allclose(np_(layer(X, Y, training=False)), want,
                               rtol=1e-6)
    assert not np.allclose(np_(layer(X, Y, training=True)), want)


def test_functional_model_passes_masks():
    inp = lamina.Input(shape=(4, E))
    masked = ZeroMask()(inp)
    layer = MultiHeadAttention(HEADS, key_dim=3)
    out, scores = layer(masked, masked, return_attention_scores=True)
    assert out.shape == (None, 4, E) and scores.shape == (None, HEADS, 4, 4)
    model = lamina.Model(inp, [out, scores])
    randomize(layer)
    mask = np.array([[1, 1, 1, 0], [1, 0, 1, 1]], bool)
    x = X * mask[..., None]
    got, got_scores = model.predict(x, verbose=0)
    want, want_scores = reference(
        layer, x, x, allowed=mask[:, :, None] & mask[:, None, :])
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(got_scores, want_scores, rtol=1e-4,
                               atol=1e-6)


def test_cross_attention_in_functional_model():
    q_in, v_in = lamina.Input(shape=(4, E)), lamina.Input(shape=(5, E))
    layer = MultiHeadAttention(HEADS, key_dim=3, value_dim=2,
                               output_shape=3)
    model = lamina.Model([q_in, v_in], layer(q_in, value=v_in))
    randomize(layer)
    got = model.predict([X, Y], verbose=0)
    np.testing.assert_allclose(got, reference(layer, X, Y)[0], rtol=1e-4,
                               atol=1e-5)


def test_layer_checks():
    # Other argument combinations are checked above against references
    # (each new shape costs JAX compilations, so one run here).
    run_layer_test(SelfMHA, {"num_heads": 2, "key_dim": 3}, (2, 3, 5),
                   (2, 3, 5), expected_num_weights=8)


def test_config_round_trip():
    layer = MultiHeadAttention(
        4, key_dim=3, value_dim=2, dropout=0.1, use_bias=False,
        output_shape=(7,), attention_axes=1,
        kernel_initializer="he_normal", kernel_regularizer="l2",
        activity_regularizer="l1", bias_constraint="non_neg", seed=5,
        name="mha")
    config = layer.get_config()
    assert config["num_heads"] == 4 and config["value_dim"] == 2
    assert config["output_shape"] == (7,)
    assert config["attention_axes"] == (1,)
    assert config["seed"] == 5
    assert config["kernel_initializer"]["class_name"] == "HeNormal"
    assert MultiHeadAttention.from_config(config).get_config() == config
    clone = deserialize(serialize(layer), "layers", custom_objects={
        "MultiHeadAttention": MultiHeadAttention})
    assert type(clone) is MultiHeadAttention
    assert clone.get_config() == config
    # value_dim defaults to key_dim; weights built from a config.
    plain = MultiHeadAttention(2, key_dim=3)
    assert plain.get_config()["value_dim"] == 3
    rebuilt = MultiHeadAttention.from_config(plain.get_config())
    rebuilt(X, Y)
    assert len(rebuilt.weights) == 8


def test_regularizers_add_losses():
    layer = MultiHeadAttention(2, key_dim=3, kernel_regularizer="l2")
    layer(X, Y)
    assert len(layer.losses) == 4


def test_bad_arguments():
    with pytest.raises(ValueError, match="num_heads"):
        MultiHeadAttention(0, key_dim=2)
    with pytest.raises(ValueError, match="key_dim"):
        MultiHeadAttention(2, key_dim=None)
    with pytest.raises(ValueError, match="dropout"):
        MultiHeadAttention(2, key_dim=2, dropout=1.0)
    with pytest.raises(ValueError, match="attention_axes"):
        MultiHeadAttention(2, key_dim=2, attention_axes="time")
    with pytest.raises(ValueError, match="value.*key"):
        MultiHeadAttention(2, key_dim=2)(X, Y, X)


def test_model_save_and_load(tmp_path):
    from lamina.layers.attention import Attention
    inp = lamina.Input(shape=(4, E))
    h = MultiHeadAttention(HEADS, key_dim=3, output_shape=(5,),
                           attention_axes=[1])(inp, inp)
    model = lamina.Model(inp, Attention(use_scale=True)([h, h]))
    randomize(model.layers[1])
    want = model.predict(X, verbose=0)
    path = str(tmp_path / "mha.keras")
    model.save(path)
    loaded = lamina.saving.load_model(path, custom_objects={
        "MultiHeadAttention": MultiHeadAttention, "Attention": Attention})
    np.testing.assert_allclose(loaded.predict(X, verbose=0), want,
                               rtol=1e-6)
    assert [w.path for w in loaded.weights] == \
        [w.path for w in model.weights]
