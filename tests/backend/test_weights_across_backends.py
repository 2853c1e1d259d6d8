"""Weights saved on one backend give the same predictions on the others:
`get_weights()` arrays and `.weights.h5` files both."""

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import lamina
from lamina.ops._bind import B

BUILD = textwrap.dedent("""
    import lamina
    from lamina import layers
    def build():
        a = lamina.Input(shape=(5,))
        b = lamina.Input(shape=(3,))
        h = layers.Dense(7, activation="relu")(a)
        z = layers.concatenate([h, layers.Dense(4, activation="tanh")(b)])
        z = layers.Dropout(0.3)(z)
        return lamina.Model([a, b], layers.Dense(2, activation="softmax")(z))
""")


def _installed(name):
    try:
        __import__(name)
        return True
    except ImportError:
        return False


OTHERS = [n for n in ("torch", "jax", "numpy")
          if n != B.name and _installed(n)]


@pytest.mark.parametrize("other", OTHERS)
def test_weights_move_between_backends(tmp_path, other):
    namespace = {}
    exec(BUILD, namespace)
    lamina.utils.set_random_seed(3)
    model = namespace["build"]()
    rng = np.random.default_rng(0)
    xa = rng.normal(size=(6, 5)).astype("float32")
    xb = rng.normal(size=(6, 3)).astype("float32")
    want = model.predict([xa, xb], verbose=0)
    np.savez(tmp_path / "arrays.npz", *model.get_weights())
    model.save_weights(str(tmp_path / "m.weights.h5"))
    np.save(tmp_path / "xa.npy", xa)
    np.save(tmp_path / "xb.npy", xb)
    script = BUILD + textwrap.dedent(f"""
        import numpy as np
        d = {str(tmp_path)!r}
        xa, xb = np.load(d + "/xa.npy"), np.load(d + "/xb.npy")
        arrays = np.load(d + "/arrays.npz")
        m1 = build()
        m1.set_weights([arrays[f"arr_{{i}}"] for i in range(len(arrays))])
        m2 = build()
        m2.load_weights(d + "/m.weights.h5")
        np.save(d + "/got1.npy", m1.predict([xa, xb], verbose=0))
        np.save(d + "/got2.npy", m2.predict([xa, xb], verbose=0))
    """)
    env = dict(os.environ, LAMINA_BACKEND=other,
               LAMINA_HOME=str(tmp_path / "home"))
    run = subprocess.run([sys.executable, "-c", script], env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    for name in ("got1.npy", "got2.npy"):
        np.testing.assert_allclose(np.load(tmp_path / name), want,
                                   rtol=1e-5, atol=1e-6)
