"""Custom objects, code in files and subclassed models: registration,
`custom_objects=`, clear errors for what is missing, `safe_mode`."""

import json
import zipfile

import numpy as np
import pytest

import lamina
from lamina import layers as L
from lamina import ops
from lamina.saving import functions


@lamina.saving.register_keras_serializable(package="Tests")
class Scale(L.Layer):
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


class Unregistered(Scale):
    pass


def _model(layer):
    x = lamina.Input((3,))
    return lamina.Model(x, layer(L.Dense(3)(x)))


def _data():
    return np.random.default_rng(0).random((4, 3), "float32")


def test_registered_layer_round_trips_without_custom_objects(tmp_path):
    model = _model(Scale(0.5))
    model.get_layer(index=-1).w.assign(np.array([1.0, 2.0, 3.0],
                                                "float32"))
    model.save(tmp_path / "m.keras")
    with zipfile.ZipFile(tmp_path / "m.keras") as z:
        entry = json.loads(z.read("config.json"))["config"]["layers"][-1]
    assert entry["registered_name"] == "Tests>Scale"
    loaded = lamina.models.load_model(tmp_path / "m.keras")
    assert type(loaded.layers[-1]) is Scale
    assert loaded.layers[-1].factor == 0.5
    np.testing.assert_array_equal(loaded.predict(_data(), verbose=0),
                                  model.predict(_data(), verbose=0))


def test_registration_names():
    assert lamina.utils.register_keras_serializable is \
        lamina.saving.register_keras_serializable
    assert lamina.saving.get_registered_name(Scale) == "Tests>Scale"
    assert lamina.utils.get_custom_objects()["Tests>Scale"] is Scale
    assert lamina.saving.get_registered_object("Tests>Scale") is Scale


def test_missing_custom_class_is_named_with_the_fix(tmp_path):
    model = _model(Unregistered(3.0))
    model.save(tmp_path / "m.keras")
    with pytest.raises(ValueError) as caught:
        lamina.models.load_model(tmp_path / "m.keras")
    message = str(caught.value)
    assert "'Unregistered'" in message
    assert "custom_objects={'Unregistered': Unregistered}" in message
    assert "register_keras_serializable" in message
    loaded = lamina.models.load_model(
        tmp_path / "m.keras", custom_objects={"Unregistered": Unregistered})
    np.testing.assert_array_equal(loaded.predict(_data(), verbose=0),
                                  model.predict(_data(), verbose=0))
    for scope in (lamina.utils.CustomObjectScope,
                  lamina.utils.custom_object_scope):
        with scope({"Unregistered": Unregistered}):
            assert type(lamina.models.load_model(
                tmp_path / "m.keras").layers[-1]) is Unregistered


def test_get_custom_objects_dict_registers(tmp_path):
    class Doubler(L.Layer):
        def call(self, x):
            return x * 2.0

    model = _model(Doubler())
    model.save(tmp_path / "m.keras")
    custom = lamina.utils.get_custom_objects()
    custom["Doubler"] = Doubler
    try:
        loaded = lamina.models.load_model(tmp_path / "m.keras")
    finally:
        del custom["Doubler"]
    assert type(loaded.layers[-1]) is Doubler


def test_lambda_needs_safe_mode_off_and_keeps_defaults_and_closure(
        tmp_path):
    offset = 1.5
    x = lamina.Input((2,))
    model = lamina.Model(x, L.Lambda(lambda t, k=3.0: t * k + offset)(x))
    model.save(tmp_path / "lambda.keras")
    with zipfile.ZipFile(tmp_path / "lambda.keras") as z:
        layer = json.loads(z.read("config.json"))["config"]["layers"][-1]
    stored = layer["config"]["function"]
    assert stored["class_name"] == "__lambda__"
    assert stored["config"]["defaults"] == [3.0]  # Keras 3's fields
    assert stored["config"]["closure"] == [1.5]
    with pytest.raises(ValueError, match="safe_mode=False"):
        lamina.models.load_model(tmp_path / "lambda.keras")
    loaded = lamina.models.load_model(tmp_path / "lambda.keras",
                                      safe_mode=False)
    data = np.ones((1, 2), "float32")
    np.testing.assert_allclose(loaded.predict(data, verbose=0),
                               data * 3.0 + 1.5)


def test_functions_by_name_are_resolved_safely():
    # A lamina (or Keras) function by name loads in safe mode; a function
    # from any other module would be imported, so it needs safe_mode=False.
    config = functions.serialize_function(ops.square)
    assert functions.deserialize_function(config) is ops.square
    keras_fn = {"module": "keras.src.ops.numpy", "class_name": "function",
                "config": "square", "registered_name": "square"}
    assert functions.deserialize_function(keras_fn) is ops.square
    foreign = {"module": "os", "class_name": "function",
               "config": "getcwd", "registered_name": None}
    with pytest.raises(ValueError, match="safe_mode=False"):
        functions.deserialize_function(foreign)
    import os
    assert functions.deserialize_function(foreign,
                                          safe_mode=False) is os.getcwd


@lamina.saving.register_keras_serializable(package="Tests")
class Tiny(lamina.Model):
    def __init__(self, units=3, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.hidden = L.Dense(units, activation="relu")
        self.out = L.Dense(2)

    def call(self, x):
        return self.out(self.hidden(x))

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def test_subclassed_model_builds_from_build_config(tmp_path):
    model = Tiny(4)
    data = np.random.default_rng(1).random((2, 5), "float32")
    expected = model.predict(data, verbose=0)
    model.save(tmp_path / "tiny.keras")
    with zipfile.ZipFile(tmp_path / "tiny.keras") as z:
        config = json.loads(z.read("config.json"))
    assert config["build_config"] == {"input_shape": [None, 5]}
    loaded = lamina.models.load_model(tmp_path / "tiny.keras")
    assert type(loaded) is Tiny and loaded.units == 4
    np.testing.assert_array_equal(loaded.predict(data, verbose=0),
                                  expected)


def test_keras_op_nodes_load():
    # What Keras 3 writes for `h[:, :2] * 2.0` and `ops.sum(h, axis=1)`.
    def tensor(name):
        return {"class_name": "__keras_tensor__",
                "config": {"keras_history": [name, 0, 0]}}
    config = {"name": "ops", "trainable": True, "layers": [
        {"module": "keras.layers", "class_name": "InputLayer",
         "name": "x", "inbound_nodes": [],
         "config": {"batch_shape": [None, 3], "dtype": "float32",
                    "name": "x"}},
        {"module": "keras.src.ops.numpy", "class_name": "GetItem",
         "registered_name": "GetItem", "name": "get_item",
         "config": {"name": "get_item"},
         "inbound_nodes": [{"args": [tensor("x"), [
             {"class_name": "__slice__",
              "config": {"start": None, "stop": None, "step": None}},
             {"class_name": "__slice__",
              "config": {"start": None, "stop": 2, "step": None}}]],
             "kwargs": {}}]},
        {"module": "keras.src.ops.numpy", "class_name": "Multiply",
         "registered_name": "Multiply", "name": "multiply",
         "config": {"name": "multiply"},
         "inbound_nodes": [{"args": [tensor("get_item"), 2.0],
                            "kwargs": {}}]},
        {"module": "keras.src.ops.numpy", "class_name": "Sum",
         "registered_name": "Sum", "name": "sum",
         "config": {"name": "sum", "axis": 1, "keepdims": True},
         "inbound_nodes": [{"args": [tensor("multiply")], "kwargs": {}}]}],
        "input_layers": ["x", 0, 0], "output_layers": ["sum", 0, 0]}
    text = json.dumps({"module": "keras.src.models.functional",
                       "class_name": "Functional", "config": config,
                       "registered_name": "Functional"})
    model = lamina.models.model_from_json(text)
    data = np.arange(6, dtype="float32").reshape(2, 3)
    np.testing.assert_allclose(model.predict(data, verbose=0),
                               (data[:, :2] * 2.0).sum(1, keepdims=True))
    again = json.loads(model.to_json())["config"]["layers"]
    assert [e["class_name"] for e in again] == ["InputLayer", "GetItem",
                                                "Multiply", "Sum"]
    assert again[-1]["config"] == {"name": "sum", "axis": 1,
                                   "keepdims": True}
