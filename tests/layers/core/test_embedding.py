import warnings

import numpy as np
import pytest

import lamina
from lamina import ops, regularizers
from lamina.layers import Input
from lamina.layers.core.embedding import Embedding
from lamina.saving.config import deserialize, serialize
from lamina.testing import run_layer_test

TOKENS = np.array([[1, 5, 0], [3, 0, 2]], "int32")


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def test_embedding_standard_checks():
    run_layer_test(Embedding, {"input_dim": 6, "output_dim": 3},
                   input_shape=(2, 4), expected_output_shape=(2, 4, 3),
                   expected_num_weights=1, input_dtype="int32")


def test_lookup_is_numpy_indexing():
    layer = Embedding(6, 4)
    got = _np(layer(TOKENS))
    table = layer.get_weights()[0]
    np.testing.assert_array_equal(got, table[TOKENS])
    assert layer.weights[0].name == "embeddings"
    assert layer.weights[0].shape == (6, 4)


def test_default_initializer_is_uniform_small():
    layer = Embedding(100, 8)
    layer(TOKENS)
    values = layer.get_weights()[0]
    assert np.abs(values).max() <= 0.05 and values.std() > 0.01
    assert layer.get_config()["embeddings_initializer"]["class_name"] == \
        "RandomUniform"


def test_float_indices_are_cast():
    layer = Embedding(6, 2)
    np.testing.assert_array_equal(_np(layer(TOKENS.astype("float32"))),
                                  _np(layer(TOKENS)))


def test_mask_zero():
    layer = Embedding(6, 2, mask_zero=True)
    np.testing.assert_array_equal(_np(layer.compute_mask(TOKENS)),
                                  TOKENS != 0)
    assert Embedding(6, 2).compute_mask(TOKENS) is None


def test_regularizer_and_config_round_trip():
    layer = Embedding(6, 2, embeddings_regularizer=regularizers.l2(0.1),
                      mask_zero=True)
    layer(TOKENS)
    assert len(layer.losses) == 1
    config = layer.get_config()
    clone = deserialize(serialize(layer), "layers",
                        custom_objects={"Embedding": Embedding})
    assert clone.get_config() == config and clone.mask_zero


def test_keras1_input_length_and_names():
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        layer = Embedding(10, 3, input_length=7, init="normal",
                          W_regularizer=regularizers.l1(0.01))
    model = lamina.Sequential([layer])
    assert model.output_shape == (None, 7, 3)
    assert layer.embeddings_regularizer is not None


def test_symbolic_shape():
    out = Embedding(10, 3)(Input(shape=(None,), dtype="int32"))
    assert out.shape == (None, None, 3)


def test_bad_arguments():
    with pytest.raises(ValueError, match="input_dim"):
        Embedding(0, 3)
    with pytest.raises(ValueError, match="output_dim"):
        Embedding(3, 2.5)
