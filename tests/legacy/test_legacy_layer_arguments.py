"""Keras 1/2 layer arguments: each old spelling builds the layer its modern
rewrite builds (same config, same output for the same weights) and warns
once with that rewrite; bad combinations fail with a clear error."""

import warnings

import numpy as np
import pytest

import lamina
from lamina import layers as L
from lamina import ops, regularizers
from lamina.legacy import arguments


@pytest.fixture(autouse=True)
def fresh_warnings(monkeypatch):
    monkeypatch.setattr(arguments, "_warned", set())


def build_recording(make):
    """`make()` and the messages of the DeprecationWarnings it emitted."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        obj = make()
    messages = [str(w.message) for w in caught
                if issubclass(w.category, DeprecationWarning)]
    return obj, messages


def config_without_name(layer):
    config = dict(layer.get_config())
    config.pop("name")
    return config


def float_input(shape, seed=0):
    return np.random.default_rng(seed).normal(size=shape).astype("float32")


# (old spelling, modern rewrite, input, rewrite texts the warnings give)
CASES = [
    (lambda: L.Convolution2D(4, 3, 3, border_mode="same", subsample=(2, 2),
                             init="he_normal", bias=False),
     lambda: L.Conv2D(4, (3, 3), padding="same", strides=(2, 2),
                      kernel_initializer="he_normal", use_bias=False),
     float_input((2, 7, 7, 3)),
     ["write Conv2D(4, (3, 3), ...)", "write Conv2D(padding='same')",
      "write Conv2D(strides=(2, 2))",
      "write Conv2D(kernel_initializer='he_normal')",
      "write Conv2D(use_bias=False)"]),
    (lambda: L.Convolution2D(4, 2, 3, dim_ordering="th",
                             W_regularizer=regularizers.L2(0.01)),
     lambda: L.Conv2D(4, (2, 3), data_format="channels_first",
                      kernel_regularizer=regularizers.L2(0.01)),
     float_input((2, 3, 6, 6)),
     ["write Conv2D(4, (2, 3), ...)",
      "write Conv2D(data_format='channels_first')",
      "write Conv2D(kernel_regularizer="]),
    (lambda: L.Conv2D(nb_filter=3, nb_row=2, nb_col=2, border_mode="valid",
                      dim_ordering="tf"),
     lambda: L.Conv2D(filters=3, kernel_size=(2, 2), padding="valid",
                      data_format="channels_last"),
     float_input((1, 5, 5, 2)),
     ["write Conv2D(kernel_size=(2, 2))", "write Conv2D(filters=3)",
      "write Conv2D(padding='valid')",
      "write Conv2D(data_format='channels_last')"]),
    (lambda: L.Convolution1D(4, 3, "he_normal", "relu", border_mode="same",
                             subsample_length=2),
     lambda: L.Conv1D(4, 3, kernel_initializer="he_normal",
                      activation="relu", padding="same", strides=2),
     float_input((2, 9, 3)),
     ["write Conv1D(4, 3, ...)",
      "write Conv1D(kernel_initializer='he_normal')",
      "write Conv1D(padding='same')", "write Conv1D(strides=2)"]),
    (lambda: L.Convolution1D(nb_filter=4, filter_length=3, b_constraint=
                             lamina.constraints.NonNeg()),
     lambda: L.Conv1D(filters=4, kernel_size=3,
                      bias_constraint=lamina.constraints.NonNeg()),
     float_input((2, 6, 2)),
     ["write Conv1D(filters=4)", "write Conv1D(kernel_size=3)",
      "write Conv1D(bias_constraint="]),
    (lambda: L.Convolution3D(2, 2, 3, 2, subsample=(1, 1, 1)),
     lambda: L.Conv3D(2, (2, 3, 2), strides=(1, 1, 1)),
     float_input((1, 4, 5, 4, 1)),
     ["write Conv3D(2, (2, 3, 2), ...)", "write Conv3D(strides=(1, 1, 1))"]),
    (lambda: L.Conv3D(2, kernel_dim1=2, kernel_dim2=2, kernel_dim3=1),
     lambda: L.Conv3D(2, kernel_size=(2, 2, 1)),
     float_input((1, 3, 3, 3, 2)),
     ["write Conv3D(kernel_size=(2, 2, 1))"]),
    (lambda: L.AtrousConvolution2D(3, 3, 3, atrous_rate=(2, 2),
                                   border_mode="same"),
     lambda: L.Conv2D(3, (3, 3), dilation_rate=(2, 2), padding="same"),
     float_input((1, 9, 9, 2)),
     ["write Conv2D(..., dilation_rate=r)", "write Conv2D(3, (3, 3), ...)",
      "write Conv2D(dilation_rate=(2, 2))", "write Conv2D(padding='same')"]),
    (lambda: L.AtrousConvolution1D(3, 2, atrous_rate=2),
     lambda: L.Conv1D(3, 2, dilation_rate=2),
     float_input((2, 8, 2)),
     ["write Conv1D(..., dilation_rate=r)",
      "write Conv1D(dilation_rate=2)"]),
    (lambda: L.SeparableConvolution2D(4, 3, 3, border_mode="same",
                                      init="he_normal"),
     lambda: L.SeparableConv2D(4, (3, 3), padding="same",
                               depthwise_initializer="he_normal",
                               pointwise_initializer="he_normal"),
     float_input((1, 5, 5, 2)),
     ["write SeparableConv2D(4, (3, 3), ...)",
      "write SeparableConv2D(padding='same')",
      ("write SeparableConv2D(depthwise_initializer='he_normal', "
      "pointwise_initializer='he_normal')")]),
    (lambda: L.Conv2DTranspose(nb_filter=2, nb_row=3, nb_col=3,
                               subsample=(2, 2)),
     lambda: L.Conv2DTranspose(2, (3, 3), strides=(2, 2)),
     float_input((1, 4, 4, 3)),
     ["write Conv2DTranspose(kernel_size=(3, 3))",
      "write Conv2DTranspose(filters=2)",
      "write Conv2DTranspose(strides=(2, 2))"]),
    (lambda: L.MaxPooling1D(pool_length=3, stride=1, border_mode="same"),
     lambda: L.MaxPooling1D(pool_size=3, strides=1, padding="same"),
     float_input((2, 7, 3)),
     ["write MaxPooling1D(pool_size=3)", "write MaxPooling1D(strides=1)",
      "write MaxPooling1D(padding='same')"]),
    (lambda: L.AveragePooling1D(pool_length=2),
     lambda: L.AveragePooling1D(pool_size=2),
     float_input((2, 6, 3)), ["write AveragePooling1D(pool_size=2)"]),
    (lambda: L.AveragePooling2D((2, 2), dim_ordering="th",
                                border_mode="valid"),
     lambda: L.AveragePooling2D((2, 2), data_format="channels_first",
                                padding="valid"),
     float_input((2, 3, 4, 6)),
     ["write AveragePooling2D(data_format='channels_first')",
      "write AveragePooling2D(padding='valid')"]),
    (lambda: L.MaxPooling3D(dim_ordering="th"),
     lambda: L.MaxPooling3D(data_format="channels_first"),
     float_input((1, 2, 4, 4, 4)),
     ["write MaxPooling3D(data_format='channels_first')"]),
    (lambda: L.GlobalAveragePooling2D(dim_ordering="th"),
     lambda: L.GlobalAveragePooling2D(data_format="channels_first"),
     float_input((2, 3, 4, 5)),
     ["write GlobalAveragePooling2D(data_format='channels_first')"]),
    (lambda: L.GlobalMaxPooling2D(dim_ordering="th"),
     lambda: L.GlobalMaxPooling2D(data_format="channels_first"),
     float_input((2, 3, 4, 5)),
     ["write GlobalMaxPooling2D(data_format='channels_first')"]),
    (lambda: L.UpSampling1D(length=3), lambda: L.UpSampling1D(size=3),
     float_input((2, 4, 3)), ["write UpSampling1D(size=3)"]),
    (lambda: L.UpSampling2D((2, 2), dim_ordering="th"),
     lambda: L.UpSampling2D((2, 2), data_format="channels_first"),
     float_input((1, 2, 3, 3)),
     ["write UpSampling2D(data_format='channels_first')"]),
    (lambda: L.ZeroPadding2D((1, 2), dim_ordering="th"),
     lambda: L.ZeroPadding2D((1, 2), data_format="channels_first"),
     float_input((1, 2, 3, 3)),
     ["write ZeroPadding2D(data_format='channels_first')"]),
    (lambda: L.Cropping2D(((1, 0), (0, 1)), dim_ordering="th"),
     lambda: L.Cropping2D(((1, 0), (0, 1)), data_format="channels_first"),
     float_input((1, 2, 4, 4)),
     ["write Cropping2D(data_format='channels_first')"]),
    (lambda: L.Dense(output_dim=3, init="he_normal", bias=False,
                     W_constraint=lamina.constraints.MaxNorm(2.0)),
     lambda: L.Dense(3, kernel_initializer="he_normal", use_bias=False,
                     kernel_constraint=lamina.constraints.MaxNorm(2.0)),
     float_input((2, 5)),
     ["write Dense(units=3)", "write Dense(kernel_initializer='he_normal')",
      "write Dense(use_bias=False)", "write Dense(kernel_constraint="]),
    (lambda: L.LSTM(output_dim=3, inner_activation="hard_sigmoid",
                    init="glorot_normal", inner_init="orthogonal",
                    forget_bias_init="one", dropout_W=0.1, dropout_U=0.2,
                    return_sequences=True),
     lambda: L.LSTM(3, recurrent_activation="hard_sigmoid",
                    kernel_initializer="glorot_normal",
                    recurrent_initializer="orthogonal",
                    unit_forget_bias=True, dropout=0.1,
                    recurrent_dropout=0.2, return_sequences=True),
     float_input((2, 5, 4)),
     ["write LSTM(units=3)",
      "write LSTM(recurrent_activation='hard_sigmoid')",
      "write LSTM(kernel_initializer='glorot_normal')",
      "write LSTM(recurrent_initializer='orthogonal')",
      "write LSTM(unit_forget_bias=True)", "write LSTM(dropout=0.1)",
      "write LSTM(recurrent_dropout=0.2)"]),
    (lambda: L.LSTM(3, forget_bias_init="zero"),
     lambda: L.LSTM(3, unit_forget_bias=False),
     float_input((2, 4, 2)), ["write LSTM(unit_forget_bias=False)"]),
    (lambda: L.GRU(output_dim=3, U_regularizer=regularizers.L1(0.1),
                   consume_less="gpu"),
     lambda: L.GRU(3, recurrent_regularizer=regularizers.L1(0.1)),
     float_input((2, 4, 2)),
     ["write GRU(units=3)", "write GRU(recurrent_regularizer=",
      "GRU(consume_less='gpu') has no effect in lamina and is ignored"]),
    (lambda: L.SimpleRNN(output_dim=2, b_regularizer=regularizers.L2(0.1),
                         U_constraint=lamina.constraints.NonNeg()),
     lambda: L.SimpleRNN(2, bias_regularizer=regularizers.L2(0.1),
                         recurrent_constraint=lamina.constraints.NonNeg()),
     float_input((2, 3, 2)),
     ["write SimpleRNN(units=2)", "write SimpleRNN(bias_regularizer=",
      "write SimpleRNN(recurrent_constraint="]),
    (lambda: L.Embedding(10, 3, init="normal",
                         W_regularizer=regularizers.L2(0.1)),
     lambda: L.Embedding(10, 3, embeddings_initializer="normal",
                         embeddings_regularizer=regularizers.L2(0.1)),
     np.array([[1, 2, 9], [0, 3, 3]]),
     ["write Embedding(embeddings_initializer='normal')",
      "write Embedding(embeddings_regularizer="]),
    (lambda: L.BatchNormalization(mode=0, beta_init="zeros",
                                  gamma_init="ones"),
     lambda: L.BatchNormalization(beta_initializer="zeros",
                                  gamma_initializer="ones"),
     float_input((4, 3)),
     ["write BatchNormalization(beta_initializer='zeros')",
      "write BatchNormalization(gamma_initializer='ones')",
      ("BatchNormalization(mode=0) is the Keras 1 spelling; leave `mode` "
      "out")]),
    (lambda: L.Dropout(p=0.3), lambda: L.Dropout(rate=0.3),
     float_input((2, 3)), ["write Dropout(rate=0.3)"]),
    (lambda: L.SpatialDropout2D(p=0.2, dim_ordering="th"),
     lambda: L.SpatialDropout2D(rate=0.2, data_format="channels_first"),
     float_input((1, 2, 3, 3)),
     ["write SpatialDropout2D(rate=0.2)",
      "write SpatialDropout2D(data_format='channels_first')"]),
]


@pytest.mark.parametrize("old, new, x, rewrites", CASES)
def test_old_spelling_builds_the_modern_layer(old, new, x, rewrites):
    layer, messages = build_recording(old)
    modern, modern_messages = build_recording(new)
    assert modern_messages == []
    assert type(layer) is type(modern)
    # One warning per old argument, each giving its rewrite.
    assert len(messages) == len(rewrites), messages
    for text in rewrites:
        assert sum(text in m for m in messages) == 1, (text, messages)
    # Same output for the same weights (both called, i.e. built, first).
    expected = ops.convert_to_numpy(layer(x))
    modern(x)
    assert config_without_name(layer) == config_without_name(modern)
    modern.set_weights(layer.get_weights())
    np.testing.assert_allclose(ops.convert_to_numpy(modern(x)), expected,
                               rtol=1e-6, atol=1e-6)
    # Once: the same spelling again is silent.
    _, again = build_recording(old)
    assert again == []


def test_modern_positional_conv2d_keeps_keras3_meaning():
    layer, messages = build_recording(lambda: L.Conv2D(4, 3, 2))
    assert messages == []
    assert layer.kernel_size == (3, 3) and layer.strides == (2, 2)


def test_keras1_positional_conv1d_init_and_activation():
    layer, _ = build_recording(
        lambda: L.Convolution1D(4, 5, "zeros", "relu", None, "same", 2))
    assert layer.kernel_size == (5,) and layer.strides == (2,)
    assert layer.padding == "same"
    assert layer.activation is lamina.activations.get("relu")
    assert type(layer.kernel_initializer).__name__ == "Zeros"


def test_keras2_convolution1d_positional_strides():
    layer, messages = build_recording(lambda: L.Convolution1D(4, 3, 2))
    assert layer.strides == (2,) and messages == []


@pytest.mark.parametrize("make, expected_shape, rewrite", [
    (lambda: L.LSTM(3, input_dim=4, input_length=5), (None, 5, 4),
     "write LSTM(..., input_shape=(5, 4))"),
    (lambda: L.GRU(3, input_dim=4), (None, None, 4),
     "write GRU(..., input_shape=(None, 4))"),
    (lambda: L.Convolution1D(2, 3, input_dim=4, input_length=6),
     (None, 6, 4), "write Conv1D(..., input_shape=(6, 4))"),
    (lambda: L.Embedding(10, 3, input_length=7), (None, 7),
     "start the model with Input(shape=(7,))"),
])
def test_input_dim_and_length_become_the_input_shape(make, expected_shape,
                                                     rewrite):
    layer, messages = build_recording(make)
    assert sum(rewrite in m for m in messages) == 1, messages
    model = lamina.Sequential([layer])
    assert model.input_shape == expected_shape


def test_consume_less_changes_nothing():
    x = float_input((2, 4, 3))
    old, messages = build_recording(lambda: L.LSTM(2, consume_less="mem"))
    assert len(messages) == 1 and "ignored" in messages[0]
    new = L.LSTM(2)
    old(x)
    new(x)
    new.set_weights(old.get_weights())
    np.testing.assert_allclose(ops.convert_to_numpy(old(x)),
                               ops.convert_to_numpy(new(x)), rtol=1e-6)


@pytest.mark.parametrize("make, error, text", [
    (lambda: L.Conv2D(4, nb_row=3), TypeError, "nb_col"),
    (lambda: L.Conv2D(filters=4, nb_filter=4, kernel_size=3), TypeError,
     "pass only 'filters'"),
    (lambda: L.Conv2D(4, 3, border_mode="full"), ValueError,
     "ZeroPadding2D"),
    (lambda: L.Conv2D(4, 3, dim_ordering="channels_last"), ValueError,
     "'th', 'tf' or 'default'"),
    (lambda: L.MaxPooling2D(dim_ordering="xy"), ValueError, "dim_ordering"),
    (lambda: L.LSTM(3, forget_bias_init="normal"), ValueError,
     "unit_forget_bias"),
    (lambda: L.GRU(3, forget_bias_init="one"), TypeError,
     "forget_bias_init"),
    (lambda: L.LSTM(3, input_dim=2, input_shape=(4, 2)), TypeError,
     "input_dim"),
    (lambda: L.BatchNormalization(mode=2), ValueError, "mode"),
    (lambda: L.Embedding(5, 2, dropout=1.5), ValueError, "dropout"),
    (lambda: L.Convolution2D(4, 3, 3, "zeros", init="ones"), TypeError,
     "'init' both"),
    (lambda: L.Convolution2D(4, 3, 3, *([None] * 13)), TypeError,
     "positional"),
])
def test_bad_combinations_fail_clearly(make, error, text):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(error, match=text):
            make()


def test_embedding_word_dropout_drops_whole_words():
    rate = 0.5
    layer, messages = build_recording(
        lambda: L.Embedding(200, 3, dropout=rate))
    assert len(messages) == 1 and "word dropout" in messages[0]
    words = np.stack([np.arange(200), np.arange(200)[::-1]])
    table = ops.convert_to_numpy(layer(words))[0]  # inference: lookup
    out = ops.convert_to_numpy(layer(words, training=True))
    # Each word's vector is either dropped or scaled by 1 / (1 - rate),
    # the same way wherever it occurs in the batch.
    dropped = 0
    for word in range(200):
        rows = out[words == word]
        scale = rows / table[word]
        assert np.allclose(scale, 0) or np.allclose(scale, 1 / (1 - rate))
        assert np.allclose(rows, rows[0])
        dropped += bool(np.allclose(scale, 0))
    assert 60 < dropped < 140  # about rate * 200
    assert L.Embedding.from_config(layer.get_config()).dropout == rate
