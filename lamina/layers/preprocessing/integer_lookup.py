"""`IntegerLookup`: integer tokens to vocabulary indices (or encoded
vectors), and back with `invert=True`; runs in-graph on integer tensors."""

import numpy as np

from lamina import ops
from lamina.layers.preprocessing.discretization import searchsorted_right
from lamina.layers.preprocessing.index_lookup import IndexLookup


class IntegerLookup(IndexLookup):
    """Maps integers to contiguous indices of a vocabulary (or to encoded
    vectors).

    The vocabulary is given (`vocabulary=`, a list or a file with one
    integer per line) or learned by `adapt`. Indices: the mask token at 0
    (if `mask_token` is set and `output_mode='int'`), then
    `num_oov_indices` OOV indices, then the vocabulary, most frequent first
    after `adapt`. With several OOV indices an unknown value `v` goes to
    OOV index `v % num_oov_indices` (`oov_method='floormod'`, Keras's
    default), or to the FarmHash (or, with `salt`, SipHash) bucket of its
    decimal text (`oov_method='farmhash'`), the buckets Keras 3 picks.

    On integer tensors the lookup is written with `lamina.ops` (a binary
    search of the sorted vocabulary), so the layer runs inside models and
    compiled training steps on every backend, except with
    `oov_method='farmhash'` and several OOV indices (hashing runs on the
    host). NumPy arrays and lists are looked up on the host; only there
    does `num_oov_indices=0` raise for unknown values (in a graph they
    give -1).

    Args:
        max_tokens: the largest vocabulary size, special tokens included;
            None for no cap.
        num_oov_indices: the number of OOV indices.
        mask_token: an int that maps to index 0 ('int' mode) or is dropped
            (other modes); None for no mask.
        oov_token: the int `invert=True` gives for OOV indices.
        vocabulary: a list, array or tensor of ints, or a file path.
        vocabulary_dtype: 'int64' (the only one, as in Keras).
        idf_weights: ('tf_idf') one weight per vocabulary entry.
        invert: map indices back to vocabulary values ('int' mode only).
        output_mode: 'int', 'one_hot', 'multi_hot', 'count' or 'tf_idf'.
        sparse: must be False (lamina has no sparse tensors).
        pad_to_max_tokens: make encoded vectors `max_tokens` long.
        oov_method: 'floormod' or 'farmhash' (see above).
        salt: with 'farmhash', an int or two ints keying SipHash-2-4.

    Example:

    >>> import numpy as np, lamina
    >>> layer = lamina.layers.IntegerLookup(vocabulary=[12, 36, 1138, 42])
    >>> x = np.array([[12, 1138, 42], [42, 1000, 36]])
    >>> lamina.ops.convert_to_numpy(layer(x)).tolist()
    [[1, 3, 4], [4, 0, 2]]
    """

    _vocabulary_dtype = "int64"

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None,
                 oov_token=-1, vocabulary=None, vocabulary_dtype="int64",
                 idf_weights=None, invert=False, output_mode="int",
                 sparse=False, pad_to_max_tokens=False,
                 oov_method="floormod", salt=None, name=None, **kwargs):
        if vocabulary_dtype != "int64":
            raise ValueError(f"IntegerLookup: only vocabulary_dtype='int64' "
                             f"is supported; got vocabulary_dtype="
                             f"{vocabulary_dtype!r}.")
        for role, token in (("mask_token", mask_token),
                            ("oov_token", oov_token)):
            if token is not None and (isinstance(token, bool) or
                                      not isinstance(token, (int,
                                                             np.integer))):
                raise ValueError(f"IntegerLookup: `{role}` must be an int "
                                 f"or None; got {role}={token!r}.")
        if invert and oov_token is None:
            raise ValueError("IntegerLookup: invert=True needs an int "
                             "`oov_token` (what unknown indices map to); "
                             "got oov_token=None.")
        if salt is not None and oov_method != "farmhash":
            raise ValueError(f"IntegerLookup: `salt` is used only with "
                             f"oov_method='farmhash'; got oov_method="
                             f"{oov_method!r}.")
        super().__init__(
            max_tokens=max_tokens, num_oov_indices=num_oov_indices,
            mask_token=None if mask_token is None else int(mask_token),
            oov_token=None if oov_token is None else int(oov_token),
            vocabulary=vocabulary, idf_weights=idf_weights, invert=invert,
            output_mode=output_mode, sparse=sparse,
            pad_to_max_tokens=pad_to_max_tokens, oov_method=oov_method,
            salt=salt, name=name, **kwargs)

    def _host_tokens(self, array):
        if array.dtype.kind in "iub":
            return array.astype("int64")
        if array.dtype.kind == "f" and np.all(array == np.round(array)):
            return array.astype("int64")
        raise ValueError(f"Layer '{self.name}' (IntegerLookup) expects "
                         f"integers; got an array of dtype {array.dtype}.")

    def _token_from_text(self, line):
        try:
            return int(line)
        except ValueError:
            raise ValueError(f"Layer '{self.name}': the vocabulary file "
                             f"holds {line!r}, not an integer.") from None

    def _inverted_output(self, tokens):
        return ops.convert_to_tensor(tokens.astype("int64"))

    def _host_hashing(self):
        return self.num_oov_indices > 1 and self.oov_method == "farmhash"

    def _graph_tables(self):
        """The vocabulary sorted (and each value's index), as arrays."""
        if getattr(self, "_tables", None) is None:
            keys = np.asarray(self._tokens or [], dtype="int64")
            order = np.argsort(keys, kind="stable")
            self._tables = (keys[order], (order + self._token_start_index())
                            .astype("int64"),
                            np.asarray(self.get_vocabulary(), dtype="int64"))
        return self._tables

    def call(self, inputs):
        if self._host_hashing() and not self.invert:
            try:
                array = ops.convert_to_numpy(inputs)
            except Exception as error:  # the engine's own error type
                raise RuntimeError(
                    f"Layer '{self.name}': oov_method='farmhash' hashes "
                    "out-of-vocabulary values on the host, so this layer "
                    "can't run inside a compiled step; apply it to the data "
                    "before the model, or use oov_method='floormod'.") \
                    from error
            return self._call_host(np.asarray(array))
        keys, positions, vocabulary = self._graph_tables()
        x = ops.cast(inputs, "int64")
        if self.invert:
            return self._invert_graph(x, vocabulary)
        start = self._oov_start_index()
        if self.num_oov_indices == 0:
            missing = ops.full_like(x, -1, dtype="int64")
        elif self.num_oov_indices == 1:
            missing = ops.full_like(x, start, dtype="int64")
        else:
            missing = ops.add(ops.mod(x, self.num_oov_indices), start)
        indices = missing
        if len(keys):
            keys_t = ops.convert_to_tensor(keys)
            where = ops.maximum(ops.subtract(searchsorted_right(keys_t, x),
                                             1), 0)
            hit = ops.equal(ops.take(keys_t, where), x)
            indices = ops.where(hit, ops.take(ops.convert_to_tensor(
                positions), where), missing)
        if self.mask_token is not None:
            masked = 0 if self.output_mode == "int" else -1
            indices = ops.where(ops.equal(x, self.mask_token),
                                ops.full_like(indices, masked), indices)
        return self.encode(indices)

    def _invert_graph(self, indices, vocabulary):
        size = len(vocabulary)
        if size == 0:
            return ops.full_like(indices, self.oov_token, dtype="int64")
        inside = ops.logical_and(ops.greater_equal(indices, 0),
                                 ops.less(indices, size))
        values = ops.take(ops.convert_to_tensor(vocabulary),
                          ops.clip(indices, 0, size - 1))
        return ops.where(inside, values,
                         ops.full_like(values, self.oov_token))
