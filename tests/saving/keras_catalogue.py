"""Models built the same way in lamina and in Keras 3, for interop tests.

Each builder takes the library (`lamina` or `keras`) and returns a model;
together they use every layer family. This module imports neither
library, so the interop test runs it here on lamina and, in a subprocess,
on Keras 3 (`import keras_catalogue`).
"""

import numpy as np


def mlp(lib):
    L = lib.layers
    return lib.Sequential([
        lib.Input((6,)), L.Dense(8, activation="relu"), L.Dropout(0.3),
        L.Dense(5, kernel_regularizer="l2", use_bias=False),
        L.ActivityRegularization(l1=0.01), L.Identity(),
        L.Dense(4), L.Activation("softmax")], name="mlp")


def conv2d(lib):
    L = lib.layers
    x = lib.Input((8, 8, 3))
    h = L.Conv2D(4, 3, padding="same")(x)
    h = L.BatchNormalization()(h)
    h = L.ReLU()(h)
    h = L.MaxPooling2D()(h)
    h = L.SeparableConv2D(4, 3, padding="same", depth_multiplier=2)(h)
    h = L.DepthwiseConv2D(3, padding="same")(h)
    h = L.Conv2DTranspose(3, 3, strides=2, padding="same")(h)
    h = L.ZeroPadding2D(1)(h)
    h = L.Cropping2D(((1, 0), (0, 1)))(h)
    h = L.UpSampling2D()(h)
    h = L.AveragePooling2D(2)(h)
    h = L.SpatialDropout2D(0.2)(h)
    a = L.GlobalAveragePooling2D()(h)
    b = L.GlobalMaxPooling2D()(h)
    c = L.Flatten()(L.Conv2D(2, 2, strides=2, dilation_rate=1)(h))
    return lib.Model(x, L.Dense(3)(L.Concatenate()([a, b, c])),
                     name="conv2d")


def conv1d(lib):
    L = lib.layers
    x = lib.Input((10, 3))
    h = L.Conv1D(4, 3, padding="causal", dilation_rate=2)(x)
    h = L.MaxPooling1D()(h)
    h = L.Conv1DTranspose(3, 3, strides=2)(h)
    h = L.SeparableConv1D(4, 3)(h)
    h = L.DepthwiseConv1D(2)(h)
    h = L.UpSampling1D(2)(h)
    h = L.ZeroPadding1D((1, 2))(h)
    h = L.Cropping1D((2, 1))(h)
    h = L.AveragePooling1D(2, padding="same")(h)
    h = L.LayerNormalization()(h)
    h = L.SpatialDropout1D(0.1)(h)
    return lib.Model(x, [L.GlobalMaxPooling1D()(h),
                         L.GlobalAveragePooling1D()(h)], name="conv1d")


def conv3d(lib):
    L = lib.layers
    x = lib.Input((4, 4, 4, 2))
    h = L.Conv3D(3, 2, padding="same")(x)
    h = L.Conv3DTranspose(2, 2, strides=2)(h)
    h = L.MaxPooling3D()(h)
    h = L.AveragePooling3D(2)(h)
    h = L.UpSampling3D(2)(h)
    h = L.ZeroPadding3D(1)(h)
    h = L.Cropping3D(1)(h)
    h = L.SpatialDropout3D(0.1)(h)
    return lib.Model(x, L.Add()([L.GlobalAveragePooling3D()(h),
                                 L.GlobalMaxPooling3D()(h)]), name="conv3d")


def recurrent(lib):
    L = lib.layers
    x = lib.Input((5, 3))
    h = L.Masking(0.0)(x)
    h = L.LSTM(4, return_sequences=True)(h)
    h = L.Bidirectional(L.GRU(2, return_sequences=True))(h)
    h = L.TimeDistributed(L.Dense(3))(h)
    h = L.GRU(3, return_sequences=True, reset_after=False)(h)
    h = L.RNN(L.StackedRNNCells([L.SimpleRNNCell(3), L.LSTMCell(2)]),
              return_sequences=True)(h)
    h = L.Bidirectional(L.LSTM(2), merge_mode="sum")(h)
    return lib.Model(x, L.RepeatVector(2)(h), name="recurrent")


def simple_rnn(lib):
    L = lib.layers
    x = lib.Input((4, 2))
    seq, state = L.SimpleRNN(3, return_sequences=True, return_state=True,
                             go_backwards=True)(x)
    h = L.GRU(2)(seq, initial_state=[L.Dense(2)(state)])
    return lib.Model(x, h, name="simple_rnn")


def conv_lstm(lib):
    L = lib.layers
    a, b = lib.Input((3, 6, 6, 1)), lib.Input((3, 7, 2))
    h = L.ConvLSTM2D(2, 3, padding="same", return_sequences=True)(a)
    h = L.ConvLSTM2D(2, 3)(h)
    g = L.ConvLSTM1D(3, 2)(b)
    return lib.Model([a, b], [L.Flatten()(h), L.Flatten()(g)],
                     name="conv_lstm")


def attention(lib):
    L = lib.layers
    q, v = lib.Input((4, 6)), lib.Input((5, 6))
    mha = L.MultiHeadAttention(num_heads=2, key_dim=3)(q, v)
    dot = L.Attention(use_scale=True)([q, v])
    additive = L.AdditiveAttention()([q, v])
    h = L.LayerNormalization(epsilon=1e-3)(L.Add()([mha, dot, additive]))
    return lib.Model([q, v], h, name="attention")


def text(lib):
    L = lib.layers
    x = lib.Input((6,), dtype="int32")
    h = L.Embedding(12, 4, mask_zero=True)(x)
    h = L.LSTM(3, return_sequences=True)(h)
    h = L.GlobalAveragePooling1D()(h)
    return lib.Model(x, L.Dense(2, activation="sigmoid")(h), name="text")


def merging(lib):
    L = lib.layers
    a, b = lib.Input((4,), name="left"), lib.Input((4,), name="right")
    parts = [L.Add()([a, b]), L.Subtract()([a, b]), L.Multiply()([a, b]),
             L.Average()([a, b]), L.Maximum()([a, b]), L.Minimum()([a, b]),
             L.Dot(axes=1)([a, b]), L.Dot(axes=1, normalize=True)([a, b])]
    merged = L.Concatenate(axis=-1)(parts)
    return lib.Model({"left": a, "right": b},
                     {"sum": L.Dense(2, name="sum")(merged),
                      "max": L.Dense(1, name="max")(parts[4])},
                     name="merging")


def reshaping(lib):
    L = lib.layers
    x = lib.Input((12,))
    h = L.Reshape((3, 4))(x)
    h = L.Permute((2, 1))(h)
    h = L.LeakyReLU(negative_slope=0.2)(h)
    h = L.PReLU()(h)
    h = L.ELU(alpha=0.5)(h)
    h = L.ReLU(max_value=1.0, threshold=0.1)(h)
    h = L.Flatten()(h)
    h = L.RepeatVector(2)(h)
    h = L.Softmax(axis=1)(h)
    return lib.Model(x, L.Activation("tanh")(h), name="reshaping")


def normalization(lib):
    L = lib.layers
    x = lib.Input((5, 4))
    h = L.GroupNormalization(groups=2)(x)
    h = L.BatchNormalization(axis=1, center=False)(h)
    h = L.LayerNormalization(rms_scaling=True)(h)
    h = L.UnitNormalization()(h)
    h = L.GaussianNoise(0.1)(h)
    h = L.GaussianDropout(0.1)(h)
    return lib.Model(x, L.AlphaDropout(0.1)(h), name="normalization")


def preprocessing(lib):
    L = lib.layers
    x = lib.Input((8, 8, 3))
    h = L.Rescaling(0.5, offset=-1.0)(x)
    h = L.Normalization(mean=[0.1, 0.2, 0.3], variance=[1.0, 2.0, 0.5])(h)
    h = L.CenterCrop(6, 6)(h)
    h = L.Resizing(3, 3, interpolation="nearest")(h)
    return lib.Model(x, h, name="preprocessing")


def categorical(lib):
    """CategoryEncoding and Discretization (no TensorFlow in Keras 3).
    Discretization keeps output_mode='int': Keras 3.15 gives the input's
    shape as the symbolic output of the other modes."""
    L = lib.layers
    ids, values = lib.Input((4,), dtype="int32"), lib.Input((3,))
    bins = L.Discretization(bin_boundaries=[-0.5, 0.0, 0.5])(values)
    h = L.Concatenate()([
        L.CategoryEncoding(num_tokens=12, output_mode="count")(ids),
        L.CategoryEncoding(num_tokens=4, output_mode="multi_hot")(bins)])
    return lib.Model([ids, values], L.Dense(2)(h), name="categorical")


def augmentation(lib):
    """Random augmentation layers: the identity in `predict`. (Not
    RandomCrop: Keras 3.15 returns uncropped images at inference; not
    RandomBrightness: Keras 3.15 can't write it to a legacy `.h5`.)"""
    L = lib.layers
    x = lib.Input((8, 8, 3))
    h = L.RandomFlip("horizontal", seed=1)(x)
    h = L.RandomRotation((-0.1, 0.2), fill_mode="constant", seed=2)(h)
    h = L.RandomZoom(0.2, (-0.1, 0.3), interpolation="nearest")(h)
    h = L.RandomTranslation(0.1, 0.2, fill_mode="wrap", seed=3)(h)
    h = L.RandomContrast(0.2, value_range=(-1, 1), seed=4)(h)
    return lib.Model(x, L.Conv2D(2, 3)(h), name="augmentation")


def nested(lib):
    L = lib.layers
    a, b = lib.Input((4,), name="a"), lib.Input((3,), name="b")
    shared = L.Dense(5, name="shared")
    x = L.Concatenate()([shared(a), L.Dense(5, activation="relu")(b)])
    inner_in = lib.Input((10,))
    inner = lib.Model(inner_in, L.Dense(2)(inner_in), name="inner")
    stack = lib.Sequential([lib.Input((10,)), L.Dense(3, activation="tanh"),
                            L.Dense(2)], name="stack")
    extra = L.Dense(2)(shared(L.Dense(4)(b)))
    y = L.Add()([inner(x), stack(x), extra])
    return lib.Model([a, b], [y, stack(x)], name="nested")


def lambda_layer(lib):
    L = lib.layers
    x = lib.Input((3,))
    h = L.Dense(3)(x)
    return lib.Model(x, L.Lambda(lambda t: t * 2.0 + 1.0)(h), name="lam")


def ops_graph(lib):
    """Slicing and `keras.ops` calls on symbolic tensors, which Keras 3
    records as op nodes in the file."""
    x = lib.Input((4, 3))
    h = lib.layers.Dense(4)(x)
    mask = lib.ops.any(lib.ops.not_equal(x, 0.0), axis=-1)
    h = lib.layers.GRU(3)(h[:, :, :3] * 2.0 + h[:, :, 1:], mask=mask)
    return lib.Model(x, lib.ops.sum(h, axis=1, keepdims=True) - h,
                     name="ops_graph")


def register(lib):
    """Defines and registers the custom layer `Catalogue>Scale`."""
    @lib.saving.register_keras_serializable(package="Catalogue")
    class Scale(lib.layers.Layer):
        def __init__(self, factor=2.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1],),
                                     initializer="ones", name="w")

        def call(self, x):
            return x * self.w * self.factor

        def get_config(self):
            return {**super().get_config(), "factor": self.factor}

    return Scale


def custom(lib):
    scale = register(lib)
    x = lib.Input((3,))
    return lib.Model(x, scale(0.5)(lib.layers.Dense(3)(x)), name="custom")


CATALOGUE = {f.__name__: f for f in (
    mlp, conv2d, conv1d, conv3d, recurrent, simple_rnn, conv_lstm,
    attention, text, merging, reshaping, normalization, preprocessing,
    augmentation, categorical, nested, lambda_layer, custom, ops_graph)}
KERAS_ONLY = {}


def _name(variable):
    return getattr(variable, "path", None) or variable.name


def randomize(model, seed=1):
    """Sets every float weight to seeded random values (variances > 0)."""
    rng = np.random.default_rng(seed)
    values = []
    for variable, value in zip(model.weights, model.get_weights()):
        if np.asarray(value).dtype.kind != "f":
            values.append(value)
            continue
        low = 0.5 if "variance" in _name(variable) else -0.6
        values.append(rng.uniform(low, low + 1.1, np.shape(value))
                      .astype(value.dtype))
    model.set_weights(values)


def inputs(model, seed=2):
    """Seeded data for the model's inputs (batch of 3), as a list."""
    rng = np.random.default_rng(seed)
    data = []
    for tensor in model.inputs:
        shape = (3,) + tuple(tensor.shape[1:])
        dtype = str(getattr(tensor.dtype, "name", tensor.dtype))
        if "int" in dtype:
            data.append(rng.integers(0, 12, shape).astype(dtype))
        else:
            data.append(rng.uniform(-1, 1, shape).astype("float32"))
    return data


def feed(model, data):
    """`data` in the structure the model takes (list or dict of inputs)."""
    structure = getattr(model, "_inputs_struct", None)
    if isinstance(structure, dict):
        return {key: data[i] for i, key in enumerate(sorted(structure))}
    return data if len(data) > 1 else data[0]


def outputs(prediction):
    """A model's prediction as a flat dict of arrays."""
    if isinstance(prediction, dict):
        return {k: np.asarray(v) for k, v in sorted(prediction.items())}
    if isinstance(prediction, (list, tuple)):
        return {str(i): np.asarray(v) for i, v in enumerate(prediction)}
    return {"0": np.asarray(prediction)}
