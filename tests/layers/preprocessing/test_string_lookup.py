"""StringLookup: lookups against a dict built from the vocabulary or from
collections.Counter, encodings, tf_idf, invert, files, config, errors; and
the OOV string hashes against published TensorFlow/Keras examples."""

import collections
import math

import numpy as np
import pytest

from lamina import ops
from lamina.layers import StringLookup
from lamina.layers.preprocessing import ALL_OBJECTS, _hash
from lamina.saving.config import deserialize, serialize

WORDS = ["the", "cat", "sat", "on", "the", "mat", "the", "cat", "ate",
         "a", "rat", "on", "a", "mat"]
VOCAB = ["the", "cat", "mat", "on"]


def np_(x):
    return np.asarray(ops.convert_to_numpy(x))


def reference_index(vocabulary, mask=None, num_oov=1):
    """token -> index, as documented: mask, OOV indices, vocabulary."""
    start = (mask is not None) + num_oov
    return {t: start + i for i, t in enumerate(vocabulary)}


def test_vocabulary_lookup_against_a_dict():
    table = reference_index(VOCAB)
    data = np.array(WORDS[:12]).reshape(3, 4)
    want = np.vectorize(lambda t: table.get(t, 0))(data)
    layer = StringLookup(vocabulary=VOCAB)
    out = np_(layer(data))
    np.testing.assert_array_equal(out, want)
    assert out.dtype == np.int64
    # Lists, bytes and a trailing axis of 1 (Input(shape=(1,)) batches).
    np.testing.assert_array_equal(np_(layer(data.tolist())), want)
    np.testing.assert_array_equal(np_(layer(np.char.encode(data))), want)
    np.testing.assert_array_equal(np_(layer(data[:, :1])), want[:, :1])
    masked = StringLookup(vocabulary=VOCAB, mask_token="")
    table = reference_index(VOCAB, mask="")
    got = np_(masked([["", "cat", "dog"]]))
    np.testing.assert_array_equal(got, [[0, table["cat"], 1]])
    assert masked.get_vocabulary() == ["", "[UNK]"] + VOCAB
    assert masked.get_vocabulary(include_special_tokens=False) == VOCAB
    assert masked.vocabulary_size() == len(VOCAB) + 2


def test_adapt_orders_by_count_then_token_descending():
    counts = collections.Counter(WORDS)
    ranked = sorted(counts, key=lambda t: (counts[t], t), reverse=True)
    layer = StringLookup()
    layer.adapt(np.array(WORDS))
    assert layer.get_vocabulary() == ["[UNK]"] + ranked
    capped = StringLookup(max_tokens=4, mask_token="")
    capped.adapt([WORDS + ["", "[UNK]", "[UNK]", "[UNK]", "[UNK]"]])
    # Special tokens are never counted; 4 = mask + OOV + 2 words.
    assert capped.get_vocabulary() == ["", "[UNK]"] + ranked[:2]
    generator = StringLookup()
    generator.adapt(WORDS[i:i + 4] for i in range(0, len(WORDS), 4))
    assert generator.get_vocabulary() == layer.get_vocabulary()


def test_several_oov_indices_use_keras_hash_buckets():
    # Keras 3's StringLookup docstring: "m" -> 0, "z" -> 1 with two OOV.
    layer = StringLookup(vocabulary=["a", "b", "c", "d"], num_oov_indices=2)
    assert np_(layer([["a", "c", "d"], ["m", "z", "b"]])).tolist() == \
        [[2, 4, 5], [0, 1, 3]]
    words = ["dog", "bird", "cow", "x" * 100]
    out = np_(StringLookup(vocabulary=VOCAB, num_oov_indices=3)(words))
    want = [_hash.fingerprint64(w.encode()) % 3 for w in words]
    np.testing.assert_array_equal(out, want)
    salted = np_(StringLookup(vocabulary=VOCAB, num_oov_indices=3,
                              salt=[7, 9])(words))
    want = [_hash.siphash24((7, 9), w.encode()) % 3 for w in words]
    np.testing.assert_array_equal(salted, want)


def test_hashes_match_published_examples():
    # tf.strings.to_hash_bucket_fast / _strong docs, Keras Hashing docs.
    assert [_hash.hash_bucket(t, 3) for t in ["Hello", "TensorFlow",
                                              "2.x"]] == [0, 2, 2]
    assert [_hash.hash_bucket(t, 3) for t in "ABCDE"] == [1, 0, 1, 1, 2]
    assert [_hash.hash_bucket(t, 3, (1, 2)) for t in ["Hello", "TF"]] == \
        [2, 0]
    assert [_hash.hash_bucket(t, 3, (133, 137)) for t in "ABCDE"] == \
        [1, 2, 1, 0, 2]
    # SipHash-2-4 reference vector (key 00..0f, empty message).
    key = (0x0706050403020100, 0x0f0e0d0c0b0a0908)
    assert _hash.siphash24(key, b"") == 0x726fdb47dd0e0e31


def test_fingerprint64_against_pyfarmhash_all_lengths():
    farmhash = pytest.importorskip("farmhash")
    rng = np.random.default_rng(0)
    for n in list(range(140)) + [255, 256, 1000]:
        data = rng.integers(0, 256, n).astype("uint8").tobytes()
        assert _hash.fingerprint64(data) == farmhash.fingerprint64(data), n


@pytest.mark.parametrize("mode", ["one_hot", "multi_hot", "count"])
def test_encodings_against_numpy(mode):
    table = reference_index(VOCAB)
    data = np.array(WORDS[:12]).reshape(3, 4)
    ids = np.vectorize(lambda t: table.get(t, 0))(data)
    depth = len(VOCAB) + 1
    hot = np.eye(depth, dtype="float32")[ids]
    want = {"one_hot": hot, "multi_hot": hot.max(axis=1),
            "count": hot.sum(axis=1)}[mode]
    layer = StringLookup(vocabulary=VOCAB, output_mode=mode)
    np.testing.assert_array_equal(np_(layer(data)), want)
    # A mask token is dropped outside 'int' mode; padding widens to max.
    padded = StringLookup(vocabulary=VOCAB, output_mode="count",
                          mask_token="", pad_to_max_tokens=True,
                          max_tokens=9)
    out = np_(padded([["", "cat", "cat", "dog"]]))
    want = np.zeros((1, 9), "float32")
    want[0, table["cat"]] = 2
    want[0, 0] = 1
    np.testing.assert_array_equal(out, want)


def test_tf_idf_adapted_and_given():
    docs = [["the", "cat", "the"], ["a", "cat", "sat"], ["the", "end", "a"]]
    layer = StringLookup(output_mode="tf_idf")
    layer.adapt(docs)
    vocab = layer.get_vocabulary(include_special_tokens=False)
    df = collections.Counter(t for d in docs for t in set(d))
    idf = np.array([math.log(1 + 3 / (1 + df[t])) for t in vocab])
    weights = np.concatenate([[idf.mean()], idf])
    query = [["the", "the", "zzz", "cat"]]
    index = {t: i + 1 for i, t in enumerate(vocab)}
    counts = np.zeros(len(vocab) + 1)
    for t in query[0]:
        counts[index.get(t, 0)] += 1
    np.testing.assert_allclose(np_(layer(query))[0], counts * weights,
                               rtol=1e-6)
    given = StringLookup(output_mode="tf_idf", vocabulary=VOCAB,
                         idf_weights=[0.25, 0.75, 0.6, 0.4])
    # The OOV index gets the mean of the given weights.
    out = np_(given([["the", "dog", "dog", "on"]]))
    np.testing.assert_allclose(out, [[2 * 0.5, 0.25, 0, 0, 0.4]], rtol=1e-6)
    store = {}
    layer.save_own_variables(store)
    np.testing.assert_allclose(store["idf_weights"], weights, rtol=1e-6)


def test_invert_round_trip_and_vocabulary_file(tmp_path):
    forward = StringLookup(vocabulary=VOCAB, mask_token="")
    inverse = StringLookup(vocabulary=forward.get_vocabulary(), invert=True,
                           mask_token="")
    data = np.array([["the", "mat", "dog"], ["", "on", "cat"]])
    back = inverse(forward(data))
    assert back.tolist() == [["the", "mat", "[UNK]"], ["", "on", "cat"]]
    assert inverse([[99, -1]]).tolist() == [["[UNK]", "[UNK]"]]
    path = tmp_path / "vocab.txt"
    path.write_text("\n".join(VOCAB) + "\n", encoding="utf-8")
    from_file = StringLookup(vocabulary=str(path))
    assert from_file.get_vocabulary() == ["[UNK]"] + VOCAB
    # Keras keeps file vocabularies as assets; lamina's config holds them.
    config = from_file.get_config()
    assert config["vocabulary"] == ["[UNK]"] + VOCAB
    clone = StringLookup.from_config(config)
    assert clone.get_vocabulary() == from_file.get_vocabulary()


def test_config_round_trips():
    layer = StringLookup(vocabulary=VOCAB, num_oov_indices=2, mask_token="",
                         output_mode="int", name="lookup")
    config = layer.get_config()
    assert config["vocabulary"] == VOCAB and "vocabulary_dtype" not in config
    assert config["encoding"] == "utf-8" and config["vocabulary_size"] == 7
    clone = deserialize(serialize(layer), "layers",
                        custom_objects=ALL_OBJECTS)
    assert clone.get_config() == config
    adapted = StringLookup(output_mode="tf_idf", max_tokens=6,
                           pad_to_max_tokens=True)
    adapted.adapt([["a", "b", "a"], ["c", "a"]])
    clone = StringLookup.from_config(adapted.get_config())
    query = [["a", "c", "q"]]
    np.testing.assert_allclose(np_(clone(query)), np_(adapted(query)))
    clone.adapt([["x"]])  # still adaptable, as the original
    assert clone.get_vocabulary() == ["[UNK]", "x"]


def test_errors(tmp_path):
    with pytest.raises(ValueError, match="repeats"):
        StringLookup(vocabulary=["a", "b", "a"])
    with pytest.raises(ValueError, match="mask token ''"):
        StringLookup(vocabulary=["a", ""], mask_token="")
    with pytest.raises(ValueError, match="out-of-vocabulary values"):
        StringLookup(vocabulary=["a"], num_oov_indices=0)([["a", "b"]])
    with pytest.raises(ValueError, match="invert=True needs"):
        StringLookup(invert=True, output_mode="count")
    with pytest.raises(ValueError, match="idf_weights"):
        StringLookup(vocabulary=["a"], idf_weights=[1.0])
    with pytest.raises(ValueError, match="idf_weights"):
        StringLookup(vocabulary=["a"], output_mode="tf_idf")
    with pytest.raises(ValueError, match="max_tokens=1"):
        StringLookup(max_tokens=1)
    with pytest.raises(ValueError, match="pad_to_max_tokens"):
        StringLookup(pad_to_max_tokens=True)
    with pytest.raises(ValueError, match="more than max_tokens=3"):
        StringLookup(max_tokens=3, vocabulary=["a", "b", "c"])
    with pytest.raises(ValueError, match="sparse"):
        StringLookup(sparse=True, output_mode="count")
    with pytest.raises(ValueError, match="can't be adapted"):
        StringLookup(vocabulary=["a"]).adapt(["a"])
    with pytest.raises(ValueError, match="does not exist"):
        StringLookup(vocabulary=str(tmp_path / "none.txt"))
    with pytest.raises(ValueError, match="salt"):
        StringLookup(salt="pepper")
    with pytest.raises(ValueError, match="expects strings"):
        StringLookup(vocabulary=["a"])(np.array([1.5]))
    with pytest.raises(RuntimeError, match="vocabulary must be set"):
        StringLookup(output_mode="multi_hot")([["a"]])
    import lamina
    with pytest.raises(TypeError, match="runs on the host"):
        StringLookup(vocabulary=["a"])(lamina.Input((1,), dtype="int64"))
