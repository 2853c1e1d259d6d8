"""Layers under a dtype policy: weights in the variable dtype, inputs and
weights cast to the compute dtype in `call` (autocast), Keras 3's rules for
nested layers, functional models, configs, and training."""

import numpy as np
import pytest

import lamina
from lamina import layers, mixed_precision, ops, saving
from lamina.backend.common import scope as scope_lib
from lamina.mixed_precision import DTypePolicy
from lamina.ops._bind import B
from lamina.saving import config as saving_config


@pytest.fixture(autouse=True)
def _reset_policy():
    yield
    mixed_precision.set_global_policy(None)


def _matmul_keeps(dtype):
    """Whether the engine multiplies `dtype` matrices into `dtype`."""
    try:
        a = ops.ones((2, 2), dtype=dtype)
        return ops.dtype(ops.matmul(a, a)) == dtype
    except Exception:  # noqa: BLE001 - any engine error means no kernel
        return False


needs_bf16 = pytest.mark.skipif(
    not _matmul_keeps("bfloat16"),
    reason=f"the '{B.name}' backend has no CPU bfloat16 matmul giving "
           "bfloat16 (NumPy's ml_dtypes matmul returns float32)")
needs_f16 = pytest.mark.skipif(
    not _matmul_keeps("float16"),
    reason=f"the '{B.name}' backend has no CPU float16 matmul kernel")
# The 16-bit type these tests compute in: bfloat16 where the engine has
# it, else float16.
LOW = "bfloat16" if _matmul_keeps("bfloat16") else "float16"
MIXED = "mixed_" + LOW
needs_low = pytest.mark.skipif(
    not _matmul_keeps(LOW),
    reason=f"the '{B.name}' backend has no CPU 16-bit float matmul")


def np_of(x):
    return np.asarray(ops.convert_to_numpy(ops.cast(x, "float32")))


def round_to(x, dtype):
    """`x` rounded to `dtype` and back to float32, through the engine."""
    return np_of(ops.cast(ops.convert_to_tensor(
        np.asarray(x, "float32")), dtype))


class _Probe(layers.Layer):
    """Records the dtypes its weights read as inside `call`."""

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1],),
                                 initializer="ones")
        self.raw = self.add_weight(shape=(), initializer="ones",
                                   autocast=False)
        self.seen = None

    def call(self, x):
        self.seen = (ops.dtype(x), ops.dtype(self.w.value),
                     ops.dtype(self.raw.value))
        return x * self.w


# -- the policy of a layer ----------------------------------------------------
def test_layer_takes_the_global_policy():
    assert layers.Dense(2).dtype_policy.name == "float32"
    mixed_precision.set_global_policy("mixed_bfloat16")
    layer = layers.Dense(2)
    assert layer.dtype_policy == DTypePolicy("mixed_bfloat16")
    assert (layer.dtype, layer.compute_dtype, layer.variable_dtype,
            layer.input_dtype) == ("float32", "bfloat16", "float32",
                                   "bfloat16")


@pytest.mark.parametrize("dtype", [
    "mixed_float16", DTypePolicy("mixed_float16"),
    {"module": "keras", "class_name": "DTypePolicy",
     "config": {"name": "mixed_float16"}, "registered_name": None}])
def test_dtype_argument_forms(dtype):
    layer = layers.Dense(2, dtype=dtype)
    assert layer.dtype_policy.name == "mixed_float16"
    assert layer.compute_dtype == "float16"


def test_dtype_policy_can_be_set():
    layer = layers.Dense(2)
    layer.dtype_policy = "mixed_bfloat16"
    assert layer.compute_dtype == "bfloat16"


def test_bad_dtype_argument():
    with pytest.raises(ValueError, match="mixed_float16"):
        layers.Dense(2, dtype="mixed_int8")


# -- autocast in a layer's call -----------------------------------------------
@needs_low
def test_weights_are_stored_in_float32_and_read_as_compute_dtype():
    probe = _Probe(dtype=MIXED)
    out = probe(np.ones((2, 3), "float32"))
    assert [v.dtype for v in probe.weights] == ["float32", "float32"]
    assert probe.seen == (LOW, LOW, "float32")
    assert ops.dtype(out) == LOW
    assert ops.dtype(probe.w.value) == "float32"  # outside `call`
    assert scope_lib.autocast_dtype() is None


def test_float32_layer_casts_float64_inputs():
    probe = _Probe()
    x = ops.convert_to_tensor(np.ones((2, 3)), dtype="float64")
    assert ops.dtype(probe(x)) == "float32"
    assert probe.seen == ("float32", "float32", "float32")
    ints = ops.convert_to_tensor(np.ones((2, 3), "int32"))
    assert ops.dtype(layers.Activation("linear")(ints)) == "int32"


def test_autocast_false_keeps_input_dtype():
    layer = layers.Activation("linear", autocast=False)
    x = ops.convert_to_tensor(np.ones((2, 3)), dtype="float64")
    assert ops.dtype(layer(x)) == "float64"


@pytest.mark.parametrize("low", [
    pytest.param("bfloat16", marks=needs_bf16),
    pytest.param("float16", marks=needs_f16)])
def test_dense_matches_numpy(low):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(4, 5)).astype("float32")
    layer = layers.Dense(3, dtype="mixed_" + low,
                         bias_initializer="random_normal")
    out = layer(x)
    assert ops.dtype(out) == low
    kernel, bias = layer.get_weights()
    assert kernel.dtype == np.float32 and bias.dtype == np.float32
    expected = round_to(x, low) @ round_to(kernel, low) + \
        round_to(bias, low)
    np.testing.assert_allclose(np_of(out), expected, rtol=2e-2, atol=2e-2)


@needs_low
def test_nested_layers_follow_keras_rules():
    class Outer(layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.mixed = _Probe()
            self.full = _Probe(dtype="float32")
            self.off = _Probe(autocast=False)

        def call(self, x):
            self.outer_seen = scope_lib.autocast_dtype()
            return self.full(self.mixed(x)), self.off(x)

    mixed_precision.set_global_policy(MIXED)
    outer = Outer()
    full_out, _ = outer(np.ones((2, 3), "float32"))
    assert outer.outer_seen == LOW
    assert outer.mixed.seen == (LOW, LOW, "float32")
    # A float32 layer inside a mixed one computes in float32.
    assert outer.full.seen == ("float32", "float32", "float32")
    assert ops.dtype(full_out) == "float32"
    # autocast=False: neither its input nor its weights are cast.
    assert outer.off.seen == (LOW, "float32", "float32")


@needs_low
def test_stateless_call_autocasts():
    layer = layers.Dense(2, dtype=MIXED, kernel_initializer="ones")
    x = np.ones((1, 3), "float32")
    layer(x)
    kernel = ops.convert_to_tensor(np.full((3, 2), 2.0, "float32"))
    out, _ = layer.stateless_call([kernel, ops.zeros((2,))], [], x)
    assert ops.dtype(out) == LOW
    np.testing.assert_array_equal(np_of(out), [[6.0, 6.0]])


def test_assign_inside_autocast_keeps_the_stored_dtype():
    v = B.Variable(np.array([1.0, 2.0], "float32"))
    with scope_lib.AutocastScope("float16"):
        v.assign_add(ops.convert_to_tensor([0.5, 0.5], dtype="float16"))
        v.assign_sub(ops.convert_to_tensor([0.25, 0.25], dtype="float16"))
        assert ops.dtype(v.value) == "float16"
    assert v.dtype == "float32" and ops.dtype(v.value) == "float32"
    np.testing.assert_array_equal(v.numpy(), [1.25, 2.25])
    with pytest.raises(ValueError, match="`dtype` must be None"):
        scope_lib.AutocastScope("int32")


# -- models -------------------------------------------------------------------
def _mlp(last_dtype=None):
    a = lamina.Input(shape=(5,))
    h = layers.Dense(8, activation="relu")(a)
    return lamina.Model(a, layers.Dense(2, dtype=last_dtype)(h))


def test_float32_model_keeps_its_direct_path():
    model = _mlp()
    assert all(step[4] for step in model._plan)


@needs_low
def test_functional_model_under_a_mixed_policy():
    mixed_precision.set_global_policy(MIXED)
    model = _mlp()
    assert model.outputs[0].dtype == LOW
    assert all(w.dtype == "float32" for w in model.weights)
    x = np.random.default_rng(1).normal(size=(6, 5)).astype("float32")
    out = model(x)
    assert ops.dtype(out) == LOW
    dense, dense_1 = model.layers[1:]
    expected = dense_1(dense(x))
    np.testing.assert_array_equal(np_of(out), np_of(expected))
    predicted = model.predict(x, verbose=0).astype("float32")
    np.testing.assert_array_equal(predicted, np_of(out))


@needs_low
def test_float32_layer_in_mixed_model_computes_in_float32():
    mixed_precision.set_global_policy(MIXED)
    model = _mlp(last_dtype="float32")
    last = model.layers[-1]
    assert last.compute_dtype == "float32"
    assert model.outputs[0].dtype == "float32"
    x = np.random.default_rng(2).normal(size=(6, 5)).astype("float32")
    out = model(x)
    assert ops.dtype(out) == "float32"
    hidden = np_of(model.layers[1](x))
    kernel, bias = last.get_weights()
    np.testing.assert_allclose(np_of(out), hidden @ kernel + bias,
                               rtol=1e-5, atol=1e-6)


@needs_low
def test_sequential_under_a_mixed_policy():
    mixed_precision.set_global_policy(MIXED)
    model = lamina.Sequential([layers.Input((5,)), layers.Dense(4),
                               layers.Dense(2, dtype="float32")])
    out = model(np.ones((3, 5), "float32"))
    assert ops.dtype(out) == "float32"
    assert model.layers[0].compute_dtype == LOW


@needs_low
def test_mixed_layer_inside_a_float32_model():
    a = lamina.Input(shape=(5,))
    h = layers.Dense(4, dtype=MIXED)(a)
    model = lamina.Model(a, layers.Dense(2)(h))
    assert [step[4] for step in model._plan] == [False, False]
    x = np.ones((3, 5), "float32")
    assert ops.dtype(model.layers[1](x)) == LOW
    assert ops.dtype(model(x)) == "float32"


@needs_low
def test_model_called_in_another_scope_than_planned():
    """A Sequential made mixed while its layers are float32: its scope
    differs from the one its graph was planned for, so each layer goes
    through `__call__` and keeps computing in float32 (Keras's rule)."""
    model = lamina.Sequential([layers.Input((5,)), layers.Dense(4),
                               layers.Dense(2)], dtype=MIXED)
    assert model.compute_dtype == LOW
    probe = _Probe()
    out = model(np.ones((3, 5), "float32"))
    assert ops.dtype(out) == "float32"
    inner = _mlp()  # float32, inside a mixed model
    outer_input = lamina.Input(shape=(5,))
    nested = lamina.Model(outer_input, probe(inner(outer_input)),
                          dtype=MIXED)
    assert ops.dtype(nested(np.ones((3, 5), "float32"))) == "float32"
    assert probe.seen == ("float32", "float32", "float32")


# -- configs ------------------------------------------------------------------
def test_layer_config_round_trip():
    layer = layers.Dense(3, dtype=MIXED)
    config = layer.get_config()
    assert config["dtype"] == MIXED
    assert layers.Dense.from_config(config).dtype_policy == layer.dtype_policy
    again = saving_config.deserialize(saving_config.serialize(layer),
                                      "layers")
    assert again.compute_dtype == LOW


@needs_low
def test_model_save_and_load_keep_policies(tmp_path):
    mixed_precision.set_global_policy(MIXED)
    model = _mlp(last_dtype="float32")
    x = np.random.default_rng(3).normal(size=(4, 5)).astype("float32")
    expected = model.predict(x, verbose=0)
    path = str(tmp_path / "mixed.keras")
    model.save(path)
    mixed_precision.set_global_policy(None)
    loaded = saving.load_model(path)
    names = [l.dtype_policy.name for l in loaded.layers[1:]]
    assert names == [MIXED, "float32"]
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), expected)


def test_keras3_policy_dict_in_a_config():
    config = layers.Dense(3).get_config()
    config["dtype"] = {"module": "keras", "class_name": "DTypePolicy",
                       "config": {"name": "mixed_float16"},
                       "registered_name": None}
    assert layers.Dense.from_config(config).compute_dtype == "float16"


# -- training -----------------------------------------------------------------
def _regression(seed=0, n=256):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4)).astype("float32")
    w = rng.normal(size=(4, 1)).astype("float32")
    return x, x @ w + 0.5


def _fit(model, epochs=25):
    x, y = _regression()
    model.compile(optimizer=lamina.optimizers.Adam(0.05), loss="mse")
    history = model.fit(x, y, batch_size=32, epochs=epochs, verbose=0)
    return history.history["loss"]


@needs_bf16
@pytest.mark.requires_training
def test_trains_under_mixed_bfloat16():
    mixed_precision.set_global_policy("mixed_bfloat16")
    model = lamina.Sequential([layers.Input((4,)), layers.Dense(8),
                               layers.Dense(1)])
    losses = _fit(model)
    assert not isinstance(model.optimizer,
                          mixed_precision.LossScaleOptimizer)
    assert losses[-1] < 0.05 < losses[0]
    assert all(w.dtype == "float32" for w in model.weights)
    assert ops.dtype(model(np.ones((1, 4), "float32"))) == "bfloat16"


@needs_f16
@pytest.mark.requires_training
def test_trains_under_mixed_float16_with_loss_scaling():
    mixed_precision.set_global_policy("mixed_float16")
    a = lamina.Input(shape=(4,))
    out = layers.Dense(1)(layers.Dense(8)(a))
    model = lamina.Model(a, out)
    losses = _fit(model)
    optimizer = model.optimizer
    assert isinstance(optimizer, mixed_precision.LossScaleOptimizer)
    assert optimizer.name == "loss_scale_optimizer"
    assert losses[-1] < 0.05 < losses[0]
    assert all(w.dtype == "float32" for w in model.weights)
    assert ops.dtype(model(np.ones((1, 4), "float32"))) == "float16"
    # 25 epochs of 8 steps: each step with an overflow in float16 is
    # skipped and halves the scale (too few steps for it to grow back).
    skipped = 200 - int(optimizer.iterations.numpy())
    assert 0 <= skipped < 10
    assert float(optimizer.dynamic_scale.numpy()) == 2.0 ** (15 - skipped)


@needs_f16
@pytest.mark.requires_training
def test_loss_scale_optimizer_is_not_added_twice_or_when_disabled():
    mixed_precision.set_global_policy("mixed_float16")
    model = _mlp()
    wrapped = mixed_precision.LossScaleOptimizer(lamina.optimizers.SGD())
    model.compile(optimizer=wrapped, loss="mse")
    assert model.optimizer is wrapped
    model.compile(optimizer="sgd", loss="mse", auto_scale_loss=False)
    assert type(model.optimizer).__name__ == "SGD"


@pytest.mark.requires_training
def test_train_step_scales_the_loss_for_loss_scale_factor():
    """Scaling the loss and dividing the gradients by the same factor
    leaves the update unchanged."""
    x, y = _regression(n=64)
    weights = []
    for factor in (None, 1024.0):
        model = lamina.Sequential([layers.Input((4,)),
                                   layers.Dense(1, kernel_initializer="ones")])
        model.compile(optimizer=lamina.optimizers.SGD(
            0.1, loss_scale_factor=factor), loss="mse")
        history = model.fit(x, y, batch_size=16, epochs=2, verbose=0,
                            shuffle=False)
        weights.append((model.get_weights(), history.history["loss"]))
    (w0, loss0), (w1, loss1) = weights
    for a, b in zip(w0, w1):
        np.testing.assert_allclose(a, b, rtol=1e-5)
    np.testing.assert_allclose(loss0, loss1, rtol=1e-5)
