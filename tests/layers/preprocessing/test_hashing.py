"""`Hashing`: the bins Keras 3 (TensorFlow's FarmHash and SipHash) gives."""

import numpy as np
import pytest

import lamina
from lamina import layers, ops
from lamina.layers.preprocessing import _hash

INPUTS = [["A"], ["B"], ["C"], ["D"], ["E"]]


def _ids(layer, data):
    return ops.convert_to_numpy(layer(data)).tolist()


# The examples of Keras's `Hashing` documentation.
@pytest.mark.parametrize("kwargs, data, expected", [
    ({}, INPUTS, [[1], [0], [1], [1], [2]]),
    ({"mask_value": ""}, [["A"], ["B"], [""], ["C"], ["D"]],
     [[1], [1], [0], [2], [2]]),
    ({"salt": [133, 137]}, INPUTS, [[1], [2], [1], [0], [2]]),
    ({"salt": 133}, INPUTS, [[0], [0], [2], [1], [0]]),
])
def test_documented_examples(kwargs, data, expected):
    assert _ids(layers.Hashing(num_bins=3, **kwargs), data) == expected


def test_siphash_matches_the_reference_vectors():
    # SipHash-2-4 paper (Aumasson & Bernstein): key bytes 00..0f.
    key = (0x0706050403020100, 0x0f0e0d0c0b0a0908)
    assert _hash.siphash24(key, b"") == 0x726fdb47dd0e0e31
    assert _hash.siphash24(key, bytes(range(15))) == 0xa129ca6149be45e5


def test_bins_match_pyfarmhash_for_strings_and_integers():
    farmhash = pytest.importorskip("farmhash")
    rng = np.random.default_rng(0)
    words = ["".join(chr(c) for c in rng.integers(32, 1000, size=n))
             for n in range(0, 150, 3)]
    layer = layers.Hashing(num_bins=97)
    got = ops.convert_to_numpy(layer(np.array(words, dtype=object)))
    want = [farmhash.fingerprint64(w.encode()) % 97 for w in words]
    np.testing.assert_array_equal(got, want)
    numbers = np.array([[12], [-305], [7_000_000_000]])
    got = ops.convert_to_numpy(layers.Hashing(num_bins=11)(numbers))
    want = [[farmhash.fingerprint64(str(v).encode()) % 11]
            for v in numbers[:, 0]]
    np.testing.assert_array_equal(got, want)


def test_integer_mask_and_integer_tensors():
    farmhash = pytest.importorskip("farmhash")
    layer = layers.Hashing(num_bins=5, mask_value=0)
    data = np.array([[0, 4, 19], [3, 0, 0]])
    want = np.where(data == 0, 0, np.vectorize(
        lambda v: farmhash.fingerprint64(str(v).encode()) % 4 + 1)(data))
    np.testing.assert_array_equal(ops.convert_to_numpy(layer(data)), want)
    tensor = ops.convert_to_tensor(data, dtype="int32")
    np.testing.assert_array_equal(ops.convert_to_numpy(layer(tensor)), want)


@pytest.mark.parametrize("mode", ["one_hot", "multi_hot", "count"])
def test_output_modes_encode_the_bins(mode):
    data = [["A", "B", "A"], ["C", "D", "E"]]
    ids = np.array(_ids(layers.Hashing(num_bins=3), data))
    out = ops.convert_to_numpy(
        layers.Hashing(num_bins=3, output_mode=mode)(data))
    if mode == "one_hot":
        np.testing.assert_array_equal(out, np.eye(3)[ids])
    else:
        counts = np.stack([np.bincount(row, minlength=3) for row in ids])
        want = counts if mode == "count" else (counts > 0)
        np.testing.assert_array_equal(out, want.astype(out.dtype))
    assert out.dtype == np.float32


def test_config_round_trip():
    layer = layers.Hashing(num_bins=8, salt=[3, 9], mask_value="x",
                           output_mode="multi_hot", name="hash")
    config = layer.get_config()
    assert config["salt"] == [3, 9] and config["mask_value"] == "x"
    clone = layers.Hashing.from_config(config)
    data = [["x", "a", "b"], ["c", "x", "d"]]
    np.testing.assert_array_equal(ops.convert_to_numpy(clone(data)),
                                  ops.convert_to_numpy(layer(data)))
    restored = lamina.saving.deserialize_keras_object(
        lamina.saving.serialize_keras_object(layer))
    assert restored.get_config() == config


def test_bad_input_gets_clear_errors():
    with pytest.raises(ValueError, match="num_bins"):
        layers.Hashing(num_bins=0)
    with pytest.raises(ValueError, match="salt"):
        layers.Hashing(num_bins=3, salt="pepper")
    with pytest.raises(ValueError, match="at least 2"):
        layers.Hashing(num_bins=1, mask_value="")
    with pytest.raises(ValueError, match="output_mode"):
        layers.Hashing(num_bins=3, output_mode="tf_idf")
    with pytest.raises(ValueError, match="float"):
        layers.Hashing(num_bins=3)(np.array([0.5, 1.5]))
    with pytest.raises(TypeError, match="before the model"):
        layers.Hashing(num_bins=3)(lamina.Input((1,), dtype="int32"))
