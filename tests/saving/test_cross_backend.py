"""Files written on one backend load on another with the same
predictions: another backend writes them in a subprocess (a process
holds one backend), this one loads them."""

import importlib.util
import json
import os
import subprocess
import sys

import keras_catalogue as C
import numpy as np
import pytest

import lamina
from lamina.ops._bind import B

HERE = os.path.dirname(os.path.abspath(__file__))
OTHER = "jax" if B.name == "torch" else "torch"
MODELS = ("conv2d", "recurrent", "attention", "normalization")

_WRITE = """
import json, sys, warnings
import numpy as np
sys.path.insert(0, {here!r})
import keras_catalogue as C
import lamina
warnings.simplefilter("ignore")
for name in {models!r}:
    model = C.CATALOGUE[name](lamina)
    C.randomize(model)
    data = C.feed(model, C.inputs(model))
    np.savez(name + "_pred.npz", **C.outputs(model.predict(data, verbose=0)))
    model.save(name + ".keras")
    model.save_weights(name + ".weights.h5")
print(json.dumps(lamina.ops._bind.B.name))
"""


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    engine = "jax" if OTHER == "jax" else "torch"
    if importlib.util.find_spec(engine) is None:
        pytest.skip(f"backend '{OTHER}' is not installed")
    workdir = tmp_path_factory.mktemp(f"written_on_{OTHER}")
    done = subprocess.run(
        [sys.executable, "-c", _WRITE.format(here=HERE, models=MODELS)],
        check=False, cwd=workdir, capture_output=True, text=True,
        timeout=600,
        env=dict(os.environ, LAMINA_BACKEND=OTHER))
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == OTHER
    return workdir


@pytest.mark.parametrize("name", MODELS)
def test_files_from_another_backend(written, name):
    want = dict(np.load(written / f"{name}_pred.npz"))
    loaded = lamina.models.load_model(written / f"{name}.keras")
    built = C.CATALOGUE[name](lamina)
    built.load_weights(written / f"{name}.weights.h5")
    for model in (loaded, built):
        data = C.feed(model, C.inputs(model))
        got = C.outputs(model.predict(data, verbose=0))
        assert sorted(got) == sorted(want)
        for key, value in want.items():
            np.testing.assert_allclose(got[key], value, rtol=1e-4,
                                       atol=1e-5)
