"""`compile(jit_compile=True)` trains to the same weights as eager steps.

On torch the step runs under `torch.compile` (one graph: forward, the
traced backward and the optimizer update); on JAX under `jax.jit`. Each
model below comes from a different layer family. The catalogue uses
torch's `aot_eager` compiler backend (Dynamo capture and AOTAutograd, the
parts that decide whether lamina's step can be compiled, without Inductor's
code generation, which takes minutes on a small CI machine); one test runs
the default Inductor backend end to end.
"""

import numpy as np
import pytest

import lamina
from lamina import layers
from lamina.ops._bind import B

RNG = np.random.default_rng(0)


def _mlp():
    a = lamina.Input(shape=(6,))
    h = layers.BatchNormalization()(layers.Dense(16, activation="relu")(a))
    return lamina.Model(a, layers.Dense(3)(h)), (6,), "float32"


def _convnet():
    a = lamina.Input(shape=(8, 8, 2))
    h = layers.Conv2D(4, 3, padding="same", activation="relu")(a)
    h = layers.MaxPooling2D()(h)
    h = layers.Conv2D(4, 3, data_format="channels_first")(h)
    h = layers.GlobalAveragePooling2D()(h)
    return lamina.Model(a, layers.Dense(3)(h)), (8, 8, 2), "float32"


def _recurrent():
    a = lamina.Input(shape=(7,), dtype="int32")
    h = layers.Embedding(12, 5, mask_zero=True)(a)
    h = layers.LSTM(6, return_sequences=True)(h)
    h = layers.GRU(4)(h)
    return lamina.Model(a, layers.Dense(3)(h)), (7,), "int32"


def _attention():
    a = lamina.Input(shape=(5, 4))
    h = layers.MultiHeadAttention(num_heads=2, key_dim=3)(a, a)
    h = layers.LayerNormalization()(layers.Add()([a, h]))
    h = layers.Flatten()(h)
    return lamina.Model(a, layers.Dense(3)(h)), (5, 4), "float32"


def _reshaping():
    a = lamina.Input(shape=(4, 3))
    h = layers.UpSampling1D(2)(layers.ZeroPadding1D(1)(a))
    h = layers.Conv1D(4, 3, padding="causal")(h)
    h = layers.Permute((2, 1))(h)
    return (lamina.Model(a, layers.Dense(3)(layers.Flatten()(h))),
            (4, 3), "float32")


def _data(shape, dtype):
    if dtype == "int32":
        x = RNG.integers(0, 12, size=(48,) + shape).astype("int32")
    else:
        x = RNG.normal(size=(48,) + shape).astype("float32")
    return x, RNG.integers(0, 3, size=48)


def _train(build, jit, x, y, epochs=2):
    lamina.utils.set_random_seed(3)
    model, _, _ = build()
    model.compile(lamina.optimizers.Adam(0.01),
                  lamina.losses.SparseCategoricalCrossentropy(
                      from_logits=True),
                  metrics=["accuracy"], jit_compile=jit, run_eagerly=not jit)
    history = model.fit(x, y, batch_size=16, epochs=epochs, verbose=0,
                        shuffle=False)
    return model, history.history


@pytest.fixture
def aot_eager(monkeypatch):
    if B.name == "torch":
        monkeypatch.setattr(B.step, "COMPILER", "aot_eager")


@pytest.mark.parametrize("build", [_mlp, _convnet, _recurrent, _attention,
                                   _reshaping],
                         ids=lambda f: f.__name__.strip("_"))
def test_jit_compile_trains_like_eager(build, aot_eager):
    x, y = _data(*build()[1:])
    eager, eager_logs = _train(build, False, x, y)
    jitted, jit_logs = _train(build, True, x, y)
    # Compiled kernels sum in another order; Adam turns the float32
    # rounding of a near-zero gradient into a step of up to ~1e-4.
    for a, b in zip(eager.get_weights(), jitted.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=2e-4)
    np.testing.assert_allclose(eager_logs["loss"], jit_logs["loss"],
                               rtol=1e-5)
    np.testing.assert_allclose(eager.predict(x, verbose=0),
                               jitted.predict(x, verbose=0),
                               rtol=1e-4, atol=1e-5)


@pytest.mark.skipif(B.name != "torch", reason="torch.compile only")
def test_compiled_step_is_one_graph_without_recompiles(aot_eager):
    import torch._dynamo as dynamo
    dynamo.reset()
    dynamo.utils.counters.clear()
    x, y = _data((6,), "float32")
    _train(_mlp, True, x, y, epochs=3)
    assert dict(dynamo.utils.counters["graph_break"]) == {}
    # One graph for the train step: no guard on a per-step Python value.
    assert dynamo.utils.counters["stats"]["unique_graphs"] == 1


@pytest.mark.skipif(B.name != "torch", reason="torch.compile only")
def test_inductor_end_to_end():
    x, y = _data((6,), "float32")
    eager, _ = _train(_mlp, False, x, y, epochs=1)
    jitted, _ = _train(_mlp, True, x, y, epochs=1)
    for a, b in zip(eager.get_weights(), jitted.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


@pytest.mark.skipif(B.name != "torch", reason="torch.compile only")
def test_uncompilable_model_falls_back_with_one_warning(monkeypatch):
    import torch

    def failing_compile(fn, **kwargs):
        def compiled(batch):
            raise torch._dynamo.exc.Unsupported("cannot trace this model")
        return compiled
    monkeypatch.setattr(torch, "compile", failing_compile)
    x, y = _data((6,), "float32")
    with pytest.warns(UserWarning, match="running eagerly instead") as got:
        _, logs = _train(_mlp, True, x, y)
    assert len([w for w in got if "eagerly" in str(w.message)]) == 1
    _, eager_logs = _train(_mlp, False, x, y)
    np.testing.assert_allclose(logs["loss"], eager_logs["loss"], rtol=1e-6)
