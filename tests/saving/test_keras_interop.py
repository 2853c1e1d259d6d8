"""Files move between lamina and real Keras 3 (run in a subprocess, with
`KERAS_BACKEND=torch`, so the two libraries never share a process).

Skipped unless a Python with Keras 3 is found: `$LAMINA_KERAS_PYTHON`, or
this interpreter if it has `keras` installed. Keras is a test-only
dependency; lamina never imports it.
"""

import importlib.util
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
                capture_output=True, text=True, timeout=120,
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
    done = subprocess.run(
        [KERAS_PYTHON, "-c", textwrap.dedent(script)], cwd=workdir,
        capture_output=True, text=True, timeout=300,
        env=dict(os.environ, KERAS_BACKEND="torch"))
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


# The same graph in both libraries: two inputs, a merge, a nested
# functional model, a nested Sequential and a shared layer.
GRAPH = """
def build(lib):
    L = lib.layers
    a, b = lib.Input((4,), name="a"), lib.Input((3,), name="b")
    shared = L.Dense(5, name="shared")
    x = L.Concatenate()([shared(a), L.Dense(5, activation="relu")(b)])
    inner_in = lib.Input((10,))
    inner = lib.Model(inner_in, L.Dense(2)(inner_in), name="inner")
    stack = lib.Sequential([lib.Input((10,)), L.Dense(3, activation="tanh"),
                            L.Dense(2)], name="stack")
    y = L.Add()([inner(x), stack(x), L.Dense(2)(shared(L.Dense(4)(b)))])
    return lib.Model([a, b], y, name="graph")
"""

DATA = """
import numpy as np
rng = np.random.default_rng(0)
xa, xb = rng.random((6, 4), "float32"), rng.random((6, 3), "float32")
target = rng.random((6, 2), "float32")
"""


def _data():
    scope = {}
    exec(DATA, scope)
    return scope["xa"], scope["xb"], scope["target"]


def _build_lamina():
    scope = {}
    exec(GRAPH, scope)
    return scope["build"](lamina)


def test_keras_files_load_in_lamina(tmp_path):
    _run_keras(GRAPH + DATA + """
import keras
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
    xa, xb, _ = _data()
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
    fresh = _build_lamina()
    fresh.load_weights(tmp_path / "graph.weights.h5")
    np.testing.assert_allclose(fresh.predict([xa, xb], verbose=0),
                               np.load(tmp_path / "graph_pred.npy"),
                               rtol=1e-5, atol=1e-6)
    seq = lamina.models.load_model(tmp_path / "seq.keras")
    np.testing.assert_allclose(seq.predict(xa, verbose=0),
                               np.load(tmp_path / "seq_pred.npy"),
                               rtol=1e-5, atol=1e-6)


def test_lamina_files_load_in_keras(tmp_path):
    xa, xb, target = _data()
    model = _build_lamina()
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
    ours = [v.numpy() for v in model.optimizer.variables]
    np.savez(tmp_path / "graph_opt.npz", *ours)
    out = _run_keras(GRAPH + DATA + """
import warnings
import keras
warnings.simplefilter("error")  # e.g. "Skipping variable loading"
def check(got, path):
    np.testing.assert_allclose(got, np.load(path), rtol=1e-5, atol=1e-6)
model = keras.saving.load_model("graph.keras")
check(model.predict([xa, xb], verbose=0), "graph_pred.npy")
saved = np.load("graph_opt.npz")
state = [v.numpy() for v in model.optimizer.variables]
assert len(state) == len(saved.files), (len(state), len(saved.files))
for i, value in enumerate(state):
    np.testing.assert_allclose(value, saved[f"arr_{i}"], rtol=1e-6)
fresh = build(keras)
fresh.load_weights("graph.weights.h5")
check(fresh.predict([xa, xb], verbose=0), "graph_pred.npy")
seq = keras.saving.load_model("seq.keras")
check(seq.predict(xa, verbose=0), "seq_pred.npy")
print("keras loaded", type(model.optimizer).__name__)
""", tmp_path)
    assert "keras loaded Adam" in out
