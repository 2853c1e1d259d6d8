"""The Optimizer base class: clipping, legacy arguments, learning-rate
state, weight decay, constraints, EMA, accumulation, stateless_apply."""

import warnings

import numpy as np
import pytest

from lamina import backend, ops, optimizers
from lamina.ops._bind import B
from lamina.optimizers import _arguments, schedules


def var(values, name=None):
    return B.Variable(np.asarray(values, "float32"), name=name)


def tensors(*arrays):
    return [ops.convert_to_tensor(np.asarray(a, "float32")) for a in arrays]


# -- (c) gradient clipping against NumPy --------------------------------------
GRADS = [np.array([3.0, 4.0]), np.array([0.1, -0.2, 0.2]), np.zeros(2)]


def sgd_step(**kwargs):
    """One SGD step with lr=1 from zero: the result is minus the
    gradient as the optimizer saw it."""
    variables = [var(np.zeros_like(g)) for g in GRADS]
    optimizers.SGD(learning_rate=1.0, **kwargs).apply(tensors(*GRADS),
                                                      variables)
    return [-v.numpy() for v in variables]


def test_clipnorm_is_per_tensor(all_close):
    expected = [g * 1.0 / max(np.linalg.norm(g), 1.0) for g in GRADS]
    all_close(sgd_step(clipnorm=1.0), expected)  # zero gradient: no NaN


def test_global_clipnorm(all_close):
    norm = np.sqrt(sum((g ** 2).sum() for g in GRADS))
    all_close(sgd_step(global_clipnorm=2.0),
              [g * 2.0 / max(norm, 2.0) for g in GRADS])
    all_close(sgd_step(global_clipnorm=100.0), GRADS)


def test_clipvalue(all_close):
    all_close(sgd_step(clipvalue=0.15), [np.clip(g, -0.15, 0.15)
                                         for g in GRADS])


def test_global_clipnorm_of_infinite_gradient_is_nan():
    w = var([0.0, 0.0])
    optimizers.SGD(global_clipnorm=1.0).apply(tensors([np.inf, 1.0]), [w])
    assert np.isnan(w.numpy()).all()


def test_only_one_clipping_argument():
    with pytest.raises(ValueError, match="only one of"):
        optimizers.SGD(clipnorm=1.0, clipvalue=1.0)
    with pytest.raises(ValueError, match="clipnorm"):
        optimizers.SGD(clipnorm=-1.0)


# -- (e) Keras 1/2 arguments --------------------------------------------------
def test_lr_warns_once_with_modern_spelling(monkeypatch):
    monkeypatch.setattr(_arguments, "_warned", set())
    with pytest.warns(DeprecationWarning,
                      match=r"Adam\(learning_rate=0.01\)") as record:
        opt = optimizers.Adam(lr=0.01)
    assert record[0].filename == __file__  # points at the caller's line
    assert float(opt.learning_rate.numpy()) == pytest.approx(0.01)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        optimizers.Adam(lr=0.02)
    assert opt.lr is opt.learning_rate


@pytest.mark.parametrize("make,rule", [
    (lambda: optimizers.SGD(learning_rate=0.1, decay=0.5),
     lambda w, g, lr, t: w - lr * g),
    (lambda: optimizers.Adam(learning_rate=0.1, decay=0.5, epsilon=1e-3),
     None),
])
def test_keras2_decay_is_honoured(make, rule, all_close):
    """lr_t = lr / (1 + decay * t), t = iterations before the step."""
    g = np.array([0.5, -1.0])
    w = var([1.0, 2.0])
    opt = make()
    for _ in range(4):
        opt.apply(tensors(g), [w])
    expected, m, v = np.array([1.0, 2.0]), 0.0, 0.0
    for t in range(4):
        lr = 0.1 / (1 + 0.5 * t)
        if rule is not None:
            expected = rule(expected, g, lr, t)
            continue
        m, v = m + (g - m) * 0.1, v + (g * g - v) * 0.001
        alpha = lr * np.sqrt(1 - 0.999 ** (t + 1)) / (1 - 0.9 ** (t + 1))
        expected = expected - m * alpha / (np.sqrt(v) + 1e-3)
    all_close([w.numpy()], [expected])
    assert opt.get_config()["decay"] == 0.5
    assert "decay" not in optimizers.SGD(decay=0.0).get_config()


def test_unknown_argument_is_a_type_error():
    with pytest.raises(TypeError, match=r"\['learning_rat'\].*learning_rate"):
        optimizers.Adam(learning_rat=0.1)
    with pytest.raises(TypeError, match="momentum"):
        optimizers.Adam(momentum=0.9)
    optimizers.Adam(jit_compile=True, is_legacy_optimizer=False)  # Keras 2.11


@pytest.mark.parametrize("value", [-0.1, "fast", None, True])
def test_bad_learning_rate(value):
    with pytest.raises(ValueError, match="learning_rate"):
        optimizers.SGD(learning_rate=value)


# -- learning-rate state ------------------------------------------------------
def test_learning_rate_setter_assigns_in_place():
    w = var([1.0])
    opt = optimizers.SGD(learning_rate=0.1)
    opt.apply(tensors([1.0]), [w])
    lr_variable, count = opt.learning_rate, len(opt.variables)
    opt.learning_rate = 0.5
    assert opt.learning_rate is lr_variable and len(opt.variables) == count
    assert float(lr_variable.numpy()) == 0.5
    opt.lr = 0.25  # Keras 2 spelling
    opt.apply(tensors([1.0]), [w])
    assert w.numpy() == pytest.approx([1.0 - 0.1 - 0.25])


def test_schedule_learning_rate():
    schedule = schedules.ExponentialDecay(0.1, decay_steps=1, decay_rate=0.5)
    opt = optimizers.SGD(learning_rate=schedule)
    w = var([0.0])
    for _ in range(3):
        opt.apply(tensors([1.0]), [w])
    assert w.numpy() == pytest.approx([-(0.1 + 0.05 + 0.025)])
    assert float(ops.convert_to_numpy(opt.learning_rate)) == \
        pytest.approx(0.0125)
    assert [v.name for v in opt.variables] == ["iteration"]
    with pytest.raises(TypeError, match="schedule"):
        opt.learning_rate = 0.1


def test_callable_learning_rate():
    w = var([0.0])
    optimizers.SGD(learning_rate=lambda: 0.3).apply(tensors([1.0]), [w])
    assert w.numpy() == pytest.approx([-0.3])


# -- weight decay, loss scaling, None gradients -------------------------------
def test_weight_decay_before_update_and_exclusions():
    kernel, bias = var([1.0, -2.0], "kernel"), var([3.0], "bias")
    opt = optimizers.SGD(learning_rate=0.1, weight_decay=0.5)
    opt.exclude_from_weight_decay(var_names=["bias"])
    opt.apply(tensors([1.0, 1.0], [1.0]), [kernel, bias])
    np.testing.assert_allclose(kernel.numpy(),
                               np.array([1.0, -2.0]) * (1 - 0.05) - 0.1,
                               rtol=1e-6)
    np.testing.assert_allclose(bias.numpy(), [2.9], rtol=1e-6)
    with pytest.raises(ValueError, match="before the optimizer is built"):
        opt.exclude_from_weight_decay(var_list=[kernel])


def test_loss_scale_factor():
    opt = optimizers.SGD(learning_rate=1.0, loss_scale_factor=4.0)
    assert opt.scale_loss(2.0) == 8.0
    w = var([0.0])
    opt.apply(tensors([2.0]), [w])
    assert w.numpy() == pytest.approx([-0.5])


def test_none_gradients_are_skipped():
    a, b = var([1.0]), var([1.0])
    opt = optimizers.SGD(learning_rate=0.5)
    with pytest.warns(UserWarning, match="Gradients do not exist"):
        opt.apply([None, tensors([1.0])[0]], [a, b])
    assert a.numpy() == [1.0] and b.numpy() == [0.5]
    assert int(opt.iterations.numpy()) == 1
    with pytest.raises(ValueError, match="No gradients"):
        opt.apply([None, None], [a, b])


def test_apply_errors():
    a, b = var([1.0]), var([1.0])
    opt = optimizers.SGD()
    with pytest.raises(ValueError, match="build"):
        opt.apply(tensors([1.0]))
    opt.apply(tensors([1.0]), [a])
    with pytest.raises(ValueError, match="built for other variables"):
        opt.apply(tensors([1.0]), [b])
    with pytest.raises(ValueError, match="2 gradients for 1 variables"):
        opt.apply(tensors([1.0], [1.0]), [a])
    opt.apply(tensors([1.0]))  # the built variables by default
    assert int(opt.iterations.numpy()) == 2
    assert opt.iterations.dtype == "int64"


def test_apply_gradients_keras2_spelling():
    w = var([1.0, 1.0])
    opt = optimizers.SGD(learning_rate=0.5)
    iterations = opt.apply_gradients(zip(tensors([1.0, 2.0]), [w]))
    assert iterations is opt.iterations
    np.testing.assert_allclose(w.numpy(), [0.5, 0.0])


# -- (g) constraints ----------------------------------------------------------
def test_constraint_applied_after_update():
    w = var([1.0, 0.2])
    seen = []

    def non_neg(x):
        seen.append((np.array(ops.convert_to_numpy(x)),
                     int(opt.iterations.numpy())))
        return ops.maximum(x, 0.0)
    w.constraint = non_neg
    opt = optimizers.SGD(learning_rate=0.5)
    opt.apply(tensors([1.0, 1.0]), [w])
    np.testing.assert_allclose(seen[0][0], [0.5, -0.3], rtol=1e-6)
    assert seen[0][1] == 1  # after the update and the step count
    np.testing.assert_allclose(w.numpy(), [0.5, 0.0])


# -- EMA and gradient accumulation --------------------------------------------
def test_ema_and_finalize(all_close):
    w = var([1.0, -1.0])
    opt = optimizers.SGD(learning_rate=0.1, use_ema=True, ema_momentum=0.9)
    g = np.array([1.0, 2.0])
    expected, average = np.array([1.0, -1.0]), None
    for t in range(3):
        opt.apply(tensors(g), [w])
        expected = expected - 0.1 * g
        momentum = 0.9 if t else 0.0
        average = expected if average is None else \
            momentum * average + (1 - momentum) * expected
    all_close([w.numpy()], [expected])
    opt.finalize_variable_values([w])
    all_close([w.numpy()], [average])


def test_ema_overwrite_frequency(all_close):
    w = var([1.0])
    opt = optimizers.SGD(learning_rate=0.1, use_ema=True, ema_momentum=0.5,
                         ema_overwrite_frequency=2)
    opt.apply(tensors([1.0]), [w])  # w 0.9, average 0.9
    opt.apply(tensors([1.0]), [w])  # w 0.8, average 0.85, overwritten
    all_close([w.numpy()], [np.array([0.85])])


def test_gradient_accumulation(all_close):
    w = var([1.0, 1.0])
    opt = optimizers.SGD(learning_rate=0.1, momentum=0.5,
                         gradient_accumulation_steps=2)
    grads = [np.array([1.0, 0.0]), np.array([3.0, 2.0]),
             np.array([-1.0, 1.0]), np.array([1.0, 1.0])]
    history = []
    for g in grads:
        opt.apply(tensors(g), [w])
        history.append(w.numpy())
    m1 = -0.1 * (grads[0] + grads[1]) / 2
    m2 = 0.5 * m1 - 0.1 * (grads[2] + grads[3]) / 2
    all_close(history, [np.ones(2), 1 + m1, 1 + m1, 1 + m1 + m2])
    assert int(opt.iterations.numpy()) == 4
    np.testing.assert_array_equal(opt._accumulators[0].numpy(), 0.0)


@pytest.mark.parametrize("kwargs", [
    {"use_ema": True, "ema_overwrite_frequency": -1},
    {"gradient_accumulation_steps": 1}, {"ema_momentum": 2.0}])
def test_bad_base_arguments(kwargs):
    with pytest.raises(ValueError, match=next(iter(kwargs.keys() - {
            "use_ema"}))):
        optimizers.SGD(**kwargs)


# -- (h) stateless_apply ------------------------------------------------------
STATELESS_CASES = [
    ("SGD", {"momentum": 0.9, "nesterov": True}),
    ("RMSprop", {"momentum": 0.5, "centered": True}),
    ("Adam", {"amsgrad": True}), ("AdamW", {}), ("Adagrad", {}),
    ("Adadelta", {"learning_rate": 1.0}), ("Adamax", {}),
    ("Nadam", {}), ("Ftrl", {"l1_regularization_strength": 0.01}),
    ("Lion", {}),
    ("Adam", {"weight_decay": 0.1, "global_clipnorm": 1.0}),
    ("SGD", {"use_ema": True, "ema_overwrite_frequency": 2, "decay": 0.1}),
    ("Adam", {"gradient_accumulation_steps": 2, "clipnorm": 0.5}),
    ("SGD", {"learning_rate": schedules.PiecewiseConstantDecay(
        [1], [0.1, 0.01])}),
]


@pytest.mark.parametrize("name,kwargs", STATELESS_CASES)
def test_stateless_apply_equals_apply(quadratic, all_close, name, kwargs):
    kwargs = dict({"learning_rate": 0.05}, **kwargs)
    stateful = getattr(optimizers, name)(**kwargs)
    expected = quadratic.run_lamina(stateful, steps=4)

    pure = getattr(optimizers, name)(**kwargs)
    variables = quadratic.variables()
    pure.build(variables)
    values = [ops.convert_to_tensor(v.numpy()) for v in variables]
    state = [ops.convert_to_tensor(v.numpy()) for v in pure.variables]
    for k in range(4):
        grads = quadratic.gradients([ops.convert_to_numpy(x)
                                     for x in values], k)
        values, state = pure.stateless_apply(state, tensors(*grads), values)
    all_close([ops.convert_to_numpy(x) for x in values], expected)
    all_close([ops.convert_to_numpy(x) for x in state],
              [v.numpy() for v in stateful.variables])
    # Nothing was written.
    all_close([v.numpy() for v in variables], quadratic.initial)
    assert int(pure.iterations.numpy()) == 0


def test_stateless_apply_errors():
    opt = optimizers.Adam()
    with pytest.raises(ValueError, match="build"):
        opt.stateless_apply([], [], [])
    opt.build([var([1.0])])
    with pytest.raises(ValueError, match="optimizer_variables"):
        opt.stateless_apply([], tensors([1.0]), tensors([1.0]))


# -- state --------------------------------------------------------------------
def test_save_and_load_own_variables(quadratic, all_close):
    opt = optimizers.Adam()
    quadratic.run_lamina(opt, steps=3)
    store = {}
    opt.save_own_variables(store)
    fresh = optimizers.Adam()
    fresh.build(quadratic.variables())
    fresh.load_own_variables(store)
    all_close([v.numpy() for v in fresh.variables],
              [v.numpy() for v in opt.variables])
    fresh.set_weights(opt.get_weights())
    with pytest.warns(UserWarning, match="Skipping variable loading"):
        optimizers.Adam().load_own_variables(store)


@pytest.mark.skipif(backend.backend() != "torch", reason="torch autograd")
def test_apply_records_no_autograd_graph():
    w = var([1.0, 2.0])
    opt = optimizers.Adam(weight_decay=0.1)
    opt.apply(tensors([1.0, 1.0]), [w])
    assert w.value.is_leaf and w.value.requires_grad
    assert all(v.value.grad_fn is None for v in opt.variables)


@pytest.mark.skipif(backend.backend() != "torch", reason="torch tensors")
@pytest.mark.parametrize("name,kwargs", STATELESS_CASES)
def test_apply_never_reads_a_tensor_on_the_host(monkeypatch, quadratic,
                                                name, kwargs):
    """A host read (`float(t)`, `if t:`, `.item()`, `.numpy()`) would stall
    an accelerator every step; make each one fail inside `apply`."""
    import torch
    opt = getattr(optimizers, name)(**kwargs)
    variables = quadratic.variables()
    grads = tensors(*quadratic.gradients(quadratic.initial, 0))
    opt.apply(grads, variables)  # build outside the check

    def host_read(*args, **kwargs):
        raise AssertionError("host read of a tensor inside apply")
    for method in ("__bool__", "__float__", "__int__", "__index__", "item",
                   "numpy", "tolist"):
        monkeypatch.setattr(torch.Tensor, method, host_read)
    for _ in range(3):
        opt.apply(grads, variables)
    monkeypatch.undo()
    assert int(opt.iterations.numpy()) == 4


class SignSGD(optimizers.Optimizer):
    """A Keras 3 style custom optimizer: `w -= lr * sign(g + mu * m)`."""

    def __init__(self, learning_rate=0.1, mu=0.5, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.mu = mu

    def build(self, var_list):
        super().build(var_list)
        self.ms = [self.add_variable_from_reference(v, "m")
                   for v in var_list]

    def update_step(self, gradient, variable, learning_rate):
        lr = ops.cast(learning_rate, variable.dtype)
        m = self.ms[self._get_variable_index(variable)]
        self.assign(m, gradient + m * self.mu)
        self.assign_sub(variable, ops.sign(m.value) * lr)

    def get_config(self):
        return {**super().get_config(), "mu": self.mu}


def test_custom_optimizer_subclass():
    w = var([1.0, -1.0])
    opt = SignSGD()
    assert opt.name == "sign_sgd"
    opt.apply(tensors([0.5, -2.0]), [w])
    opt.apply(tensors([-1.0, 1.0]), [w])  # m = -0.75, 0.0
    np.testing.assert_allclose(w.numpy(), [1.0, -0.9], rtol=1e-6)
    config = optimizers.serialize(opt)
    again = optimizers.deserialize(config, custom_objects={"SignSGD": SignSGD})
    assert again.get_config() == opt.get_config()
