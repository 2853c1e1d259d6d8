"""`StringLookup`: strings to vocabulary indices (or encoded vectors), and
back with `invert=True`."""

import numpy as np

from lamina import ops
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.layers.preprocessing.index_lookup import IndexLookup


def as_strings(array, encoding, what):
    """`array` as a NumPy array of Python strings (bytes are decoded)."""
    if array.dtype.kind == "U" or array.size == 0:
        return array.astype(object) if array.size == 0 else array
    if array.dtype.kind == "S":
        return np.char.decode(array, encoding)
    if array.dtype.kind == "O":
        flat = [v.decode(encoding) if isinstance(v, bytes) else v
                for v in array.reshape(-1).tolist()]
        if all(isinstance(v, str) for v in flat):
            out = np.empty(len(flat), dtype=object)
            out[:] = flat
            return out.reshape(array.shape)
    raise ValueError(f"{what} expects strings (a list or NumPy array of "
                     f"str or bytes); got an array of dtype {array.dtype}.")


class StringLookup(IndexLookup):
    """Maps strings to indices of a vocabulary (or to encoded vectors).

    The vocabulary is given (`vocabulary=`, a list or a file with one token
    per line) or learned by `adapt`. Indices: the mask token at 0 (if
    `mask_token` is set and `output_mode='int'`), then `num_oov_indices`
    OOV indices, then the vocabulary, most frequent first after `adapt`.
    With several OOV indices a token goes to bucket
    `Fingerprint64(token) % num_oov_indices` (FarmHash, as TensorFlow's
    `to_hash_bucket_fast`), or SipHash-2-4 keyed by `salt`: the buckets
    Keras 3 picks.

    Keras 3 runs this layer on TensorFlow; lamina has no TensorFlow and no
    string tensors, so it runs on the host (NumPy and Python): call it on
    lists or NumPy arrays of strings (e.g. batches of shape `(batch, 1)`),
    outside the model, as Keras recommends. It returns a backend tensor
    (int64 indices, or float vectors), or with `invert=True` a NumPy object
    array of strings.

    Args:
        max_tokens: the largest vocabulary size, special tokens included
            (for `adapt` or `pad_to_max_tokens`); None for no cap.
        num_oov_indices: the number of OOV indices; with 0 an unknown
            string is an error.
        mask_token: a string that maps to index 0 ('int' mode) or is
            dropped (other modes); None for no mask.
        oov_token: the string `invert=True` gives for OOV indices.
        vocabulary: a list, array or tensor of strings, or a file path.
        idf_weights: ('tf_idf') one weight per vocabulary entry.
        invert: map indices back to strings ('int' mode only).
        output_mode: 'int', 'one_hot', 'multi_hot', 'count' or 'tf_idf'
            (as `CategoryEncoding`, with `vocabulary_size()` categories;
            'tf_idf' multiplies counts by `idf_weights`).
        pad_to_max_tokens: make encoded vectors `max_tokens` long.
        sparse: must be False (lamina has no sparse tensors).
        encoding: the text encoding of bytes inputs and vocabulary files.
        salt: an int or two ints: hash OOV strings with SipHash-2-4 keyed
            by them instead of FarmHash.

    Example:

    >>> import lamina
    >>> layer = lamina.layers.StringLookup(vocabulary=["a", "b", "c"])
    >>> lamina.ops.convert_to_numpy(layer([["a", "c"], ["z", "b"]])).tolist()
    [[1, 3], [0, 2]]
    """

    _vocabulary_dtype = "string"

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None,
                 oov_token="[UNK]", vocabulary=None, idf_weights=None,
                 invert=False, output_mode="int", pad_to_max_tokens=False,
                 sparse=False, encoding="utf-8", name=None, salt=None,
                 **kwargs):
        kwargs.pop("vocabulary_dtype", None)  # strings, always
        self.encoding = encoding
        for role, token in (("mask_token", mask_token),
                            ("oov_token", oov_token)):
            if token is not None and not isinstance(token, str):
                raise ValueError(f"StringLookup: `{role}` must be a string "
                                 f"or None; got {role}={token!r}.")
        super().__init__(
            max_tokens=max_tokens, num_oov_indices=num_oov_indices,
            mask_token=mask_token, oov_token=oov_token,
            vocabulary=vocabulary, idf_weights=idf_weights, invert=invert,
            output_mode=output_mode, sparse=sparse,
            pad_to_max_tokens=pad_to_max_tokens, name=name, salt=salt,
            **kwargs)

    def _host_tokens(self, array):
        return as_strings(array, self.encoding, f"Layer '{self.name}'")

    def _token_from_text(self, line):
        return line

    def _inverted_output(self, tokens):
        return tokens

    def _call_tensor(self, inputs, *args, **kwargs):
        if isinstance(inputs, SymbolicTensor):
            raise TypeError(
                f"Layer '{self.name}' (StringLookup) runs on the host and "
                "can't be part of a model graph (lamina has no string "
                "tensors): apply it to the data (lists or NumPy arrays of "
                "strings) before the model.")
        if not self.invert:
            raise ValueError(f"Layer '{self.name}' expects strings (lists "
                             "or NumPy arrays); got a tensor of dtype "
                             f"{ops.dtype(inputs)}.")
        return self._call_host(ops.convert_to_numpy(inputs))

    def get_config(self):
        config = super().get_config()
        del config["vocabulary_dtype"]  # as Keras: strings, always
        config["encoding"] = self.encoding
        return config
