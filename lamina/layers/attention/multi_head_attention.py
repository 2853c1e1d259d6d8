"""`MultiHeadAttention`: scaled dot-product attention over several learned
projections ("heads") of query, key and value."""

import math

from lamina import constraints, initializers, ops, random, regularizers
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.layers.attention import _common
from lamina.layers.attention._einsum_projection import (
    EinsumProjection,
    attention_equations,
)
from lamina.layers.layer import Layer
from lamina.saving.config import serialize


def _positive_int(value, name):
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"MultiHeadAttention: `{name}` must be a positive "
                         f"integer, got {value!r}.")
    return value


def _shape(x):
    return tuple(x.shape)


class MultiHeadAttention(Layer):
    """Multi-head attention (Vaswani et al., 2017, arXiv:1706.03762).

    `query`, `key` and `value` are each projected into `num_heads` heads
    (kernels `(dim, num_heads, key_dim)` for query and key,
    `(dim, num_heads, value_dim)` for value); each head computes
    `softmax(q k^T / sqrt(key_dim)) v`; the heads are projected back by
    `attention_output` (kernel `(num_heads, value_dim, *output_shape)`).
    With `query`, `value` (and `key`) the same tensor it is self-attention.

    Args:
        num_heads: number of attention heads.
        key_dim: size of each head for query and key.
        value_dim: size of each head for value (default `key_dim`).
        dropout: dropout rate on the attention weights in training.
        use_bias: whether the projections have biases.
        output_shape: trailing output shape (int or tuple); default the
            query's last dimension.
        attention_axes: the axes attended over (default all axes except
            batch, heads and features, i.e. the sequence axis).
        kernel_initializer, bias_initializer, kernel_regularizer,
        bias_regularizer, activity_regularizer, kernel_constraint,
        bias_constraint: passed to every projection.
        seed: an int for a repeatable dropout mask.
        flash_attention: accepted for Keras compatibility; the result is
            the same either way.

    Call arguments:
        query: `(batch, T, dim)`. value: `(batch, S, dim)`.
        key: `(batch, S, dim)`, default `value`.
        query_mask, value_mask, key_mask: boolean `(batch, T)` / `(batch,
            S)` padding masks (False: padding).
        attention_mask: boolean `(batch, T, S)`: which query steps may
            attend to which key steps (broadcast over heads).
        return_attention_scores: also return the weights `(batch,
            num_heads, T, S)`.
        training: whether dropout is applied.
        use_causal_mask: query step `i` attends only to steps `j <= i`.
        mask: the implicit masks a functional model passes: the query's
            mask (also the value's when `value is query`), or a list
            `[query_mask, value_mask, key_mask]`. Explicit `*_mask`
            arguments take precedence.

    Output shape:
        `(batch, T, *output_shape)`.

    Example:

    >>> import numpy as np, lamina
    >>> layer = lamina.layers.attention.MultiHeadAttention(2, key_dim=3)
    >>> x = np.ones((1, 4, 5), "float32")
    >>> out, scores = layer(x, x, return_attention_scores=True)
    >>> tuple(out.shape), tuple(scores.shape)
    ((1, 4, 5), (1, 2, 4, 4))
    """

    def __init__(self, num_heads, key_dim, value_dim=None, dropout=0.0,
                 use_bias=True, output_shape=None, attention_axes=None,
                 flash_attention=None, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, seed=None,
                 **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self._num_heads = _positive_int(num_heads, "num_heads")
        self._key_dim = _positive_int(key_dim, "key_dim")
        self._value_dim = _positive_int(value_dim, "value_dim") \
            if value_dim else key_dim
        if not 0 <= dropout < 1:
            raise ValueError(f"MultiHeadAttention: `dropout` must be in "
                             f"[0, 1), got {dropout!r}.")
        self._dropout = float(dropout)
        self._use_bias = bool(use_bias)
        if isinstance(output_shape, int):
            output_shape = (output_shape,)
        self._output_shape = tuple(output_shape) if output_shape else None
        if isinstance(attention_axes, int):
            attention_axes = (attention_axes,)
        elif attention_axes is not None and not isinstance(
                attention_axes, (list, tuple)):
            raise ValueError(f"MultiHeadAttention: `attention_axes` must be "
                             f"an int, list or tuple, got "
                             f"{attention_axes!r}.")
        self._attention_axes = None if attention_axes is None \
            else tuple(attention_axes)
        self._flash_attention = flash_attention
        self._kernel_initializer = initializers.get(kernel_initializer)
        self._bias_initializer = initializers.get(bias_initializer)
        self._kernel_regularizer = regularizers.get(kernel_regularizer)
        self._bias_regularizer = regularizers.get(bias_regularizer)
        self._activity_regularizer = regularizers.get(activity_regularizer)
        self._kernel_constraint = constraints.get(kernel_constraint)
        self._bias_constraint = constraints.get(bias_constraint)
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed)
        self._inverse_sqrt_key_dim = 1.0 / math.sqrt(float(self._key_dim))

    num_heads = property(lambda self: self._num_heads)
    key_dim = property(lambda self: self._key_dim)
    value_dim = property(lambda self: self._value_dim)
    dropout = property(lambda self: self._dropout)
    use_bias = property(lambda self: self._use_bias)
    attention_axes = property(lambda self: self._attention_axes)
    query_dense = property(lambda self: self._query_dense)
    key_dense = property(lambda self: self._key_dense)
    value_dense = property(lambda self: self._value_dense)
    output_dense = property(lambda self: self._output_dense)

    def _projection(self, name, bound_dims, output_shape):
        return EinsumProjection(
            bound_dims, output_shape, use_bias=self._use_bias, name=name,
            dtype=self.dtype, kernel_initializer=self._kernel_initializer,
            bias_initializer=self._bias_initializer,
            kernel_regularizer=self._kernel_regularizer,
            bias_regularizer=self._bias_regularizer,
            activity_regularizer=self._activity_regularizer,
            kernel_constraint=self._kernel_constraint,
            bias_constraint=self._bias_constraint)

    def build(self, query_shape, value_shape=None, key_shape=None):
        if isinstance(query_shape, list) and query_shape and \
                isinstance(query_shape[0], (list, tuple)):
            query_shape, value_shape, key_shape = \
                (list(query_shape) + [None, None])[:3]
        query_shape = tuple(query_shape)
        value_shape = query_shape if value_shape is None \
            else tuple(value_shape)
        key_shape = value_shape if key_shape is None else tuple(key_shape)
        if value_shape[1:-1] != key_shape[1:-1]:
            raise ValueError(
                f"Layer '{self.name}': `value` and `key` must agree on all "
                f"axes but the last; got value shape {value_shape} and key "
                f"shape {key_shape}.")
        heads = self._num_heads
        self._query_dense = self._projection("query", 1,
                                             (heads, self._key_dim))
        self._query_dense.build(query_shape)
        self._key_dense = self._projection("key", 1, (heads, self._key_dim))
        self._key_dense.build(key_shape)
        self._value_dense = self._projection("value", 1,
                                             (heads, self._value_dim))
        self._value_dense.build(value_shape)
        rank = len(query_shape) + 1  # the projected query's rank
        axes = self._attention_axes
        axes = tuple(range(1, rank - 2)) if axes is None else tuple(
            a if a >= 0 else rank - 1 + a for a in axes)
        self._normalized_axes = axes
        (self._score_equation, self._combine_equation,
         score_rank) = attention_equations(rank, axes)
        self._softmax_axes = tuple(range(score_rank - len(axes), score_rank))
        self._output_dense = self._projection(
            "attention_output", 2,
            self._output_shape or (query_shape[-1],))
        self._output_dense.build(query_shape[:-1] + (heads, self._value_dim))
        self.built = True

    def __call__(self, query, value, key=None, **kwargs):
        dtype = self.compute_dtype
        query, value, key = (_common.as_tensor(x, dtype)
                             for x in (query, value, key))
        if not self.built:
            self.build(_shape(query), _shape(value),
                       None if key is None else _shape(key))
            if self._initial_weights is not None:
                weights, self._initial_weights = self._initial_weights, None
                self.set_weights(weights)
        args = (query, value) if key is None else (query, value, key)
        return super().__call__(*args, **kwargs)

    def call(self, query, value, key=None, query_mask=None, value_mask=None,
             key_mask=None, attention_mask=None,
             return_attention_scores=False, training=None,
             use_causal_mask=False, mask=None):
        implicit = self._implicit_masks(mask, query, value, key)
        query_mask = implicit[0] if query_mask is None else query_mask
        value_mask = implicit[1] if value_mask is None else value_mask
        key_mask = implicit[2] if key_mask is None else key_mask
        if key is None:
            key = value
        attention_mask = self._compute_attention_mask(
            query, value, query_mask, value_mask, key_mask, attention_mask,
            use_causal_mask)
        q = self._query_dense(query)
        k = self._key_dense(key)
        v = self._value_dense(value)
        output, scores = self._compute_attention(q, k, v, attention_mask,
                                                 training)
        output = self._output_dense(output)
        if return_attention_scores:
            return output, scores
        return output

    @staticmethod
    def _implicit_masks(mask, query, value, key):
        if mask is None:
            return None, None, None
        if isinstance(mask, (list, tuple)):
            return tuple(list(mask) + [None] * (3 - len(mask)))[:3]
        # A functional model passes the query's mask; as in Keras (which
        # reads each input's own mask), self-attention shares it.
        return mask, (mask if value is query else None), None

    def _compute_attention_mask(self, query, value, query_mask, value_mask,
                                key_mask, attention_mask, use_causal_mask):
        """The boolean `(batch, T, S)` mask combining every mask given:
        query `(B, T) -> (B, T, 1)`, value and key `(B, S) -> (B, 1, S)`,
        causal `(1, T, S)` and `attention_mask`, joined by AND."""
        parts = []
        if query_mask is not None:
            parts.append(ops.expand_dims(ops.cast(query_mask, "bool"), -1))
        for m in (value_mask, key_mask):
            if m is not None:
                parts.append(ops.expand_dims(ops.cast(m, "bool"), -2))
        if use_causal_mask:
            parts.append(_common.causal_mask(ops.shape(query)[1],
                                             ops.shape(value)[1]))
        if attention_mask is not None:
            parts.append(ops.cast(attention_mask, "bool"))
        if not parts:
            return None
        combined = parts[0]
        for m in parts[1:]:
            combined = ops.logical_and(combined, m)
        return combined

    def _compute_attention(self, query, key, value, attention_mask=None,
                           training=None):
        """Attention over projected `(B, T, N, key_dim)` query, `(B, S, N,
        key_dim)` key, `(B, S, N, value_dim)` value; returns the `(B, T, N,
        value_dim)` result and the weights `(B, N, T, S)`."""
        query = ops.multiply(query, self._inverse_sqrt_key_dim)
        scores = ops.einsum(self._score_equation, query, key)
        if attention_mask is not None:
            # (B, T, S) -> (B, 1, T, S): a head axis (and any other shared
            # axes) inserted just before the attention axes.
            axis = -2 * len(self._normalized_axes) - 1
            for _ in range(len(ops.shape(scores))
                           - len(ops.shape(attention_mask))):
                attention_mask = ops.expand_dims(attention_mask, axis)
        scores = _common.masked_softmax(scores, attention_mask,
                                        self._softmax_axes)
        used = scores
        if training and self._dropout > 0:
            used = random.dropout(scores, self._dropout,
                                  seed=self.seed_generator)
        return ops.einsum(self._combine_equation, used, value), scores

    def compute_output_shape(self, query_shape, value_shape=None,
                             key_shape=None):
        query_shape = tuple(query_shape)
        if self._output_shape:
            return query_shape[:-1] + self._output_shape
        return query_shape

    def compute_output_spec(self, query, value, key=None,
                            return_attention_scores=False, **kwargs):
        out = SymbolicTensor(self.compute_output_shape(_shape(query)),
                             self.compute_dtype)
        if not return_attention_scores:
            return out
        rank = len(query.shape) + 1
        axes = self._normalized_axes
        shared = [i for i in range(rank - 1) if i not in axes]
        projected = _shape(query)[:-1] + (self._num_heads,)
        value_shape = _shape(value)
        scores = tuple(projected[i] for i in shared) + tuple(
            projected[i] for i in axes) + tuple(value_shape[i] for i in axes)
        return out, SymbolicTensor(scores, self.compute_dtype)

    def get_config(self):
        return {
            **super().get_config(),
            "num_heads": self._num_heads,
            "key_dim": self._key_dim,
            "value_dim": self._value_dim,
            "dropout": self._dropout,
            "use_bias": self._use_bias,
            "output_shape": self._output_shape,
            "attention_axes": self._attention_axes,
            "kernel_initializer": serialize(self._kernel_initializer),
            "bias_initializer": serialize(self._bias_initializer),
            "kernel_regularizer": serialize(self._kernel_regularizer),
            "bias_regularizer": serialize(self._bias_regularizer),
            "activity_regularizer": serialize(self._activity_regularizer),
            "kernel_constraint": serialize(self._kernel_constraint),
            "bias_constraint": serialize(self._bias_constraint),
            "seed": self.seed,
        }
