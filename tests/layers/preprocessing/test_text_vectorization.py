"""TextVectorization end to end on a small corpus against tokens computed
here with str methods and re; encodings, config, training and errors."""

import collections
import math
import re
import string

import numpy as np
import pytest

import lamina
from lamina import ops
from lamina.layers import TextVectorization
from lamina.layers.preprocessing import ALL_OBJECTS
from lamina.saving.config import deserialize, serialize

CORPUS = ["The cat sat on the mat.", "A dog ate my HOMEWORK!",
          "the cat, the dog; the END", "  spaces\tand\nlines  ",
          "ÉCOLE au lait?"]


def np_(x):
    return np.asarray(ops.convert_to_numpy(x))


def tokens(text, lower=True, strip=True):
    if lower:  # ASCII letters only, as TensorFlow's strings.lower
        text = "".join(c.lower() if c in string.ascii_uppercase else c
                       for c in text)
    if strip:
        text = text.translate(str.maketrans("", "", string.punctuation))
    return text.split()


def vocabulary(docs):
    counts = collections.Counter(t for d in docs for t in d)
    return sorted(counts, key=lambda t: (counts[t], t), reverse=True)


def int_sequences(docs, vocab, length=None):
    index = {t: i + 2 for i, t in enumerate(vocab)}
    length = length or max(len(d) for d in docs)
    out = np.zeros((len(docs), length), "int64")
    for i, d in enumerate(docs):
        ids = [index.get(t, 1) for t in d][:length]
        out[i, :len(ids)] = ids
    return out


def test_default_pipeline_end_to_end():
    layer = TextVectorization()
    layer.adapt(CORPUS)
    docs = [tokens(t) for t in CORPUS]
    vocab = vocabulary(docs)
    assert layer.get_vocabulary() == ["", "[UNK]"] + vocab
    assert "école" not in vocab and "École" in vocab  # ASCII lowercasing
    queries = ["the cat ate a mouse", "Zebras!"]
    out = np_(layer(queries))
    want = int_sequences([tokens(q) for q in queries], vocab)
    np.testing.assert_array_equal(out, want)
    assert out.dtype == np.int64
    # A (batch, 1) array, as an Input(shape=(1,), dtype="string") batch.
    column = np.array(queries)[:, None]
    np.testing.assert_array_equal(np_(layer(column)), want)


@pytest.mark.parametrize("length", [2, 9])
def test_output_sequence_length_pads_and_truncates(length):
    layer = TextVectorization(output_sequence_length=length)
    layer.adapt(CORPUS)
    vocab = layer.get_vocabulary()[2:]
    want = int_sequences([tokens(t) for t in CORPUS], vocab, length)
    np.testing.assert_array_equal(np_(layer(CORPUS)), want)
    assert layer.compute_output_shape((None, 1)) == (None, length)


def test_ngrams_standardize_and_split_options():
    bigrams = TextVectorization(ngrams=2, standardize="lower")
    bigrams.adapt(CORPUS)

    def grams(words, widths):
        return [" ".join(words[i:i + n]) for n in widths
                for i in range(len(words) - n + 1)]
    docs = [grams(tokens(t, strip=False), (1, 2)) for t in CORPUS]
    assert bigrams.get_vocabulary()[2:] == vocabulary(docs)
    only = TextVectorization(ngrams=(3,), standardize=None)
    only.adapt(CORPUS)
    docs = [grams(t.split(), (3,)) for t in CORPUS]
    assert only.get_vocabulary()[2:] == vocabulary(docs)
    chars = TextVectorization(split="character",
                              standardize="strip_punctuation")
    chars.adapt(CORPUS)
    docs = [list(re.sub("[" + re.escape(string.punctuation) + "]", "", t))
            for t in CORPUS]
    assert chars.get_vocabulary()[2:] == vocabulary(docs)
    whole = TextVectorization(split=None, standardize="lower")
    whole.adapt(["red", "Blue", "red", "green"])
    assert whole.get_vocabulary()[2:] == ["red", "green", "blue"]
    np.testing.assert_array_equal(np_(whole([["RED"], ["pink"]])),
                                  [[2], [1]])


def _reverse(texts):
    return np.vectorize(lambda s: s[::-1], otypes=[object])(texts)


def _on_commas(texts):
    return [t.split(",") for t in texts]


def test_callables_and_their_config():
    lamina.saving.register_keras_serializable("Test")(_reverse)
    lamina.saving.register_keras_serializable("Test")(_on_commas)
    layer = TextVectorization(standardize=_reverse, split=_on_commas)
    layer.adapt(["ab,cd,ab", "ef"])
    assert layer.get_vocabulary()[2:] == ["ba", "fe", "dc"]
    config = layer.get_config()
    assert config["standardize"] == "Test>_reverse"
    clone = deserialize(serialize(layer), "layers",
                        custom_objects=ALL_OBJECTS)
    assert clone._standardize is _reverse and clone._split is _on_commas
    np.testing.assert_array_equal(np_(clone(["ab,zz"])),
                                  np_(layer(["ab,zz"])))


@pytest.mark.parametrize("mode", ["multi_hot", "count", "tf_idf"])
def test_vector_modes(mode):
    layer = TextVectorization(output_mode=mode)
    layer.adapt(CORPUS)
    docs = [tokens(t) for t in CORPUS]
    vocab = vocabulary(docs)
    assert layer.get_vocabulary() == ["[UNK]"] + vocab  # no mask here
    query = ["the dog and the zebra", "mat"]
    index = {t: i + 1 for i, t in enumerate(vocab)}
    counts = np.zeros((2, len(vocab) + 1))
    for row, text in enumerate(query):
        for t in tokens(text):
            counts[row, index.get(t, 0)] += 1
    if mode == "multi_hot":
        want = np.minimum(counts, 1)
    elif mode == "count":
        want = counts
    else:
        df = collections.Counter(t for d in docs for t in set(d))
        idf = np.array([math.log(1 + len(docs) / (1 + df[t]))
                        for t in vocab])
        want = counts * np.concatenate([[idf.mean()], idf])
    np.testing.assert_allclose(np_(layer(query)), want, rtol=1e-6)


def test_vocabulary_given_file_max_tokens_and_config(tmp_path):
    layer = TextVectorization(vocabulary=["earth", "wind", "and", "fire"],
                              output_sequence_length=4)
    assert layer.get_vocabulary() == ["", "[UNK]", "earth", "wind", "and",
                                      "fire"]
    np.testing.assert_array_equal(np_(layer(["Wind and rain"])),
                                  [[3, 4, 1, 0]])
    path = tmp_path / "vocab.txt"
    path.write_text("earth\nwind\n")
    from_file = TextVectorization(vocabulary=str(path))
    assert from_file.vocabulary_size() == 4
    capped = TextVectorization(max_tokens=4)
    capped.adapt(CORPUS)
    assert capped.get_vocabulary()[2:] == vocabulary(
        [tokens(t) for t in CORPUS])[:2]
    padded = TextVectorization(max_tokens=10, output_mode="count",
                               pad_to_max_tokens=True, vocabulary=["a"])
    assert np_(padded(["a a b"])).tolist() == [[1, 2] + [0] * 8]
    adapted = TextVectorization(ngrams=(1, 2), output_sequence_length=5,
                                name="tv")
    adapted.adapt(CORPUS)
    config = adapted.get_config()
    assert config["ngrams"] == (1, 2)
    clone = TextVectorization.from_config(
        {**config, "ngrams": list(config["ngrams"])})  # as JSON has it
    assert clone.get_vocabulary() == adapted.get_vocabulary()
    np.testing.assert_array_equal(np_(clone(CORPUS)), np_(adapted(CORPUS)))
    clone.set_vocabulary(["x", "y"])
    assert clone.get_vocabulary() == ["", "[UNK]", "x", "y"]


@pytest.mark.requires_training
def test_vectorized_text_trains_an_embedding_model():
    good = ["good movie", "really good fun", "great good story", "good"]
    bad = ["bad movie", "really bad plot", "awful bad story", "bad"]
    texts = np.array(good * 8 + bad * 8)
    y = np.array([1.0] * 32 + [0.0] * 32, "float32")[:, None]
    vectorize = TextVectorization(output_sequence_length=4)
    vectorize.adapt(texts)
    x = np_(vectorize(texts))
    L = lamina.layers
    model = lamina.Sequential([
        lamina.Input((4,), dtype="int64"),
        L.Embedding(vectorize.vocabulary_size(), 8),
        L.GlobalAveragePooling1D(), L.Dense(1, activation="sigmoid")])
    model.compile(optimizer=lamina.optimizers.Adam(0.05),
                  loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=40, batch_size=16, verbose=0)
    assert history.history["accuracy"][-1] == 1.0
    test = np_(vectorize(["good plot", "bad fun"]))
    assert model.predict(test, verbose=0)[:, 0].round().tolist() == [1, 0]


def test_errors():
    with pytest.raises(ValueError, match="standardize"):
        TextVectorization(standardize="upper")
    with pytest.raises(ValueError, match="split"):
        TextVectorization(split="comma")
    with pytest.raises(ValueError, match="ngrams=0"):
        TextVectorization(ngrams=0)
    with pytest.raises(ValueError, match="output_sequence_length"):
        TextVectorization(output_mode="count", output_sequence_length=3)
    with pytest.raises(ValueError, match="ragged"):
        TextVectorization(ragged=True)
    with pytest.raises(ValueError, match="sparse"):
        TextVectorization(output_mode="count", sparse=True)
    with pytest.raises(ValueError, match="can't be adapted"):
        TextVectorization(vocabulary=["a"]).adapt(["a"])
    layer = TextVectorization(vocabulary=["a"])
    with pytest.raises(ValueError, match=r"\(batch,\) or \(batch, 1\)"):
        layer(np.array([["a b", "c"]]))
    with pytest.raises(TypeError, match="runs on the host"):
        layer(lamina.Input((1,)))
    with pytest.raises(ValueError, match="expects strings"):
        layer(np.array([1, 2]))
    with pytest.raises(ValueError, match="not known"):
        TextVectorization.from_config({"standardize": "nowhere_fn",
                                       "split": "whitespace"})
