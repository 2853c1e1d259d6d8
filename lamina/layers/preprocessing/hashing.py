"""`Hashing`: strings or integers into a fixed number of bins by a stable
hash (the "hashing trick")."""

import numpy as np

from lamina import ops
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.layers.layer import Layer
from lamina.layers.preprocessing import _hash, category_encoding

_OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count")


def _as_text(value):
    """The bytes hashed for `value` (strings as UTF-8)."""
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return str(int(value)).encode()  # as tf.strings.as_string
    raise ValueError(f"expected strings or integers; got {value!r} "
                     f"(of type {type(value).__name__}).")


class Hashing(Layer):
    """Puts each string or integer into one of `num_bins` bins by hashing.

    The bin of a value is `Fingerprint64(v) % num_bins` (FarmHash, as
    TensorFlow's `tf.strings.to_hash_bucket_fast`), or, with a `salt`,
    SipHash-2-4 keyed by the salt (`to_hash_bucket_strong`); integers are
    hashed as their decimal text. These are the bins Keras 3 computes, so a
    model trained with Keras's `Hashing` sees the same ids here. With a
    `mask_value`, that value goes to bin 0 and the others to
    `1 + hash % (num_bins - 1)`.

    Keras 3 runs this layer on TensorFlow; lamina has no string tensors, so
    it runs on the host, on lists or NumPy arrays (of str, bytes or
    integers; integer backend tensors are copied to the host), and returns
    a backend tensor. Apply it to the data before the model, as Keras
    recommends for non-TensorFlow backends.

    Args:
        num_bins: the number of bins, including the mask bin if
            `mask_value` is set.
        mask_value: a value (string or integer) that maps to bin 0, or
            None.
        salt: None (FarmHash), an int `s` (SipHash keyed `[s, s]`) or a list
            of two ints.
        output_mode: 'int' (the bin ids, int64), 'one_hot', 'multi_hot' or
            'count' (encoded as `CategoryEncoding` does, `num_bins` wide).
        sparse: must be False (lamina has no sparse tensors).

    Example:

    >>> import lamina
    >>> layer = lamina.layers.Hashing(num_bins=3)
    >>> lamina.ops.convert_to_numpy(layer([["A"], ["B"], ["C"]])).tolist()
    [[1], [0], [1]]
    """

    def __init__(self, num_bins, mask_value=None, salt=None,
                 output_mode="int", sparse=False, **kwargs):
        super().__init__(**kwargs)
        if isinstance(num_bins, bool) or not isinstance(
                num_bins, (int, np.integer)) or num_bins < 1:
            raise ValueError(f"Hashing: `num_bins` must be a positive int; "
                             f"got {num_bins!r}.")
        if mask_value is not None and num_bins < 2:
            raise ValueError(f"Hashing: with a `mask_value`, `num_bins` must "
                             f"be at least 2 (bin 0 is the mask); got "
                             f"{num_bins}.")
        self.num_bins = int(num_bins)
        self.mask_value = mask_value
        self.salt = _hash.standardize_salt("Hashing", salt)
        self.output_mode = category_encoding.standardize_output_mode(
            "Hashing", output_mode, _OUTPUT_MODES)
        category_encoding.check_not_sparse("Hashing", sparse)
        self.sparse = False
        self.built = True

    def _hash(self, data):
        if self.salt is None:
            return _hash.fingerprint64(data)
        return _hash.siphash24(self.salt, data)

    def hash_host(self, values):
        """The bin ids (an int64 NumPy array) of a NumPy array of values."""
        flat = values.reshape(-1).tolist()
        bins = self.num_bins if self.mask_value is None else \
            self.num_bins - 1
        offset = 0 if self.mask_value is None else 1
        cache, out = {}, np.empty(len(flat), dtype="int64")
        for i, value in enumerate(flat):
            if isinstance(value, np.generic):
                value = value.item()
            if self.mask_value is not None and value == self.mask_value:
                out[i] = 0
                continue
            key = (type(value), value)
            if key not in cache:
                try:
                    text = _as_text(value)
                except ValueError as error:
                    raise ValueError(f"Layer '{self.name}' (Hashing): "
                                     f"{error}") from None
                cache[key] = self._hash(text) % bins + offset
            out[i] = cache[key]
        return out.reshape(values.shape)

    def __call__(self, inputs, *args, **kwargs):
        if isinstance(inputs, SymbolicTensor):
            raise TypeError(
                f"Layer '{self.name}' (Hashing) runs on the host and can't "
                "be part of a model graph: apply it to the data (lists or "
                "NumPy arrays) before the model.")
        if category_encoding.is_host_data(inputs):
            values = np.asarray(inputs)
        else:
            values = np.asarray(ops.convert_to_numpy(inputs))
        if values.dtype.kind == "f":
            raise ValueError(f"Layer '{self.name}' (Hashing) expects "
                             f"strings or integers; got an array of dtype "
                             f"{values.dtype}.")
        ids = ops.convert_to_tensor(self.hash_host(values), dtype="int64")
        if self.output_mode == "int":
            return ids
        return category_encoding.encode_categorical(
            ids, self.output_mode, self.num_bins, self.compute_dtype)

    def compute_output_shape(self, input_shape):
        return category_encoding.encoded_shape(input_shape, self.output_mode,
                                               self.num_bins)

    def get_config(self):
        return {**super().get_config(), "num_bins": self.num_bins,
                "salt": self.salt, "mask_value": self.mask_value,
                "output_mode": self.output_mode, "sparse": self.sparse}
