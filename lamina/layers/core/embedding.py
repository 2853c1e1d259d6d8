"""`Embedding`: integer indices to dense vectors, by table lookup."""

from lamina import constraints, initializers, ops, random, regularizers
from lamina.layers.layer import Layer
from lamina.legacy import embedding as legacy_embedding
from lamina.legacy.arguments import legacy_arguments
from lamina.saving.config import serialize


class Embedding(Layer):
    """Turns non-negative integers (indices) into dense vectors.

    `output[..., :] = embeddings[inputs[...]]`, with `embeddings` a
    trainable `(input_dim, output_dim)` table. The Keras 1 spellings
    (`init`, `W_regularizer`, `W_constraint`, `input_length`) are accepted.

    Args:
        input_dim: size of the vocabulary (largest index + 1).
        output_dim: size of each vector.
        embeddings_initializer: initializer of the table.
        embeddings_regularizer: penalty on the table.
        embeddings_constraint: projection of the table after each update.
        mask_zero: index 0 is padding: the layer outputs a mask that is
            False where the input is 0 (for RNNs downstream), so index 0
            can't be a word and `input_dim` should be vocabulary + 1.
        input_length: (Keras 1/2) the sequence length; with no other input
            shape given it becomes the model's input shape `(input_length,)`.
        dropout: (Keras 1) word dropout: in training, each row of the
            table is dropped with this probability (see
            `lamina.legacy.embedding`).

    Input shape:
        `(batch, ...)` integers.

    Output shape:
        `(batch, ..., output_dim)`.

    Example:

    >>> import numpy as np, lamina
    >>> layer = lamina.layers.Embedding(10, 3)
    >>> tuple(layer(np.array([[1, 2, 0]])).shape)
    (1, 3, 3)
    """

    @legacy_arguments({"init": "embeddings_initializer",
                       "W_regularizer": "embeddings_regularizer",
                       "W_constraint": "embeddings_constraint"})
    def __init__(self, input_dim, output_dim,
                 embeddings_initializer="uniform",
                 embeddings_regularizer=None, embeddings_constraint=None,
                 mask_zero=False, **kwargs):
        legacy_embedding.pop_input_length(kwargs)
        self.dropout = legacy_embedding.pop_word_dropout(kwargs)
        super().__init__(**kwargs)
        if self.dropout:
            self.seed_generator = random.SeedGenerator(None)
        for arg, value in (("input_dim", input_dim),
                           ("output_dim", output_dim)):
            if isinstance(value, bool) or not isinstance(value, int) \
                    or value <= 0:
                raise ValueError(f"Embedding: `{arg}` must be a positive "
                                 f"integer, got {value!r}.")
        self.input_dim = input_dim
        self.output_dim = output_dim
        self.embeddings_initializer = initializers.get(
            embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(
            embeddings_regularizer)
        self.embeddings_constraint = constraints.get(embeddings_constraint)
        self.mask_zero = bool(mask_zero)
        self.supports_masking = self.mask_zero

    def build(self, input_shape=None):
        self.embeddings = self.add_weight(
            name="embeddings", shape=(self.input_dim, self.output_dim),
            initializer=self.embeddings_initializer,
            regularizer=self.embeddings_regularizer,
            constraint=self.embeddings_constraint)
        self.built = True

    def call(self, inputs, training=False):
        if not ops.dtype(inputs).startswith(("int", "uint")):
            inputs = ops.cast(inputs, "int32")
        table = self.embeddings.value
        if training and self.dropout:
            table = legacy_embedding.drop_words(table, self.dropout,
                                                self.seed_generator)
        return ops.take(table, inputs, axis=0)

    def compute_mask(self, inputs, mask=None):
        if not self.mask_zero:
            return None
        return ops.not_equal(inputs, 0)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape) + (self.output_dim,)

    def get_config(self):
        return {
            **super().get_config(),
            "input_dim": self.input_dim,
            "output_dim": self.output_dim,
            "embeddings_initializer": serialize(
                self.embeddings_initializer),
            "embeddings_regularizer": serialize(
                self.embeddings_regularizer),
            "embeddings_constraint": serialize(self.embeddings_constraint),
            "mask_zero": self.mask_zero,
        } | ({"dropout": self.dropout} if self.dropout else {})
