"""`Model.export(path, format="onnx")`: the exported file, run in
onnxruntime, gives what `predict` gives; other formats and other
backends are clear errors."""

import numpy as np
import pytest

import lamina
from lamina import layers as L
from lamina.ops._bind import B

ON_TORCH = B.name == "torch"


def _mlp():
    return lamina.Sequential([lamina.Input((6,)),
                              L.Dense(8, activation="relu"), L.Dropout(0.5),
                              L.Dense(3, activation="softmax")])


def _convnet():
    x = lamina.Input((8, 8, 3))
    h = L.Conv2D(4, 3, padding="same", activation="relu")(x)
    h = L.BatchNormalization()(h)
    h = L.Flatten()(L.MaxPooling2D()(h))
    return lamina.Model(x, L.Dense(2)(h))


def _lstm():
    x = lamina.Input((5, 3))
    h = L.LSTM(4, return_sequences=True)(x)
    return lamina.Model(x, L.Dense(2)(L.GRU(3)(h)))


@pytest.mark.skipif(not ON_TORCH, reason="ONNX export needs torch")
@pytest.mark.parametrize("make", [_mlp, _convnet, _lstm],
                         ids=["mlp", "convnet", "lstm"])
def test_onnx_matches_predict(tmp_path, make, capsys):
    ort = pytest.importorskip("onnxruntime")
    pytest.importorskip("onnxscript")
    model = make()
    rng = np.random.default_rng(0)
    model.set_weights([rng.uniform(0.5, 1.5, w.shape).astype("float32")
                       if "variance" in v.name else
                       rng.normal(size=w.shape).astype("float32") * 0.5
                       for v, w in zip(model.weights, model.get_weights())])
    path = tmp_path / "m.onnx"
    model.export(path, format="onnx")
    assert "m.onnx" in capsys.readouterr().out
    session = ort.InferenceSession(str(path))
    for batch in (1, 5):  # the batch axis is free
        x = rng.random((batch,) + tuple(model.inputs[0].shape[1:]),
                       "float32")
        got = session.run(None, {session.get_inputs()[0].name: x})[0]
        np.testing.assert_allclose(got, model.predict(x, verbose=0),
                                   rtol=1e-5, atol=1e-5)
    assert all(v.value.requires_grad for v in model.trainable_weights)


@pytest.mark.parametrize("fmt", ["torch", "tf_saved_model"])
def test_unsupported_format_lists_supported(tmp_path, fmt):
    with pytest.raises(ValueError, match="Supported formats: 'onnx'"):
        _mlp().export(tmp_path / "m.bin", format=fmt)


@pytest.mark.skipif(ON_TORCH, reason="the error is for other backends")
def test_other_backends_explain(tmp_path):
    with pytest.raises(RuntimeError, match="LAMINA_BACKEND=torch"):
        _mlp().export(tmp_path / "m.onnx")
    assert not (tmp_path / "m.onnx").exists()
