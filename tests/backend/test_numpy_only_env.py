"""In a fresh environment with only NumPy and h5py (no torch, no jax),
lamina's NumPy backend loads weights saved on torch and predicts the same
values."""

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import lamina
from lamina import layers
from lamina.ops._bind import B

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(lamina.__file__)))


@pytest.mark.skipif(B.name != "torch", reason="run once, from torch")
def test_numpy_only_environment_predicts_like_torch(tmp_path):
    lamina.utils.set_random_seed(1)
    a = lamina.Input(shape=(6,))
    b = lamina.Input(shape=(6,))
    h = layers.Concatenate()([layers.Dense(8, activation="relu")(a),
                              layers.Dense(8, activation="tanh")(b)])
    out = layers.Dense(3, activation="softmax")(layers.Dropout(0.5)(h))
    model = lamina.Model([a, b], out)
    weights = tmp_path / "m.weights.h5"
    model.save_weights(str(weights))
    rng = np.random.default_rng(0)
    xa, xb = (rng.normal(size=(5, 6)).astype("float32") for _ in range(2))
    np.save(tmp_path / "xa.npy", xa)
    np.save(tmp_path / "xb.npy", xb)
    want = model.predict([xa, xb], verbose=0)

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    install = subprocess.run(
        [python, "-m", "pip", "install", "-q", "numpy", "h5py"],
        capture_output=True, text=True, timeout=600)
    if install.returncode != 0:
        pytest.skip(f"could not install numpy/h5py: {install.stderr[-300:]}")
    script = textwrap.dedent(f"""
        import sys
        import numpy as np
        import lamina
        from lamina import layers
        assert "torch" not in sys.modules and "jax" not in sys.modules
        assert lamina.backend.backend() == "numpy"
        a = lamina.Input(shape=(6,))
        b = lamina.Input(shape=(6,))
        h = layers.Concatenate()([layers.Dense(8, activation="relu")(a),
                                  layers.Dense(8, activation="tanh")(b)])
        out = layers.Dense(3, activation="softmax")(layers.Dropout(0.5)(h))
        model = lamina.Model([a, b], out)
        model.load_weights({str(weights)!r})
        xa = np.load({str(tmp_path / 'xa.npy')!r})
        xb = np.load({str(tmp_path / 'xb.npy')!r})
        np.save({str(tmp_path / 'got.npy')!r},
                model.predict([xa, xb], verbose=0))
        model.compile(optimizer="sgd", loss="mse")
        try:
            model.fit([xa, xb], np.zeros((5, 3)), verbose=0)
        except RuntimeError as e:
            assert "torch" in str(e) and "jax" in str(e), e
        else:
            raise AssertionError("fit trained on the numpy backend")
    """)
    env = {"PATH": os.environ["PATH"], "PYTHONPATH": ROOT,
           "LAMINA_BACKEND": "numpy", "LAMINA_HOME": str(tmp_path / "h")}
    run = subprocess.run([python, "-c", script], env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    got = np.load(tmp_path / "got.npy")
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
