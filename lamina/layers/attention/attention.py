"""`Attention`: dot-product (Luong-style) attention over a query and a
value sequence."""

from lamina import ops, random
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.layers.attention import _common
from lamina.layers.layer import Layer

_SCORE_MODES = ("dot", "concat")


class Attention(Layer):
    """Dot-product attention layer, a.k.a. Luong-style attention.

    Called on `[query, value]` or `[query, value, key]` (`key` defaults to
    `value`): scores `(batch, Tq, Tv)` come from `query` and `key`, a
    softmax over `Tv` turns them into weights, and the output is the
    weighted sum of `value` (Luong et al., 2015, arXiv:1508.04025).

    Args:
        use_scale: whether to learn a scalar `scale` multiplying the scores.
        score_mode: 'dot' (`query @ key^T`) or 'concat'
            (`sum(tanh(query + key), -1)`, times a learned scalar
            `concat_score_weight`).
        dropout: fraction of the attention weights dropped in training.
        seed: an int for a repeatable dropout mask.

    Call arguments:
        inputs: `[query (batch, Tq, dim), value (batch, Tv, dim)]` and
            optionally `key (batch, Tv, dim)`.
        mask: `[query_mask (batch, Tq), value_mask (batch, Tv)]` booleans
            (either may be None). Outputs at masked query steps are zero;
            masked value steps get no weight.
        training: whether dropout is applied.
        return_attention_scores: also return the weights `(batch, Tq, Tv)`.
        use_causal_mask: query step `i` attends only to steps `j <= i`.

    Output shape:
        `(batch, Tq, value_dim)`, and `(batch, Tq, Tv)` scores if asked.

    Example:

    >>> import numpy as np, lamina
    >>> q, v = np.ones((2, 3, 4)), np.ones((2, 5, 4))
    >>> out = lamina.layers.attention.Attention()([q, v])
    >>> tuple(out.shape)
    (2, 3, 4)
    """

    def __init__(self, use_scale=False, score_mode="dot", dropout=0.0,
                 seed=None, **kwargs):
        super().__init__(**kwargs)
        if score_mode not in _SCORE_MODES:
            raise ValueError(f"{type(self).__name__}: `score_mode` must be "
                             f"one of {list(_SCORE_MODES)}, got "
                             f"{score_mode!r}.")
        if not 0 <= dropout < 1:
            raise ValueError(f"{type(self).__name__}: `dropout` must be in "
                             f"[0, 1), got {dropout!r}.")
        self.use_scale = bool(use_scale)
        self.score_mode = score_mode
        self.dropout = float(dropout)
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed)
        self.supports_masking = True

    def build(self, input_shape):
        self._validate_inputs(input_shape)
        self.scale = None
        self.concat_score_weight = None
        if self.use_scale:
            self.scale = self.add_weight(name="scale", shape=(),
                                         initializer="ones")
        if self.score_mode == "concat":
            self.concat_score_weight = self.add_weight(
                name="concat_score_weight", shape=(), initializer="ones")
        self.built = True

    def _calculate_scores(self, query, key):
        """Scores `(batch, Tq, Tv)` from query and key."""
        if self.score_mode == "dot":
            scores = ops.matmul(query, ops.swapaxes(key, -1, -2))
            if self.scale is not None:
                scores = ops.multiply(scores, self.scale)
            return scores
        # 'concat': (batch, Tq, 1, dim) + (batch, 1, Tv, dim).
        pairs = ops.add(ops.expand_dims(query, -2), ops.expand_dims(key, -3))
        if self.scale is not None:
            pairs = ops.multiply(pairs, self.scale)
        return ops.multiply(self.concat_score_weight,
                            ops.sum(ops.tanh(pairs), axis=-1))

    def call(self, inputs, mask=None, training=False,
             return_attention_scores=False, use_causal_mask=False):
        self._validate_inputs(inputs, mask)
        dtype = self.compute_dtype
        inputs = [_common.as_tensor(x, dtype) for x in inputs]
        query, value = inputs[0], inputs[1]
        key = inputs[2] if len(inputs) > 2 else value
        query_mask = mask[0] if mask else None
        value_mask = mask[1] if mask else None
        scores = self._calculate_scores(query, key)
        scores_mask = None
        if value_mask is not None:
            scores_mask = ops.expand_dims(ops.cast(value_mask, "bool"), -2)
        if use_causal_mask:
            shape = ops.shape(scores)
            causal = _common.causal_mask(shape[-2], shape[-1])
            scores_mask = causal if scores_mask is None else \
                ops.logical_and(scores_mask, causal)
        weights = _common.masked_softmax(scores, scores_mask, axis=-1)
        used = weights
        if training and self.dropout > 0:
            used = random.dropout(weights, self.dropout,
                                  seed=self.seed_generator)
        result = ops.matmul(used, value)
        if query_mask is not None:
            keep = ops.expand_dims(ops.cast(query_mask, ops.dtype(result)), -1)
            result = ops.multiply(result, keep)
        if return_attention_scores:
            return result, weights
        return result

    def compute_mask(self, inputs, mask=None):
        self._validate_inputs(inputs, mask)
        if mask is None or mask[0] is None:
            return None
        return mask[0]

    def compute_output_shape(self, input_shape):
        self._validate_inputs(input_shape)
        return tuple(input_shape[0][:-1]) + (input_shape[1][-1],)

    def compute_output_spec(self, inputs, mask=None, training=None,
                            return_attention_scores=False,
                            use_causal_mask=False):
        shapes = [tuple(x.shape) for x in inputs]
        out = SymbolicTensor(self.compute_output_shape(shapes),
                             self.compute_dtype)
        if return_attention_scores:
            scores = shapes[0][:-1] + (shapes[1][-2],)
            return out, SymbolicTensor(scores, self.compute_dtype)
        return out

    def _validate_inputs(self, inputs, mask=None):
        name = type(self).__name__
        if not isinstance(inputs, (list, tuple)) or \
                not 2 <= len(inputs) <= 3 or \
                any(x is None or isinstance(x, int) for x in inputs):
            raise ValueError(
                f"{name} layer must be called on a list of 2 or 3 inputs, "
                f"[query, value] or [query, value, key]; got {inputs!r}.")
        if mask is not None and (not isinstance(mask, (list, tuple))
                                 or not 2 <= len(mask) <= 3):
            raise ValueError(
                f"{name} layer: `mask` must be a list [query_mask, "
                f"value_mask] (optionally a third, unused key mask); got "
                f"{mask!r}.")

    def get_config(self):
        return {**super().get_config(), "use_scale": self.use_scale,
                "score_mode": self.score_mode, "dropout": self.dropout,
                "seed": self.seed}
