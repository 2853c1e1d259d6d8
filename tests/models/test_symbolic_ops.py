"""`lamina.ops`, loss functions and `keras.backend` functions called on
symbolic tensors while drawing a model (Keras 3 records op nodes; Keras 2
allowed backend and loss functions): values against NumPy, configs by
round trip."""

import json
import zipfile

import numpy as np
import pytest

import lamina
from lamina import losses, ops
from lamina.legacy import keras_backend as K
from lamina.saving import keras_ops


def _inputs():
    rng = np.random.default_rng(0)
    return [rng.random((3, 4)).astype("float32") for _ in range(2)]


def _ops_model():
    a, b = lamina.Input((4,)), lamina.Input((4,))
    c = ops.concatenate([ops.exp(a), b], axis=-1)
    d = ops.sum(ops.square(c), 1, keepdims=True)  # axis positionally
    e = ops.clip(ops.cast(d - ops.mean(b), "float32"), 0.5, 30.0)
    return lamina.Model([a, b], [e, ops.max(c, axis=-1)])


def _ops_reference(xa, xb):
    c = np.concatenate([np.exp(xa), xb], axis=-1)
    d = np.sum(c ** 2, axis=1, keepdims=True)
    return np.clip(d - xb.mean(), 0.5, 30.0), c.max(-1)


def test_ops_on_symbolic_tensors_record_keras_op_nodes():
    model = _ops_model()
    names = [type(l).__name__ for l in model.layers]
    assert names == ["InputLayer", "Exp", "InputLayer", "Concatenate",
                     "Square", "Sum", "Mean", "TensorOp", "Cast", "Clip",
                     "Max"]
    sum_op = model.layers[5]
    assert isinstance(sum_op, keras_ops.KerasOp)
    # As Keras 3 splits them: tensors are call arguments, settings config.
    assert sum_op.get_config() == {"name": sum_op.name, "axis": 1,
                                   "keepdims": True}
    got = model.predict(_inputs(), verbose=0)
    for g, w in zip(got, _ops_reference(*_inputs())):
        np.testing.assert_allclose(g, w, rtol=1e-5)


def test_op_nodes_round_trip_through_a_keras_file(tmp_path):
    model = _ops_model()
    path = str(tmp_path / "ops.keras")
    model.save(path)
    with zipfile.ZipFile(path) as archive:
        config = json.loads(archive.read("config.json"))
    entries = {e["class_name"]: e for e in config["config"]["layers"]}
    assert entries["Clip"]["module"] == "keras.src.ops.numpy"
    assert entries["Clip"]["config"]["x_min"] == 0.5
    assert entries["Cast"]["config"]["dtype"] == "float32"
    loaded = lamina.saving.load_model(path)
    for g, w in zip(loaded.predict(_inputs(), verbose=0),
                    model.predict(_inputs(), verbose=0)):
        np.testing.assert_array_equal(g, w)


def test_loss_function_on_symbolic_tensors():
    a, b = lamina.Input((4,)), lamina.Input((4,))
    per_sample = losses.binary_crossentropy(a, ops.sigmoid(b))
    model = lamina.Model([a, b], per_sample)
    xa, xb = _inputs()
    p = 1.0 / (1.0 + np.exp(-xb))
    want = -np.mean(xa * np.log(p) + (1 - xa) * np.log(1 - p), axis=-1)
    np.testing.assert_allclose(model.predict([xa, xb], verbose=0), want,
                               rtol=1e-5)


def test_backend_functions_record_a_call_that_is_not_saved(tmp_path):
    a = lamina.Input((4,))
    model = lamina.Model(a, K.sum(K.square(a), axis=-1))
    x = _inputs()[0]
    np.testing.assert_allclose(model.predict(x, verbose=0),
                               (x ** 2).sum(-1), rtol=1e-5)
    with pytest.raises(TypeError, match="Lambda"):
        model.save(str(tmp_path / "k.keras"))


def test_numpy_arrays_and_numbers_combine_with_symbolic_tensors():
    a = lamina.Input((4,))
    offset = np.arange(4, dtype="float32")
    out = offset + a  # NumPy defers to the symbolic tensor
    out = 2.0 * out - ops.ones((4,))
    assert out.shape == (None, 4)
    model = lamina.Model(a, out)
    x = _inputs()[0]
    np.testing.assert_allclose(model.predict(x, verbose=0),
                               2.0 * (offset + x) - 1.0, rtol=1e-6)
    assert ops.shape(a) == (None, 4)


def test_ops_on_concrete_tensors_are_unchanged():
    x = _inputs()[0]
    np.testing.assert_allclose(ops.convert_to_numpy(ops.sum(x, axis=1)),
                               x.sum(1), rtol=1e-6)
    assert ops.exp.__name__ == "exp" and ops.exp.__module__ == "lamina.ops"
