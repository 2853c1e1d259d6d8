"""`AdditiveAttention`: Bahdanau-style attention, scores
`sum(scale * tanh(query + key), -1)`."""

from lamina import ops
from lamina.layers.attention.attention import Attention


class AdditiveAttention(Attention):
    """Additive attention layer, a.k.a. Bahdanau-style attention.

    Like `Attention`, but the scores are
    `sum(scale * tanh(query[:, :, None] + key[:, None]), axis=-1)`
    (Bahdanau et al., 2014, arXiv:1409.0473), with a learned `scale` of
    shape `(dim,)` when `use_scale`.

    Args:
        use_scale: whether to learn the per-feature `scale`.
        dropout: fraction of the attention weights dropped in training.
        seed: an int for a repeatable dropout mask.

    Call arguments, input and output shapes: as `Attention`.

    Example:

    >>> import numpy as np, lamina
    >>> q, v = np.ones((2, 3, 4)), np.ones((2, 5, 4))
    >>> layer = lamina.layers.attention.AdditiveAttention()
    >>> tuple(layer([q, v]).shape), [w.shape for w in layer.weights]
    ((2, 3, 4), [(4,)])
    """

    def __init__(self, use_scale=True, dropout=0.0, seed=None, **kwargs):
        super().__init__(use_scale=use_scale, dropout=dropout, seed=seed,
                         **kwargs)

    def build(self, input_shape):
        self._validate_inputs(input_shape)
        dim = input_shape[0][-1]
        self.scale = None
        self.concat_score_weight = None
        if self.use_scale:
            self.scale = self.add_weight(name="scale", shape=(dim,),
                                         initializer="glorot_uniform")
        self.built = True

    def _calculate_scores(self, query, key):
        pairs = ops.tanh(ops.add(ops.expand_dims(query, -2),
                                 ops.expand_dims(key, -3)))
        if self.scale is not None:
            pairs = ops.multiply(pairs, self.scale)
        return ops.sum(pairs, axis=-1)

    def get_config(self):
        config = super().get_config()
        del config["score_mode"]
        return config
