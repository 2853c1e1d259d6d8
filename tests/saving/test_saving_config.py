"""`lamina.saving.config` (named so as not to clash with lamina/config.py's
tests): module names as Keras 3 writes them, model lookup, Keras 3 extras,
safe mode and custom objects."""

import numpy as np
import pytest

import lamina
from lamina import layers as L
from lamina.saving import config as config_lib
from lamina.saving.config import deserialize, serialize


def test_module_names_are_keras_3s():
    a = lamina.Input((3,), name="x")
    functional = lamina.Model(a, L.Dense(2)(a))
    sequential = lamina.Sequential([lamina.Input((3,)), L.Dense(2)])
    input_entry = serialize(a._history[0])
    assert (input_entry["module"], input_entry["class_name"]) == (
        "keras.layers", "InputLayer")
    assert input_entry["config"]["batch_shape"] == [None, 3]
    entry = serialize(functional)
    assert (entry["module"], entry["class_name"], entry["registered_name"]) \
        == ("keras.src.models.functional", "Functional", "Functional")
    entry = serialize(sequential)
    assert (entry["module"], entry["class_name"], entry["registered_name"]) \
        == ("keras", "Sequential", None)
    assert serialize(L.Dense(2))["module"] == "keras.layers"
    assert serialize(lamina.initializers.Zeros())["module"] == \
        "keras.initializers"


@pytest.mark.parametrize("name", ["Functional", "Model", "Sequential"])
def test_layers_kind_finds_models(name):
    assert config_lib.find_class(name, "layers") is getattr(
        lamina.models, name)


def test_keras3_switched_off_extras_are_dropped():
    # Keras 3.15 writes options lamina's layers don't have; null/false
    # values mean "off" and are dropped, anything else still errors.
    entry = {"module": "keras.layers", "class_name": "Dense",
             "registered_name": None, "config": {
                 "name": "d", "units": 2, "quantization_config": None,
                 "dtype": {"module": "keras", "class_name": "DTypePolicy",
                           "config": {"name": "float32"},
                           "registered_name": None,
                           "shared_object_id": 1234}}}
    layer = deserialize(entry, "layers")
    assert layer.units == 2 and layer.dtype == "float32"
    entry["config"]["quantization_config"] = {"mode": "int8"}
    with pytest.raises(TypeError, match="quantization_config"):
        deserialize(entry, "layers")
    init = deserialize({"module": "keras.initializers",
                        "class_name": "GlorotUniform", "registered_name": None,
                        "config": {"seed": 3, "input_axes": None,
                                   "output_axes": None}}, "initializers")
    assert init.get_config()["seed"] == 3


def test_keras2_configs_are_not_filtered():
    # No "module" key: a Keras 1/2 config, whose keys are passed as given.
    with pytest.raises(TypeError):
        deserialize({"class_name": "Dense", "config": {
            "units": 2, "not_an_argument": None}}, "layers")


def test_custom_objects_reach_nested_configs():
    class Doubling(L.Layer):
        def call(self, x):
            return x * 2.0

    a = lamina.Input((2,))
    inner = lamina.Model(a, Doubling(name="double")(a), name="inner")
    b = lamina.Input((2,))
    outer = lamina.Model(b, inner(b))
    entry = serialize(outer)
    with pytest.raises(ValueError, match="Doubling"):
        deserialize(entry, "layers")
    model = deserialize(entry, "layers", {"Doubling": Doubling})
    assert isinstance(model.get_layer("inner").get_layer("double"), Doubling)


def test_safe_mode_scope_guards_lambdas():
    a = lamina.Input((2,))
    model = lamina.Model(a, L.Lambda(lambda t: t + 1.0)(a))
    entry = serialize(model)
    with pytest.raises(ValueError, match="safe_mode"):
        deserialize(entry, "layers")
    assert config_lib.in_safe_mode()
    with config_lib.SafeModeScope(False):
        assert not config_lib.in_safe_mode()
        rebuilt = deserialize(entry, "layers")
    assert config_lib.in_safe_mode()
    out = rebuilt.predict(np.array([[1.0, 2.0]], "float32"), verbose=0)
    assert out.tolist() == [[2.0, 3.0]]
