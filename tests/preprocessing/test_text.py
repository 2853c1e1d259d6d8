"""lamina.preprocessing.text against hand-computed references."""

import collections
import hashlib
import math
import warnings

import numpy as np
import pytest

from lamina.legacy import arguments
from lamina.preprocessing import text

TEXTS = ["The cat sat on the mat.", "The dog ate my homework!",
         "Cat and dog, cat and mouse.", "A mat; a cat"]


def words(t):
    for c in '.!,;':
        t = t.replace(c, " ")
    return t.lower().split()


def test_text_to_word_sequence():
    assert text.text_to_word_sequence("Hi, THERE!\tyou") == \
        ["hi", "there", "you"]
    assert text.text_to_word_sequence("a-b c", filters="", lower=False,
                                      split="-") == ["a", "b c"]


def test_fit_on_texts_counts_and_index_order():
    tok = text.Tokenizer()
    tok.fit_on_texts(TEXTS)
    tokens = [words(t) for t in TEXTS]
    counts = collections.Counter(w for ws in tokens for w in ws)
    assert dict(tok.word_counts) == dict(counts)
    assert dict(tok.word_docs) == dict(collections.Counter(
        w for ws in tokens for w in set(ws)))
    first_seen = list(dict.fromkeys(w for ws in tokens for w in ws))
    ranked = sorted(first_seen, key=lambda w: (-counts[w],
                                               first_seen.index(w)))
    assert tok.word_index == {w: i + 1 for i, w in enumerate(ranked)}
    assert tok.index_word == {i + 1: w for i, w in enumerate(ranked)}
    assert tok.document_count == len(TEXTS)


def test_num_words_and_oov_token():
    tok = text.Tokenizer(num_words=4, oov_token="<unk>")
    tok.fit_on_texts(TEXTS)
    assert tok.word_index["<unk>"] == 1
    seqs = tok.texts_to_sequences(["the cat and a zebra"])
    want = [tok.word_index[w] if tok.word_index[w] < 4 else 1
            for w in ["the", "cat", "and", "a"]] + [1]
    assert seqs == [want]
    plain = text.Tokenizer(num_words=3)
    plain.fit_on_texts(TEXTS)
    assert plain.texts_to_sequences(["cat the dog zebra"]) == \
        [[i for i in (plain.word_index["cat"], plain.word_index["the"],
                      plain.word_index["dog"]) if i < 3]]


def test_sequences_to_texts_round_trip():
    tok = text.Tokenizer()
    tok.fit_on_texts(TEXTS)
    seqs = tok.texts_to_sequences(TEXTS)
    assert tok.sequences_to_texts(seqs) == [" ".join(words(t))
                                            for t in TEXTS]
    assert list(tok.texts_to_sequences_generator(TEXTS)) == seqs


def expected_matrix(tok, seqs, mode, width):
    out = np.zeros((len(seqs), width))
    docs = collections.Counter(j for s in seqs for j in set(s))
    for i, s in enumerate(seqs):
        for j in set(s):
            if j >= width:
                continue
            c = s.count(j)
            out[i, j] = {
                "binary": 1.0, "count": c, "freq": c / len(s),
                "tfidf": (1 + math.log(c)) * math.log(
                    1 + len(seqs) / (1 + docs[j]))}[mode]
    return out


@pytest.mark.parametrize("mode", ["binary", "count", "freq", "tfidf"])
@pytest.mark.parametrize("num_words", [None, 5])
def test_texts_to_matrix_every_mode(mode, num_words):
    tok = text.Tokenizer(num_words=num_words)
    tok.fit_on_texts(TEXTS)
    # Words of index >= num_words are already dropped from the sequences
    # (so 'freq' divides by the kept length, as in Keras).
    seqs = tok.texts_to_sequences(TEXTS)
    width = num_words or len(tok.word_index) + 1
    got = tok.texts_to_matrix(TEXTS, mode=mode)
    assert got.shape == (len(TEXTS), width)
    np.testing.assert_allclose(got, expected_matrix(tok, seqs, mode, width))


def test_fit_on_sequences_then_tfidf():
    seqs = [[1, 2, 2], [2, 3], [4]]
    tok = text.Tokenizer(num_words=6)
    tok.fit_on_sequences(seqs)
    assert tok.document_count == 3
    np.testing.assert_allclose(tok.sequences_to_matrix(seqs, "tfidf"),
                               expected_matrix(tok, seqs, "tfidf", 6))


def test_char_level():
    tok = text.Tokenizer(char_level=True)
    tok.fit_on_texts(["abba", "Ca"])
    assert tok.word_index == {"a": 1, "b": 2, "c": 3}
    assert tok.texts_to_sequences(["cab"]) == [[3, 1, 2]]


def test_analyzer_replaces_splitting():
    tok = text.Tokenizer(analyzer=lambda t: t.split("|"))
    tok.fit_on_texts(["x|y|y"])
    assert tok.word_index == {"y": 1, "x": 2}


def test_json_round_trip():
    tok = text.Tokenizer(num_words=6, oov_token="?")
    tok.fit_on_texts(TEXTS)
    back = text.tokenizer_from_json(tok.to_json())
    assert back.word_index == tok.word_index
    assert back.index_word == tok.index_word
    assert dict(back.word_counts) == dict(tok.word_counts)
    assert back.document_count == tok.document_count
    assert back.get_config() == tok.get_config()
    np.testing.assert_array_equal(back.texts_to_matrix(TEXTS, "tfidf"),
                                  tok.texts_to_matrix(TEXTS, "tfidf"))


def test_hashing_trick_md5_and_one_hot():
    n = 17
    got = text.hashing_trick("Cat dog cat", n, hash_function="md5")
    want = [int(hashlib.md5(w.encode()).hexdigest(), 16) % (n - 1) + 1
            for w in ["cat", "dog", "cat"]]
    assert got == want
    hashed = text.one_hot("a b c d e f", 5)
    assert len(hashed) == 6 and all(1 <= h < 5 for h in hashed)
    assert hashed == [hash(w) % 4 + 1 for w in "abcdef"]


def test_errors():
    tok = text.Tokenizer()
    with pytest.raises(ValueError, match="num_words"):
        tok.texts_to_matrix(["a"])
    tok.fit_on_texts(["a"])
    with pytest.raises(ValueError, match="mode"):
        tok.texts_to_matrix(["a"], mode="onehot")
    with pytest.raises(TypeError, match="list of texts"):
        tok.fit_on_texts("a string")
    with pytest.raises(TypeError, match="unrecognized"):
        text.Tokenizer(numwords=3)
    with pytest.raises(ValueError, match="tfidf"):
        text.Tokenizer(num_words=3).sequences_to_matrix([[1]], "tfidf")


def test_keras1_nb_words_warns_with_rewrite():
    arguments._warned.discard("Tokenizer-nb_words")  # warns once a process
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tok = text.Tokenizer(nb_words=7)
    assert tok.num_words == 7
    message = ("Tokenizer(nb_words=...) is the Keras 1 spelling; write "
               "Tokenizer(num_words=7).")
    assert [str(w.message) for w in caught] == [message]
