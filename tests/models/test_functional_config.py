"""Functional model configs: Keras 3's schema, node indices, round trips."""

import json

import numpy as np
import pytest

import lamina
from lamina import layers as L
from lamina.models import Functional
from lamina.models.functional_config import (
    functional_config,
    functional_from_config,
    ordered_layers,
)
from lamina.saving.config import deserialize, serialize


def _same_predictions(a, b, inputs):
    np.testing.assert_allclose(a.predict(inputs, verbose=0),
                               b.predict(inputs, verbose=0), rtol=1e-6)


def _clone(model):
    """A new model from the JSON form of the config, same weights."""
    config = json.loads(json.dumps(model.get_config()))
    twin = type(model).from_config(config)
    twin.set_weights(model.get_weights())
    return twin


def _tensor_ref(name, node=0, index=0):
    return [name, node, index]


def test_single_input_schema():
    a = lamina.Input((4,), name="in_a")
    model = lamina.Model(a, L.Dense(3, name="d")(a), name="m")
    config = model.get_config()
    assert sorted(config) == ["input_layers", "layers", "name",
                              "output_layers", "trainable"]
    assert config["name"] == "m" and config["trainable"] is True
    # Keras 3 writes a single tensor as one [name, node, index] triple.
    assert config["input_layers"] == _tensor_ref("in_a")
    assert config["output_layers"] == _tensor_ref("d")
    entry_in, entry_d = config["layers"]
    assert entry_in["module"] == "keras.layers"
    assert entry_in["class_name"] == "InputLayer"
    assert entry_in["inbound_nodes"] == []
    assert entry_d["name"] == "d" and entry_d["registered_name"] is None
    (node,) = entry_d["inbound_nodes"]
    assert node == {"args": [{"class_name": "__keras_tensor__", "config": {
        "shape": [None, 4], "dtype": "float32",
        "keras_history": ["in_a", 0, 0]}}], "kwargs": {}}


def test_two_inputs_with_merge_round_trip():
    a, b = lamina.Input((4,), name="a"), lamina.Input((3,), name="b")
    merged = L.Concatenate()([L.Dense(5)(a), L.Dense(5)(b)])
    model = lamina.Model([a, b], L.Dense(2)(merged))
    config = model.get_config()
    assert config["input_layers"] == [["a", 0, 0], ["b", 0, 0]]
    concat = next(e for e in config["layers"]
                  if e["class_name"] == "Concatenate")
    args = concat["inbound_nodes"][0]["args"]
    assert len(args) == 1 and len(args[0]) == 2  # called on one list
    twin = _clone(model)
    assert twin.get_config() == config
    rng = np.random.default_rng(0)
    _same_predictions(model, twin, [rng.random((3, 4), "float32"),
                                    rng.random((3, 3), "float32")])


def test_dict_inputs_and_outputs():
    a, b = lamina.Input((2,), name="a"), lamina.Input((2,), name="b")
    total = L.Add()([a, b])
    model = lamina.Model({"x": a, "y": b}, {"sum": total, "a": a})
    config = model.get_config()
    assert config["input_layers"] == {"x": ["a", 0, 0], "y": ["b", 0, 0]}
    assert config["output_layers"] == {"sum": [total._history[0].name, 0,
                                               0], "a": ["a", 0, 0]}
    twin = _clone(model)
    data = {"x": np.ones((2, 2), "float32"), "y": np.ones((2, 2), "float32")}
    out = twin.predict(data, verbose=0)
    np.testing.assert_allclose(out["sum"], 2 * np.ones((2, 2)))


def test_shared_layer_node_indices():
    a, b = lamina.Input((4,), name="a"), lamina.Input((4,), name="b")
    shared = L.Dense(3, name="shared")
    merged = L.Subtract(name="diff")([shared(a), shared(b)])
    model = lamina.Model([a, b], merged)
    config = model.get_config()
    entry = next(e for e in config["layers"] if e["name"] == "shared")
    assert len(entry["inbound_nodes"]) == 2
    diff = next(e for e in config["layers"] if e["name"] == "diff")
    refs = [t["config"]["keras_history"]
            for t in diff["inbound_nodes"][0]["args"][0]]
    assert refs == [["shared", 0, 0], ["shared", 1, 0]]
    twin = _clone(model)
    assert len(twin.get_layer("shared")._inbound_nodes) == 2
    rng = np.random.default_rng(1)
    _same_predictions(model, twin, [rng.random((2, 4), "float32"),
                                    rng.random((2, 4), "float32")])


def test_node_indices_count_only_this_models_calls():
    shared = L.Dense(2, name="shared_elsewhere")
    other = lamina.Input((3,))
    lamina.Model(other, shared(other))  # node 0 belongs to another model
    a = lamina.Input((3,), name="x")
    model = lamina.Model(a, L.Activation("relu", name="act")(shared(a)))
    assert len(shared._inbound_nodes) == 2
    config = model.get_config()
    act = next(e for e in config["layers"] if e["name"] == "act")
    history = act["inbound_nodes"][0]["args"][0]["config"]["keras_history"]
    assert history == ["shared_elsewhere", 0, 0]
    entry = next(e for e in config["layers"]
                 if e["name"] == "shared_elsewhere")
    assert len(entry["inbound_nodes"]) == 1
    _same_predictions(model, _clone(model), np.ones((2, 3), "float32"))


def test_shared_layers_at_different_depths():
    # A(B(A(B(x)))): the second call of each layer waits for the first.
    x = lamina.Input((3,), name="x")
    dense_a, dense_b = L.Dense(3, name="A"), L.Dense(3, name="B")
    model = lamina.Model(x, dense_a(dense_b(dense_a(dense_b(x)))))
    assert [layer.name for layer in ordered_layers(model)] == ["x", "B", "A"]
    twin = _clone(model)
    assert twin.get_config() == model.get_config()
    _same_predictions(model, twin, np.arange(6, dtype="float32").reshape(
        2, 3))


def test_nested_functional_and_sequential():
    inner_in = lamina.Input((6,))
    inner = lamina.Model(inner_in, L.Dense(2)(inner_in), name="inner")
    stack = lamina.Sequential([lamina.Input((6,)), L.Dense(4), L.Dense(2)],
                              name="stack")
    x = lamina.Input((5,), name="x")
    h = L.Dense(6)(x)
    model = lamina.Model(x, L.Add()([inner(h), stack(h)]), name="outer")
    config = model.get_config()
    by_name = {e["name"]: e for e in config["layers"]}
    assert by_name["inner"]["class_name"] == "Functional"
    assert by_name["inner"]["module"] == "keras.src.models.functional"
    assert by_name["inner"]["registered_name"] == "Functional"
    assert by_name["stack"]["class_name"] == "Sequential"
    assert by_name["stack"]["module"] == "keras"
    twin = _clone(model)
    assert twin.get_config() == config
    assert type(twin.get_layer("stack")).__name__ == "Sequential"
    _same_predictions(model, twin, np.ones((2, 5), "float32"))


def test_layer_order_is_keras_order():
    # The order Keras 3 gives `model.layers` for this graph (checked with
    # Keras 3.15): deepest first, ties in first-visit order from outputs.
    a, b = lamina.Input((4,), name="a"), lamina.Input((3,), name="b")
    x = L.Concatenate(name="cat")([L.Dense(5, name="sh")(a),
                                   L.Dense(5, name="d")(b)])
    y1 = L.Dense(2, name="y1")(x)
    y2 = L.Dense(2, name="y2")(L.Dense(2, name="pre")(x))
    model = lamina.Model([a, b], L.Add(name="add")([y1, y2]))
    names = [layer.name for layer in ordered_layers(model)]
    assert names == ["a", "b", "sh", "d", "cat", "pre", "y1", "y2", "add"]
    assert [e["name"] for e in model.get_config()["layers"]] == names


def test_unconnected_input_is_kept():
    a, b = lamina.Input((2,), name="used"), lamina.Input((2,), name="unused")
    model = lamina.Model([a, b], L.Dense(1)(a))
    # As in Keras 3: an unconnected input sorts first among the outputs.
    names = [layer.name for layer in ordered_layers(model)]
    assert names == ["used", "unused", model.layers[-1].name]
    twin = _clone(model)
    assert len(twin.inputs) == 2


def test_constant_arguments_round_trip():
    x = lamina.Input((3,), name="x")
    y = L.Dense(3, name="d")(x) * 2.0 + np.array([1.0, 2.0, 3.0], "float32")
    model = lamina.Model(x, y)
    config = json.loads(json.dumps(model.get_config()))
    twin = Functional.from_config(config)
    twin.set_weights(model.get_weights())
    _same_predictions(model, twin, np.ones((2, 3), "float32"))


def test_serialize_deserialize_model_as_layer():
    x = lamina.Input((3,))
    model = lamina.Model(x, L.Dense(2)(x))
    entry = serialize(model)
    assert entry["class_name"] == "Functional"
    assert entry["module"] == "keras.src.models.functional"
    for class_name in ("Functional", "Model"):
        rebuilt = deserialize(dict(entry, class_name=class_name,
                                   registered_name=None), "layers")
        assert isinstance(rebuilt, lamina.models.Functional)
    seq = lamina.Sequential([lamina.Input((3,)), L.Dense(2)])
    assert isinstance(deserialize(serialize(seq), "layers"),
                      lamina.Sequential)


def test_keras2_node_lists():
    # tf.keras 2.x wrote each call as [[layer, node, tensor, kwargs], ...].
    config = {
        "name": "k2", "layers": [
            {"class_name": "InputLayer", "name": "in", "inbound_nodes": [],
             "config": {"batch_input_shape": [None, 3], "dtype": "float32",
                        "name": "in"}},
            {"class_name": "Dense", "name": "d", "config": {
                "name": "d", "units": 2},
             "inbound_nodes": [[["in", 0, 0, {}]]]},
            {"class_name": "Add", "name": "add", "config": {"name": "add"},
             "inbound_nodes": [[["d", 0, 0, {}], ["d", 0, 0, {}]]]}],
        "input_layers": [["in", 0, 0]], "output_layers": [["add", 0, 0]]}
    model = functional_from_config(lamina.Model, config)
    assert model.output_shape == (None, 2)


def test_from_config_errors():
    x = lamina.Input((3,))
    config = lamina.Model(x, L.Dense(2)(x)).get_config()
    with pytest.raises(ValueError, match="output_layers"):
        functional_from_config(lamina.Model, {"name": "m",
                                              "layers": [], "input_layers": []})
    broken = json.loads(json.dumps(config))
    broken["output_layers"] = ["nope", 0, 0]
    with pytest.raises(ValueError, match="'nope'"):
        Functional.from_config(broken)
    loop = json.loads(json.dumps(config))
    dense = loop["layers"][1]
    dense["inbound_nodes"][0]["args"][0]["config"]["keras_history"] = [
        dense["name"], 0, 0]
    with pytest.raises(ValueError, match="need tensors"):
        Functional.from_config(loop)


def test_functional_config_function_matches_method():
    x = lamina.Input((3,))
    model = lamina.Model(x, L.Dense(2)(x))
    assert functional_config(model) == model.get_config()
