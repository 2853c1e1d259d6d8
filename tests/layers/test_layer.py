import numpy as np
import pytest

import lamina
from lamina import layers, ops


class Scale(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1],),
                                 initializer="ones", name="w")
        self.steps = self.add_weight(shape=(), initializer="zeros",
                                     trainable=False, name="steps")

    def call(self, inputs, training=None):
        if training:
            self.steps.assign_add(1.0)
        return inputs * self.w


def test_add_weight_trainable_and_not():
    layer = Scale()
    layer(np.ones((2, 3), "float32"))
    assert [v.name for v in layer.trainable_weights] == ["w"]
    assert [v.name for v in layer.non_trainable_weights] == ["steps"]
    assert [v.name for v in layer.weights] == ["w", "steps"]
    layer.trainable = False
    assert layer.trainable_weights == [] and len(
        layer.non_trainable_weights) == 2


def test_set_weights_checks_count_and_shapes():
    layer = Scale(name="scale_check")
    layer(np.ones((2, 3), "float32"))
    layer.set_weights([np.full(3, 2.0, "float32"), np.array(5.0, "float32")])
    np.testing.assert_allclose(layer.get_weights()[0], 2.0)
    with pytest.raises(ValueError, match="2 weights"):
        layer.set_weights([np.ones(3)])
    with pytest.raises(ValueError, match=r"\(3,\).*\(4,\)"):
        layer.set_weights([np.ones(4), np.array(1.0)])


def test_get_weights_are_copies():
    layer = layers.Dense(2)
    layer(np.ones((1, 2), "float32"))
    before = layer.get_weights()
    layer.kernel.assign_add(np.ones((2, 2), "float32"))
    assert not np.allclose(before[0], layer.get_weights()[0])


def test_training_flag_passed_down_to_nested_layers():
    class Outer(layers.Layer):
        def __init__(self):
            super().__init__()
            self.inner = Scale()

        def call(self, x):
            return self.inner(x)   # no training argument passed on

    outer = Outer()
    x = np.ones((1, 2), "float32")
    outer(x, training=True)
    outer(x, training=True)
    outer(x)
    assert float(outer.inner.steps.numpy()) == 2.0
    assert len(outer.weights) == 2


def test_unique_automatic_names():
    a, b = layers.Dense(1), layers.Dense(1)
    assert a.name != b.name and a.name.startswith("dense")
    assert Scale().name.startswith("scale")


def test_unknown_argument_names_the_layer():
    with pytest.raises(TypeError, match="Dense.*foo"):
        layers.Dense(2, foo=1)


def test_activity_regularizer_in_model_losses():
    from lamina import regularizers
    a = lamina.Input(shape=(2,))
    out = layers.Dense(2, kernel_initializer="ones",
                       activity_regularizer=regularizers.l2(1.0))(a)
    model = lamina.Model(a, out)
    model(np.ones((1, 2), "float32"))
    assert len(model.losses) == 1
    assert float(ops.convert_to_numpy(model.losses[0])) == pytest.approx(8.0)


def test_stateless_call_leaves_layer_untouched():
    layer = Scale()
    x = np.ones((1, 3), "float32")
    layer(x)
    w = ops.convert_to_tensor(np.full(3, 3.0, "float32"))
    out, nt = layer.stateless_call([w], [layer.steps.value], x,
                                   training=True)
    np.testing.assert_allclose(ops.convert_to_numpy(out), 3.0)
    assert float(ops.convert_to_numpy(nt[0])) == 1.0
    assert float(layer.steps.numpy()) == 0.0
    np.testing.assert_allclose(layer.w.numpy(), 1.0)


def test_count_params_before_build_is_clear():
    with pytest.raises(ValueError, match="not built"):
        layers.Dense(3).count_params()


def test_base_config_round_trip():
    layer = layers.Dense(3, name="d3", trainable=False, dtype="float64")
    clone = layers.Dense.from_config(layer.get_config())
    assert clone.name == "d3" and not clone.trainable and \
        clone.dtype == "float64"
