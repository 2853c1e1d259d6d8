"""Keras 1/2 arguments of `Embedding`: `input_length` and word dropout.

Keras 1's `Embedding(..., dropout=p)` dropped whole words: in training,
each row of the table (one word) is zeroed with probability `p` for the
batch and the kept rows are scaled by `1 / (1 - p)` (Gal & Ghahramani,
2016, https://arxiv.org/abs/1512.05287). Keras 2 removed the argument and
no layer of Keras 2 or 3 does the same (SpatialDropout1D drops embedding
*dimensions*, not words), so lamina keeps it as it was.
"""

from lamina import ops, random
from lamina.legacy.arguments import warn_once


def pop_input_length(kwargs):
    """Turns Keras 1/2's `input_length` into the input shape."""
    length = kwargs.pop("input_length", None)
    if length is None:
        return
    warn_once(("Embedding", "input_length"),
              f"Embedding(input_length={length!r}) is the Keras 1/2 "
              f"spelling; start the model with Input(shape=({length!r},)) "
              "instead.")
    if "input_shape" not in kwargs and "batch_input_shape" not in kwargs:
        kwargs["input_shape"] = (length,)


def pop_word_dropout(kwargs):
    """The Keras 1 `dropout` rate (0.0 when not given), checked."""
    rate = kwargs.pop("dropout", 0.0)
    if isinstance(rate, bool) or not isinstance(rate, (int, float)) or \
            not 0 <= rate < 1:
        raise ValueError(f"Embedding: `dropout` (Keras 1 word dropout) must "
                         f"be a number in [0, 1), got {rate!r}.")
    if rate:
        warn_once(("Embedding", "dropout"),
                  f"Embedding(dropout={rate!r}) is Keras 1's word dropout, "
                  "removed in Keras 2; lamina keeps it (in training, whole "
                  "rows of the table are dropped). Keras 2/3 have no exact "
                  "rewrite; SpatialDropout1D(rate) after the Embedding "
                  "drops embedding dimensions instead.")
    return float(rate)


def drop_words(table, rate, seed_generator):
    """`table` with each row zeroed with probability `rate`, the others
    scaled by `1 / (1 - rate)`."""
    rows = ops.ones((ops.shape(table)[0], 1), dtype=ops.dtype(table))
    return ops.multiply(table, random.dropout(rows, rate,
                                              seed=seed_generator))
