"""Files move between lamina and real Keras 3 (run in a subprocess, with
`KERAS_BACKEND=torch`, so the two libraries never share a process).

Skipped unless a Python with Keras 3 is found: `$LAMINA_KERAS_PYTHON`, or
this interpreter if it has `keras` installed. Keras is a test-only
dependency; lamina never imports it.
"""

import importlib.util
import inspect
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import lamina
from lamina import layers as L


def _keras_python():
    candidates = [os.environ.get("LAMINA_KERAS_PYTHON")]
    if importlib.util.find_spec("keras") is not None:
        candidates.append(sys.executable)
    for python in filter(None, candidates):
        try:
            done = subprocess.run(
                [python, "-c", "import keras; print(keras.__version__)"],
                check=False, capture_output=True, text=True, timeout=120,
                env=dict(os.environ, KERAS_BACKEND="torch"))
        except (OSError, subprocess.TimeoutExpired):
            continue
        if done.returncode == 0 and done.stdout.startswith("3."):
            return python
    return None


KERAS_PYTHON = _keras_python()
pytestmark = pytest.mark.skipif(KERAS_PYTHON is None,
                                reason="Keras 3 is not installed")


def _run_keras(script, workdir):
    """Runs `script` under Keras 3, after the shared `build` and `data`."""
    source = inspect.getsource(build) + inspect.getsource(data)
    done = subprocess.run(
        [KERAS_PYTHON, "-c", source + textwrap.dedent(script)], check=False,
        cwd=workdir, capture_output=True, text=True, timeout=300,
        env=dict(os.environ, KERAS_BACKEND="torch"))
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


# Run here on lamina and, as source, in the subprocess on Keras: the same
# graph in both libraries (two inputs, a merge, a nested functional model,
# a nested Sequential and a shared layer) and the same data.
def build(lib):
    layers = lib.layers
    a, b = lib.Input((4,), name="a"), lib.Input((3,), name="b")
    shared = layers.Dense(5, name="shared")
    x = layers.Concatenate()([shared(a),
                              layers.Dense(5, activation="relu")(b)])
    inner_in = lib.Input((10,))
    inner = lib.Model(inner_in, layers.Dense(2)(inner_in), name="inner")
    stack = lib.Sequential([lib.Input((10,)),
                            layers.Dense(3, activation="tanh"),
                            layers.Dense(2)], name="stack")
    extra = layers.Dense(2)(shared(layers.Dense(4)(b)))
    y = layers.Add()([inner(x), stack(x), extra])
    return lib.Model([a, b], y, name="graph")


def data():
    import numpy as np
    rng = np.random.default_rng(0)
    return (rng.random((6, 4), "float32"), rng.random((6, 3), "float32"),
            rng.random((6, 2), "float32"))


def test_keras_files_load_in_lamina(tmp_path):
    _run_keras("""
import numpy as np
import keras
xa, xb, target = data()
model = build(keras)
model.compile(optimizer="adam", loss="mse")
model.fit([xa, xb], target, epochs=2, batch_size=3, shuffle=False,
          verbose=0)
model.save("graph.keras")
model.save_weights("graph.weights.h5")
np.save("graph_pred.npy", model.predict([xa, xb], verbose=0))
np.savez("graph_opt.npz", *[v.numpy() for v in model.optimizer.variables])
seq = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3),
                        keras.layers.Dense(1, activation="sigmoid")])
seq.save("seq.keras")
np.save("seq_pred.npy", seq.predict(xa, verbose=0))
""", tmp_path)
    xa, xb, _ = data()
    model = lamina.models.load_model(tmp_path / "graph.keras")
    np.testing.assert_allclose(model.predict([xa, xb], verbose=0),
                               np.load(tmp_path / "graph_pred.npy"),
                               rtol=1e-5, atol=1e-6)
    assert model.compiled and type(model.optimizer).__name__ == "Adam"
    saved = np.load(tmp_path / "graph_opt.npz")
    state = [saved[f"arr_{i}"] for i in range(len(saved.files))]
    ours = [v.numpy() for v in model.optimizer.variables]
    assert len(ours) == len(state)
    for got, want in zip(ours, state):
        np.testing.assert_allclose(got, want, rtol=1e-6)
    fresh = build(lamina)
    fresh.load_weights(tmp_path / "graph.weights.h5")
    np.testing.assert_allclose(fresh.predict([xa, xb], verbose=0),
                               np.load(tmp_path / "graph_pred.npy"),
                               rtol=1e-5, atol=1e-6)
    seq = lamina.models.load_model(tmp_path / "seq.keras")
    np.testing.assert_allclose(seq.predict(xa, verbose=0),
                               np.load(tmp_path / "seq_pred.npy"),
                               rtol=1e-5, atol=1e-6)


def test_lamina_files_load_in_keras(tmp_path):
    xa, xb, target = data()
    model = build(lamina)
    model.compile(optimizer="adam", loss="mse")
    model.fit([xa, xb], target, epochs=2, batch_size=3, shuffle=False,
              verbose=0)
    model.save(tmp_path / "graph.keras")
    model.save_weights(tmp_path / "graph.weights.h5")
    np.save(tmp_path / "graph_pred.npy", model.predict([xa, xb], verbose=0))
    seq = lamina.Sequential([lamina.Input((4,)), L.Dense(3),
                             L.Dense(1, activation="sigmoid")])
    seq.save(tmp_path / "seq.keras")
    np.save(tmp_path / "seq_pred.npy", seq.predict(xa, verbose=0))
    # Training resumes the same way in Keras (the optimizer state lines up).
    model.fit([xa, xb], target, epochs=1, batch_size=3, shuffle=False,
              verbose=0)
    np.save(tmp_path / "resumed_pred.npy", model.predict([xa, xb],
                                                         verbose=0))
    out = _run_keras("""
import warnings
import numpy as np
import keras
xa, xb, target = data()
warnings.filterwarnings("error", message=".*Skipping")  # lost state
def check(got, path):
    np.testing.assert_allclose(got, np.load(path), rtol=1e-5, atol=1e-6)
model = keras.saving.load_model("graph.keras")
check(model.predict([xa, xb], verbose=0), "graph_pred.npy")
fresh = build(keras)
fresh.load_weights("graph.weights.h5")
check(fresh.predict([xa, xb], verbose=0), "graph_pred.npy")
model.fit([xa, xb], target, epochs=1, batch_size=3, shuffle=False,
          verbose=0)
np.testing.assert_allclose(model.predict([xa, xb], verbose=0),
                           np.load("resumed_pred.npy"), rtol=1e-4, atol=1e-5)
seq = keras.saving.load_model("seq.keras")
check(seq.predict(xa, verbose=0), "seq_pred.npy")
print("keras loaded", type(model.optimizer).__name__)
""", tmp_path)
    assert "keras loaded Adam" in out
