"""Data parallelism on a JAX device mesh: 2 host CPU devices (set before
JAX starts, so in a subprocess) against one device."""

import json
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from distribute_launch import RUN_TIMEOUT, environment

from lamina import backend

pytestmark = pytest.mark.skipif(
    backend.backend() != "jax",
    reason="the device mesh is JAX's (torch.distributed is tested under "
           "LAMINA_BACKEND=torch)")

SCRIPT = textwrap.dedent('''
    import json, sys
    import jax
    import numpy as np
    import lamina

    class Spy(lamina.layers.Layer):
        """Notes how the first (eager) step's input is laid out."""
        seen = []
        def call(self, x):
            if not isinstance(x, jax.core.Tracer):
                Spy.seen.append({
                    "spec": [str(a) for a in getattr(
                        x.sharding, "spec", ())],
                    "shards": [list(s.data.shape)
                               for s in x.addressable_shards]})
            return x

    def run(distributed, steps_per_execution, full=True):
        lamina.distribute.set_distribution(
            lamina.distribute.DataParallel() if distributed else None)
        lamina.utils.set_random_seed(0)
        model = lamina.Sequential([
            lamina.Input((5,)), Spy(),
            lamina.layers.Dense(8, activation="tanh"),
            lamina.layers.Dense(3, activation="softmax")])
        model.compile(optimizer="adam", metrics=["accuracy"],
                      loss="sparse_categorical_crossentropy",
                      steps_per_execution=steps_per_execution)
        rng = np.random.default_rng(1)
        x = rng.normal(size=(53, 5)).astype("float32")
        y = rng.integers(0, 3, size=53)
        Spy.seen.clear()
        history = model.fit(x, y, batch_size=16, epochs=2, verbose=0)
        out = {
            "history": history.history,
            "weights": [w.tolist() for w in model.get_weights()],
            "first_input": Spy.seen[0],
            "devices_per_weight": sorted({
                len(v.value.sharding.device_set)
                for v in model.weights + model.optimizer.variables}),
        }
        if full:
            out["evaluate"] = model.evaluate(x, y, batch_size=8, verbose=0)
            out["predict"] = model.predict(x, batch_size=8,
                                           verbose=0).tolist()
        return out

    result = {"devices": len(jax.devices()),
              "single": run(False, 1), "mesh": run(True, 1),
              "mesh_2_per_execution": run(True, 2, full=False)}
    strategy = lamina.distribute.distribution()
    result["axis"] = list(strategy.mesh.axis_names)
    result["replicas"] = lamina.distribute.world_size()
    print(json.dumps(result))
''')


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    script = tmp_path_factory.mktemp("mesh") / "mesh.py"
    script.write_text(SCRIPT)
    env = environment(
        "jax", XLA_FLAGS="--xla_force_host_platform_device_count=2")
    out = subprocess.run([sys.executable, str(script)], check=False,
                         env=env, capture_output=True, text=True,
                         timeout=RUN_TIMEOUT)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_mesh_spans_the_devices(runs):
    assert runs["devices"] == 2 and runs["replicas"] == 2
    assert runs["axis"] == ["batch"]


def test_batches_are_split_and_weights_replicated(runs):
    mesh = runs["mesh"]["first_input"]
    assert mesh["spec"] == ["batch"]
    assert mesh["shards"] == [[8, 5], [8, 5]]  # a batch of 16 over 2
    assert runs["single"]["first_input"]["shards"] == [[16, 5]]
    assert runs["mesh"]["devices_per_weight"] == [2]


@pytest.mark.parametrize("mesh", ["mesh", "mesh_2_per_execution"])
def test_mesh_trains_as_one_device(runs, mesh):
    single, got = runs["single"], runs[mesh]
    for a, b in zip(got["weights"], single["weights"]):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    for key in ("loss", "accuracy"):
        np.testing.assert_allclose(got["history"][key],
                                   single["history"][key], rtol=1e-5)


def test_mesh_evaluates_and_predicts_as_one_device(runs):
    single, got = runs["single"], runs["mesh"]
    np.testing.assert_allclose(got["evaluate"], single["evaluate"],
                               rtol=1e-5)
    np.testing.assert_allclose(got["predict"], single["predict"],
                               rtol=1e-5, atol=1e-6)
