"""`LossScaleOptimizer` against a NumPy model of Keras 3's rule, eagerly,
through `stateless_apply` (under `jax.jit` on JAX), and its config."""

import numpy as np
import pytest

from lamina import ops, optimizers
from lamina.mixed_precision import LossScaleOptimizer
from lamina.ops._bind import B
from lamina.saving import config as saving_config

INF, NAN = np.inf, np.nan
LR, MOMENTUM, GROWTH, SCALE = 0.1, 0.9, 3, 8.0
# Gradients of the scaled loss, one pair (for two variables) per step:
# finite steps, an inf step, a nan step, and enough finite steps in a row
# to double the scale twice.
STEPS = [
    ([8.0, -16.0], [4.0]),
    ([INF, 1.0], [1.0]),
    ([2.0, 2.0], [NAN]),
    ([1.0, 2.0], [3.0]),
    ([-1.0, 0.5], [0.25]),
    ([3.0, 1.0], [2.0]),
    ([0.5, 0.5], [0.5]),
    ([-INF, 0.0], [0.0]),
    ([1.0, 1.0], [1.0]),
    ([2.0, -2.0], [4.0]),
    ([1.0, 1.0], [1.0]),
    ([4.0, 4.0], [4.0]),
]
START = [np.array([1.0, -1.0]), np.array([0.5])]


def reference():
    """Keras 3's rule (SGD with momentum inside), in float64 NumPy: the
    state after each step."""
    weights = [w.copy() for w in START]
    momenta = [np.zeros_like(w) for w in START]
    scale, counter, iterations = SCALE, 0, 0
    states = []
    for grads in STEPS:
        grads = [np.asarray(g, "float64") for g in grads]
        if all(np.isfinite(g).all() for g in grads):
            for w, m, g in zip(weights, momenta, grads):
                m[...] = MOMENTUM * m - LR * (g / scale)
                w += m
            iterations += 1
            if counter == GROWTH - 1:
                counter, scale = 0, scale * 2.0
            else:
                counter += 1
        else:
            counter, scale = 0, scale / 2.0
        states.append(([w.copy() for w in weights],
                       [m.copy() for m in momenta], scale, counter,
                       iterations))
    return states


def make():
    variables = [B.Variable(w.astype("float32"), name=f"w{i}")
                 for i, w in enumerate(START)]
    inner = optimizers.SGD(learning_rate=LR, momentum=MOMENTUM)
    opt = LossScaleOptimizer(inner, initial_scale=SCALE,
                             dynamic_growth_steps=GROWTH)
    return opt, variables


def tensors(grads):
    return [ops.convert_to_tensor(np.asarray(g, "float32")) for g in grads]


def check(state, weights, momenta, scale, counter, iterations):
    want_w, want_m, want_scale, want_counter, want_it = state
    for got, want in zip(weights, want_w):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    for got, want in zip(momenta, want_m):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    assert (float(scale), int(counter), int(iterations)) == \
        (want_scale, want_counter, want_it)


def test_apply_follows_keras_rule():
    opt, variables = make()
    for grads, state in zip(STEPS, reference()):
        opt.apply(tensors(grads), variables)
        check(state, [v.numpy() for v in variables],
              [m.numpy() for m in opt.inner_optimizer._momentums],
              opt.dynamic_scale.numpy(), opt.step_counter.numpy(),
              opt.iterations.numpy())


def test_skipped_step_changes_nothing_but_the_scale():
    opt, variables = make()
    opt.apply(tensors(STEPS[0]), variables)
    before = [v.numpy() for v in opt.inner_optimizer.variables + variables]
    opt.apply(tensors(([NAN, 1.0], [1.0])), variables)
    after = [v.numpy() for v in opt.inner_optimizer.variables + variables]
    for a, b in zip(before, after):
        np.testing.assert_array_equal(a, b)
    assert float(opt.dynamic_scale.numpy()) == SCALE / 2


def test_stateless_apply_follows_keras_rule():
    opt, variables = make()
    opt.build(variables)
    step = opt.stateless_apply
    if B.name == "jax":  # the whole update as one pure, jitted function
        import jax
        step = jax.jit(step)
    opt_values = [v.value for v in opt.variables]
    values = [v.value for v in variables]
    initial = [v.numpy() for v in opt.variables + variables]
    slot = [v.path for v in opt.variables].index("SGD/w0_momentum")
    for grads, state in zip(STEPS, reference()):
        values, opt_values = step(opt_values, tensors(grads), values)
        own = dict(zip([v.name for v in opt._variables], opt_values))
        check(state, [ops.convert_to_numpy(v) for v in values],
              [ops.convert_to_numpy(v)
               for v in opt_values[slot:slot + 2]],
              ops.convert_to_numpy(own["dynamic_scale"]),
              ops.convert_to_numpy(own["step_counter"]),
              ops.convert_to_numpy(opt_values[4]))  # the inner iterations
    # No variable was written.
    for v, x in zip(opt.variables + variables, initial):
        np.testing.assert_array_equal(v.numpy(), x)


def test_scale_loss():
    opt, variables = make()
    assert opt.scale_loss(2.0) == 2.0 * SCALE
    opt.build(variables)
    opt.dynamic_scale.assign(32.0)
    loss = ops.convert_to_tensor(np.float32(0.5))
    assert float(ops.convert_to_numpy(opt.scale_loss(loss))) == 16.0


def test_check_finite():
    opt, _ = make()
    finite = opt.check_finite(tensors(([1.0], [2.0])) + [None])
    assert bool(ops.convert_to_numpy(finite))
    assert not bool(ops.convert_to_numpy(opt.check_finite(
        tensors(([1.0], [NAN])))))


def test_variables_in_keras_order():
    opt, variables = make()
    opt.build(variables)
    names = [v.name for v in opt.variables]
    assert names[:4] == ["iteration", "learning_rate", "step_counter",
                         "dynamic_scale"]
    assert opt.variables[4:] == opt.inner_optimizer.variables
    assert opt.iterations is opt.inner_optimizer.iterations
    assert opt.dynamic_scale.dtype == "float32"
    assert float(opt.dynamic_scale.numpy()) == SCALE


def test_learning_rate_is_the_inner_one():
    opt, _ = make()
    assert float(opt.learning_rate.numpy()) == pytest.approx(LR)
    opt.learning_rate = 0.5
    assert float(opt.inner_optimizer.learning_rate.numpy()) == 0.5


def test_weights_round_trip():
    opt, variables = make()
    opt.apply(tensors(STEPS[0]), variables)
    twin, twin_vars = make()
    twin.build(twin_vars)
    twin.set_weights(opt.get_weights())
    for a, b in zip(twin.get_weights(), opt.get_weights()):
        np.testing.assert_array_equal(a, b)
    store = {}
    opt.save_own_variables(store)
    assert len(store) == len(opt.variables)
    with pytest.raises(ValueError, match="got 1 arrays"):
        twin.set_weights([np.zeros(())])


def test_config_round_trip():
    opt, _ = make()
    config = opt.get_config()
    assert sorted(config) == ["dynamic_growth_steps", "initial_scale",
                              "inner_optimizer", "name"]
    assert config["inner_optimizer"]["class_name"] == "SGD"
    again = LossScaleOptimizer.from_config(config)
    assert again.get_config() == config
    assert isinstance(again.inner_optimizer, optimizers.SGD)
    serialized = saving_config.serialize(opt)
    assert serialized["class_name"] == "LossScaleOptimizer"
    # `custom_objects` until lamina.optimizers lists LossScaleOptimizer.
    loaded = saving_config.deserialize(
        serialized, "optimizers",
        custom_objects={"LossScaleOptimizer": LossScaleOptimizer})
    assert loaded.get_config() == config


def test_keras_config_with_base_defaults_loads():
    config = {"name": "loss_scale_optimizer",
              "inner_optimizer": saving_config.serialize(optimizers.Adam()),
              "initial_scale": 32768.0, "dynamic_growth_steps": 2000,
              "weight_decay": None, "clipnorm": None, "use_ema": False,
              "ema_momentum": 0.99, "loss_scale_factor": None}
    opt = LossScaleOptimizer.from_config(config)
    assert isinstance(opt.inner_optimizer, optimizers.Adam)


def test_bad_arguments():
    with pytest.raises(ValueError, match="does not support `clipnorm`"):
        LossScaleOptimizer(optimizers.SGD(), clipnorm=1.0)
    with pytest.raises(ValueError, match="dynamic=False"):
        LossScaleOptimizer(optimizers.SGD(), dynamic=False)
    with pytest.raises(TypeError, match="`inner_optimizer` must be"):
        LossScaleOptimizer("sgd")
    with pytest.raises(ValueError, match="`initial_scale` must be"):
        LossScaleOptimizer(optimizers.SGD(), initial_scale=0)
    with pytest.raises(ValueError, match="`dynamic_growth_steps` must be"):
        LossScaleOptimizer(optimizers.SGD(), dynamic_growth_steps=0)
    with pytest.raises(TypeError, match="unexpected argument"):
        LossScaleOptimizer(optimizers.SGD(), scale=2.0)


def test_inner_loss_scale_factor_is_switched_off():
    inner = optimizers.SGD(loss_scale_factor=4.0)
    LossScaleOptimizer(inner)
    assert inner.loss_scale_factor is None


@pytest.mark.requires_training
def test_fit_skips_overflowing_steps_inside_the_compiled_step():
    """A scale so high that the first steps overflow: `fit` (jitted on
    JAX) skips them and halves the scale each time; the rest of the run
    equals plain SGD on the batches after the skipped ones."""
    from lamina import Sequential, layers
    rng = np.random.default_rng(0)
    x = rng.normal(size=(256, 4)).astype("float32")
    y = x @ rng.normal(size=(4, 1)).astype("float32") + 5.0

    def fit(optimizer, start):
        model = Sequential([layers.Input((4,)),
                            layers.Dense(1, kernel_initializer="zeros")])
        model.compile(optimizer=optimizer, loss="mse")
        model.fit(x[start:], y[start:], batch_size=16, epochs=1,
                  shuffle=False, verbose=0)
        return model.get_weights()

    opt = LossScaleOptimizer(optimizers.SGD(0.01), initial_scale=2.0 ** 125)
    scaled = fit(opt, 0)
    skipped = 16 - int(opt.iterations.numpy())
    assert 1 <= skipped < 16
    assert float(opt.dynamic_scale.numpy()) == 2.0 ** (125 - skipped)
    assert int(opt.step_counter.numpy()) == 16 - skipped
    plain = fit(optimizers.SGD(0.01), 16 * skipped)
    for a, b in zip(scaled, plain):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6)
