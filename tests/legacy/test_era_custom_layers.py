"""Custom layers written in the style of Keras 1, 2 and 3 run on lamina:
weights, symbolic shapes, training, saving and masks."""

import os

import numpy as np
import pytest

import lamina
from lamina import initializations, layers
from lamina.legacy import keras_backend as K
from lamina.saving import archive

RNG = np.random.default_rng(2)
X = RNG.normal(size=(64, 5)).astype("float32")
Y = (X @ RNG.normal(size=(5, 1))).astype("float32")


class Keras1Dense(layers.Layer):
    """Keras 1.0: `K.variable` weights listed in `trainable_weights`,
    attributes set before `super().__init__`, `get_output_shape_for`."""

    def __init__(self, output_dim, **kwargs):
        self.output_dim = output_dim
        self.input_spec = [layers.InputSpec(ndim=2)]
        super(Keras1Dense, self).__init__(**kwargs)  # noqa: UP008

    def build(self, input_shape):
        value = np.random.uniform(-0.1, 0.1, (input_shape[1],
                                              self.output_dim))
        self.W = K.variable(value)
        self.b = K.zeros((self.output_dim,))
        self.calls = K.variable(0.0)
        self.trainable_weights = [self.W, self.b]
        self.non_trainable_weights = [self.calls]
        self.built = True

    def call(self, x, mask=None):
        return K.dot(x, self.W) + self.b

    def get_output_shape_for(self, input_shape):
        return (input_shape[0], self.output_dim)

    def get_config(self):
        config = {"output_dim": self.output_dim}
        base_config = super(Keras1Dense, self).get_config()  # noqa: UP008
        return dict(list(base_config.items()) + list(config.items()))


class Keras1Init(layers.Layer):
    """Keras 1.0 with `self.init(shape, name=...)`: lamina's initializer
    gives an array, which the weight list turns into a variable."""

    def __init__(self, output_dim, **kwargs):
        self.output_dim = output_dim
        self.init = initializations.glorot_uniform
        super().__init__(**kwargs)

    def build(self, input_shape):
        self.W = self.init((input_shape[1], self.output_dim),
                           name=f"{self.name}_W")
        self.trainable_weights = [self.W]

    def call(self, x, mask=None):
        return K.tanh(K.dot(x, self.W))

    def get_output_shape_for(self, input_shape):
        return (input_shape[0], self.output_dim)


def _keras1_init(shape, name=None):
    return K.variable(np.full(shape, 0.01), name=name)


class Keras12Dense(layers.Layer):
    """Keras 1.2: `add_weight(shape, initializer, name, trainable,
    regularizer)` positionally, and `super().build()`."""

    def __init__(self, output_dim, **kwargs):
        self.output_dim = output_dim
        super().__init__(**kwargs)

    def build(self, input_shape):
        self.W = self.add_weight((input_shape[1], self.output_dim),
                                 "glorot_uniform", "W", True, "l2")
        self.b = self.add_weight((self.output_dim,), _keras1_init, "b")
        super(Keras12Dense, self).build()  # noqa: UP008

    def call(self, x, mask=None):
        return K.dot(x, self.W) + self.b

    def get_output_shape_for(self, input_shape):
        return (input_shape[0], self.output_dim)


class Keras2Dense(layers.Layer):
    """Keras 2: `add_weight(name, shape, ...)`, `compute_output_shape`."""

    def __init__(self, output_dim, **kwargs):
        self.output_dim = output_dim
        super().__init__(**kwargs)

    def build(self, input_shape):
        self.kernel = self.add_weight("kernel",
                                      (input_shape[1], self.output_dim),
                                      initializer="uniform", trainable=True)
        super(Keras2Dense, self).build(input_shape)  # noqa: UP008

    def call(self, inputs):
        return K.dot(inputs, self.kernel)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.output_dim)

    def get_config(self):
        return {**super().get_config(), "output_dim": self.output_dim}


class Keras3Dense(layers.Layer):
    """Keras 3: keyword `add_weight(shape=, initializer=)`, `lamina.ops`."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units),
                                 initializer="glorot_uniform")
        self.b = self.add_weight(shape=(self.units,), initializer="zeros")

    def call(self, inputs, training=None):
        return lamina.ops.matmul(inputs, self.w) + self.b


ERAS = [Keras1Dense, Keras1Init, Keras12Dense, Keras2Dense, Keras3Dense]


def _model(cls):
    a = lamina.Input(shape=(5,))
    custom = cls(3)
    h = custom(a)
    model = lamina.Model(a, layers.Dense(1)(h))
    return model, custom, h


@pytest.mark.parametrize("cls", ERAS)
def test_build_and_symbolic_shape(cls):
    _, custom, h = _model(cls)
    assert h.shape == (None, 3)
    trainable = [tuple(w.shape) for w in custom.trainable_weights]
    assert (5, 3) in trainable
    assert all(isinstance(w, lamina.backend.current().Variable)
               for w in custom.weights)
    out = custom(X)
    assert tuple(out.shape) == (64, 3)


def test_keras1_weight_lists():
    _, custom, _ = _model(Keras1Dense)
    assert [tuple(w.shape) for w in custom.trainable_weights] == [(5, 3),
                                                                  (3,)]
    assert custom.non_trainable_weights == [custom.calls]
    assert not custom.calls.trainable
    assert isinstance(custom.input_spec, list)
    with pytest.raises(ValueError, match="ndim=2"):
        custom(lamina.Input(shape=(5, 2)))
    _, init_layer, _ = _model(Keras1Init)
    # The attribute now holds the variable that the layer trains.
    assert init_layer.W is init_layer.trainable_weights[0]


def test_keras12_positional_add_weight():
    _, custom, _ = _model(Keras12Dense)
    assert [w.name for w in custom.weights] == ["W", "b"]
    assert custom.W.regularizer is not None and len(custom.losses) == 1
    np.testing.assert_allclose(custom.b.numpy(), 0.01)
    _, k2, _ = _model(Keras2Dense)
    assert k2.kernel.name == "kernel"
    assert np.abs(k2.kernel.numpy()).max() <= 0.05  # 'uniform'


def test_add_weight_positional_forms():
    layer = layers.Layer()
    w = layer.add_weight((2,), "ones", "float16")  # Keras 3: dtype third
    assert w.dtype == "float16" and w.name == "variable"
    v = layer.add_weight("v", (3,), None, "zeros")  # Keras 2
    assert v.name == "v" and v.shape == (3,)
    with pytest.raises(TypeError, match="both positionally"):
        layer.add_weight("v", (3,), shape=(3,))
    with pytest.raises(TypeError, match="at most"):
        layer.add_weight((1,), "ones", "n", True, None, None, 7)


@pytest.mark.requires_training
@pytest.mark.parametrize("cls", ERAS)
def test_fit_trains_the_custom_weights(cls):
    model, custom, _ = _model(cls)
    model.compile(optimizer="adam", loss="mse")
    before = [w.numpy() for w in custom.trainable_weights]
    frozen = [w.numpy() for w in custom.non_trainable_weights]
    history = model.fit(X, Y, epochs=6, batch_size=16, verbose=0)
    loss = history.history["loss"]
    assert loss[-1] < loss[0]
    for old, w in zip(before, custom.trainable_weights):
        assert not np.allclose(old, w.numpy())
    for old, w in zip(frozen, custom.non_trainable_weights):
        np.testing.assert_array_equal(old, w.numpy())


@pytest.mark.parametrize("cls", ERAS)
def test_weights_round_trip(cls, tmp_path):
    model, _, _ = _model(cls)
    path = os.path.join(tmp_path, "era.weights.h5")
    model.save_weights(path)
    other, _, _ = _model(cls)
    other.load_weights(path)
    np.testing.assert_allclose(other.predict(X, verbose=0),
                               model.predict(X, verbose=0), rtol=1e-6)


@pytest.mark.parametrize("cls", [Keras1Dense, Keras2Dense])
def test_config_round_trip(cls, tmp_path):
    model, _, _ = _model(cls)
    path = os.path.join(tmp_path, "era.keras")
    model.save(path)
    loaded = archive.load_model(path, custom_objects={cls.__name__: cls})
    np.testing.assert_allclose(loaded.predict(X, verbose=0),
                               model.predict(X, verbose=0), rtol=1e-6)


class ScaleKeepMask(layers.Layer):
    """Keras 1 masking: `supports_masking` set before `__init__`, and
    `compute_mask(self, input, input_mask=None)`."""

    def __init__(self, **kwargs):
        self.supports_masking = True
        super().__init__(**kwargs)

    def call(self, x, mask=None):
        return x * 2.0

    def compute_mask(self, input, input_mask=None):
        return input_mask


class MaskedMean(layers.Layer):
    def __init__(self, **kwargs):
        self.supports_masking = True
        super().__init__(**kwargs)

    def call(self, x, mask=None):
        weights = K.expand_dims(K.cast(mask, K.floatx()))
        return K.sum(x * weights, axis=1) / K.sum(weights, axis=1)

    def get_output_shape_for(self, input_shape):
        return (input_shape[0], input_shape[2])

    def compute_mask(self, input, input_mask=None):
        return None


def test_masks_through_keras1_compute_mask():
    a = lamina.Input(shape=(4,), dtype="int32")
    e = layers.Embedding(10, 3, mask_zero=True)(a)
    out = MaskedMean()(ScaleKeepMask()(e))
    assert out.shape == (None, 3)
    model = lamina.Model(a, out)
    tokens = np.array([[1, 2, 0, 0], [3, 0, 0, 0]])
    table = model.layers[1].get_weights()[0]
    want = np.stack([2 * table[[1, 2]].mean(0), 2 * table[[3]].mean(0)])
    np.testing.assert_allclose(model.predict(tokens, verbose=0), want,
                               rtol=1e-5, atol=1e-6)


def test_layer_input_and_output():
    a = lamina.Input(shape=(5,))
    dense = layers.Dense(2)
    out = dense(a)
    assert dense.input is a and dense.output is out
    assert dense.get_output_at(0) is out
    dense(lamina.Input(shape=(5,)))
    with pytest.raises(AttributeError, match="get_output_at"):
        dense.output  # noqa: B018
    with pytest.raises(AttributeError, match="not called"):
        layers.Dense(2).input  # noqa: B018
    model = lamina.Sequential([layers.Dense(3, input_shape=(5,)),
                               layers.Dense(1)])
    f = K.function([model.input], [model.layers[0].output])
    np.testing.assert_allclose(f([X])[0], K.eval(model.layers[0](X)),
                               rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("attr", ["regularizers", "constraints", "updates"])
def test_keras1_attributes_lamina_does_not_apply_are_errors(attr):
    class Old(layers.Layer):
        def build(self, input_shape):
            self.W = self.add_weight((input_shape[-1], 2), "uniform")
            setattr(self, attr, [object()])
            setattr(self, "regularizers" if attr != "regularizers"
                    else "constraints", [])  # empty boilerplate is fine

        def call(self, x, mask=None):
            return lamina.ops.matmul(x, self.W)
    with pytest.raises(ValueError, match=f"self.{attr}.*instead|"
                                         f"self.{attr}"):
        Old()(np.ones((1, 3), "float32"))
