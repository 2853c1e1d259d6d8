"""Variables, stateless scopes, shape inference and the NumPy backend's
inference-only steps, on every backend."""

import os
import subprocess
import sys

import numpy as np
import pytest

from lamina import backend
from lamina.backend.common import scope as scope_lib
from lamina.backend.common.symbolic import SymbolicTensor

NAMES = ("torch", "jax", "numpy")


@pytest.fixture(params=NAMES)
def B(request):
    return backend.get(request.param)


def _np(B, x):
    return np.asarray(B.convert_to_numpy(x))


def test_variable_reads_and_writes(B):
    v = B.Variable(np.arange(6, dtype="float32").reshape(2, 3), name="w")
    assert B.is_tensor(v.value)
    assert v.shape == (2, 3) and v.dtype == "float32"
    v.assign(np.ones((2, 3)))
    np.testing.assert_array_equal(_np(B, v), np.ones((2, 3)))
    v.assign_add(B.full((2, 3), 2.0))
    v.assign_sub(np.full((2, 3), 0.5, "float32"))
    np.testing.assert_array_equal(_np(B, v), np.full((2, 3), 2.5))
    assert B.dtype(v.value) == "float32"
    with pytest.raises(ValueError, match="shape"):
        v.assign(np.ones((3, 2)))


def test_variable_from_initializer_and_dtype(B):
    v = B.Variable(lambda shape, dtype: np.full(shape, 3), shape=(2,),
                   dtype="int32", trainable=False)
    assert v.dtype == "int32" and B.dtype(v.value) == "int32"
    np.testing.assert_array_equal(v.numpy(), [3, 3])
    v.assign_add(2)
    np.testing.assert_array_equal(_np(B, v), [5, 5])
    assert B.dtype(v.value) == "int32"


def test_variable_converts_through_ops(B):
    v = B.Variable(np.array([1.0, 2.0], "float32"))
    np.testing.assert_allclose(_np(B, B.add(v, 1.0)), [2, 3])
    np.testing.assert_allclose(_np(B, B.multiply(B.ones((2,)), v)), [1, 2])
    np.testing.assert_allclose(_np(B, v * 2.0), [2, 4])
    np.testing.assert_allclose(_np(B, B.ones((2,)) + v), [2, 3])


def test_variable_in_stateless_scope(B):
    v = B.Variable(np.zeros((2,), "float32"))
    with scope_lib.StatelessScope([(v, B.ones((2,)))]) as scope:
        np.testing.assert_array_equal(_np(B, v.value), [1, 1])
        v.assign_add(B.ones((2,)))
        v.assign_sub(B.full((2,), 0.5))
        np.testing.assert_array_equal(_np(B, v.value), [1.5, 1.5])
        w = B.Variable(np.ones((1,), "float32"))
        w.assign(B.zeros((1,)))
    np.testing.assert_array_equal(_np(B, scope.get(v)), [1.5, 1.5])
    np.testing.assert_array_equal(_np(B, v), [0, 0])  # own value unchanged
    np.testing.assert_array_equal(_np(B, w), [1])


def test_written_value_does_not_change_earlier_reads():
    for name in ("numpy", "jax"):
        B = backend.get(name)
        v = B.Variable(np.zeros((2,), "float32"))
        before = v.value
        v.assign_add(np.ones((2,), "float32"))
        v.assign(np.full((2,), 5.0, "float32"))
        np.testing.assert_array_equal(np.asarray(before), [0, 0])


def test_jax_variable_made_while_tracing_holds_a_concrete_array():
    import jax
    J = backend.get("jax")
    made = []

    @jax.jit
    def f(x):
        made.append(J.Variable(np.ones((2,), "float32") * 2, name="late"))
        return x + made[0].value
    np.testing.assert_array_equal(np.asarray(f(J.ones((2,)))), [3, 3])
    assert isinstance(made[0].value, jax.Array)
    assert not isinstance(made[0].value, jax.core.Tracer)
    np.testing.assert_array_equal(made[0].numpy(), [2, 2])


def _dense_fn(B, w):
    def fn(x, scale=1.0, activation=None):
        y = B.matmul(x, w.value) * scale
        w.assign(B.zeros_like(w.value))  # must not stick
        if activation == "relu":
            y = B.relu(y)
        return {"y": B.reshape(y, (-1, 2, 3)), "n": (B.sum(y, axis=-1),)}
    return fn


def test_compute_output_spec(B):
    w = B.Variable(np.ones((4, 6), "float32"))
    spec = B.compute_output_spec(
        _dense_fn(B, w), (SymbolicTensor((None, 4)),),
        {"scale": 2.0, "activation": "relu"})
    assert isinstance(spec["y"], SymbolicTensor)
    assert spec["y"].shape == (None, 2, 3) and spec["y"].dtype == "float32"
    assert spec["n"][0].shape == (None,)
    np.testing.assert_array_equal(w.numpy(), np.ones((4, 6)))


def test_compute_output_spec_dtypes_and_known_dims(B):
    def fn(x, labels):
        return B.cast(x, "float64"), B.one_hot(labels, 7), B.argmax(x, -1)
    x = SymbolicTensor((5, None, 3))
    labels = SymbolicTensor((None,), dtype="int32")
    a, b, c = B.compute_output_spec(fn, (x, labels), {})
    assert (a.shape, a.dtype) == ((5, None, 3), "float64")
    assert (b.shape, b.dtype) == ((None, 7), "float32")
    assert (c.shape, c.dtype) == ((5, None), "int64")


def test_jax_compute_output_spec_runs_python_control_flow():
    J = backend.get("jax")

    def fn(x):
        if float(J.convert_to_numpy(J.sum(x))) > 0:  # needs real values
            return J.ones((1,))
        return J.concatenate([x, x], axis=1)
    spec = J.compute_output_spec(fn, (SymbolicTensor((None, 2)),), {})
    assert spec.shape == (None, 4)


def test_jax_compute_output_spec_reads_variables_as_zeros():
    J = backend.get("jax")
    w = J.Variable(np.full((3,), 7.0, "float32"))
    seen = []

    def fn(x):
        seen.append(w.value)
        return x + w.value
    J.compute_output_spec(fn, (SymbolicTensor((None, 3)),), {})
    assert all(v.shape == (3,) for v in seen)
    assert not any(isinstance(v, type(w._value)) for v in seen)  # traced


def test_numpy_cannot_train():
    N = backend.get("numpy")
    v = N.Variable(np.ones((2,), "float32"))
    with pytest.raises(RuntimeError, match="torch.*jax"):
        N.value_and_grad(lambda: (N.sum(v.value), None), [v])
    with pytest.raises(RuntimeError, match="LAMINA_BACKEND=torch"):
        N.make_step(lambda batch: {}, kind="train")
    with pytest.raises(ValueError, match="kind"):
        N.make_step(lambda batch: {}, kind="fit")


def test_numpy_inference_steps():
    N = backend.get("numpy")

    def step(batch):
        return {"out": N.sum(batch)}
    for kind in ("test", "predict"):
        assert N.make_step(step, jit_compile=True, kind=kind) is step
    with N.no_grad():
        assert float(step(N.ones((3,)))["out"]) == 3.0


def test_device():
    assert backend.get("numpy").get_device() == "cpu"
    import jax
    assert isinstance(backend.get("jax").get_device(), jax.Device)


def _python(code, **env):
    env = {**os.environ, **env}
    return subprocess.run([sys.executable, "-c", code], capture_output=True,
                          text=True, env=env, timeout=120, check=False)


def test_missing_jax_gives_install_hint():
    out = _python(
        "import sys; sys.modules['jax'] = None\n"
        "from lamina import backend\n"
        "try:\n"
        "    backend.get('jax')\n"
        "except ImportError as e:\n"
        "    print('ERR', e)\n", LAMINA_BACKEND="numpy")
    assert "ERR" in out.stdout and "pip install jax" in out.stdout, \
        out.stdout + out.stderr


@pytest.mark.parametrize("name", ["numpy", "jax"])
def test_import_lamina_with_backend(name):
    out = _python("import lamina\n"
                  "from lamina import ops\n"
                  "print(lamina.backend.backend(), "
                  "float(ops.sum(ops.ones((2, 3)))))",
                  LAMINA_BACKEND=name)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [name, "6.0"]
