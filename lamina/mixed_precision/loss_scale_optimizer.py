"""`LossScaleOptimizer`: dynamic loss scaling around another optimizer.

float16 has 5 exponent bits: gradients below about 6e-8 flush to zero. The
loss is multiplied by a large scale before differentiation, which moves the
gradients into float16's range, and the gradients are divided by it before
the update (Micikevicius et al. 2018, arXiv:1710.03740, section 3.2). The
scale adapts: a step whose gradients are not all finite is skipped and the
scale halved; after `dynamic_growth_steps` finite steps in a row it doubles.

The skip is written without branching on a tensor value: the inner
optimizer's update is computed into a `StatelessScope`, and each variable it
would change is set to `where(finite, updated, current)`. So the step stays
one pure function under `jax.jit`, and on torch nothing waits for the device
to say whether the gradients were finite.
"""

from lamina import ops
from lamina.backend.common import scope as scope_lib
from lamina.ops._bind import B
from lamina.optimizers.optimizer import Optimizer

# Keyword arguments Keras 3 configs of this class used to carry (with these
# values): accepted when loading, refused when set to anything else.
_BASE_DEFAULTS = {"weight_decay": None, "clipnorm": None,
                  "global_clipnorm": None, "clipvalue": None,
                  "use_ema": False, "ema_momentum": 0.99,
                  "ema_overwrite_frequency": None,
                  "loss_scale_factor": None,
                  "gradient_accumulation_steps": None}


class LossScaleOptimizer(Optimizer):
    """An optimizer that scales the loss dynamically to avoid underflow.

    Each step: the train step differentiates `scale_loss(loss)` (the loss
    times the current scale `S`); `apply` then checks the gradients. If all
    are finite, they are divided by `S` and passed to `inner_optimizer`; a
    counter of finite steps goes up, and when it reaches
    `dynamic_growth_steps` the scale doubles and the counter restarts. If
    any is not finite (inf or nan), the variables, the inner optimizer's
    state and its `iterations` stay as they were, the scale halves and the
    counter restarts.

    `Model.compile` wraps its optimizer in one when the model's dtype
    policy is 'mixed_float16' (and `auto_scale_loss=True`).

    Args:
        inner_optimizer: the `Optimizer` that applies the updates.
        initial_scale: the first loss scale. A high value is recommended:
            a scale that is too high is lowered quickly, one too low rises
            only every `dynamic_growth_steps` steps.
        dynamic_growth_steps: how many finite steps in a row double the
            scale.
        name: the optimizer's name.

    Example:

    >>> from lamina import optimizers, ops
    >>> from lamina.ops._bind import B
    >>> w = B.Variable([1.0])
    >>> opt = LossScaleOptimizer(optimizers.SGD(1.0), initial_scale=4.0)
    >>> opt.apply([ops.convert_to_tensor([float("inf")])], [w])
    >>> w.numpy().tolist(), float(opt.dynamic_scale.numpy())
    ([1.0], 2.0)
    >>> opt.apply([ops.convert_to_tensor([2.0])], [w])  # 2 = scale * 1
    >>> w.numpy().tolist()
    [0.0]
    """

    def __init__(self, inner_optimizer, initial_scale=2.0 ** 15,
                 dynamic_growth_steps=2000, name=None, **kwargs):
        if not kwargs.pop("dynamic", True):
            raise ValueError(
                "LossScaleOptimizer no longer supports `dynamic=False`; set "
                "`loss_scale_factor` on the inner optimizer for a fixed "
                "scale.")
        for key, default in _BASE_DEFAULTS.items():
            if key in kwargs and kwargs.pop(key) != default:
                raise ValueError(f"LossScaleOptimizer does not support "
                                 f"`{key}`; set `{key}` on the "
                                 "`inner_optimizer` instead.")
        if kwargs:
            raise TypeError(f"LossScaleOptimizer got unexpected argument(s) "
                            f"{sorted(kwargs)}; valid arguments are: "
                            "inner_optimizer, initial_scale, "
                            "dynamic_growth_steps, name.")
        if not isinstance(inner_optimizer, Optimizer):
            raise TypeError(f"LossScaleOptimizer: `inner_optimizer` must be "
                            f"an Optimizer instance, got {inner_optimizer!r}.")
        if isinstance(initial_scale, bool) or \
                not isinstance(initial_scale, (int, float)) or \
                not initial_scale > 0:
            raise ValueError(f"LossScaleOptimizer: `initial_scale` must be a "
                             f"positive number, got {initial_scale!r}.")
        if isinstance(dynamic_growth_steps, bool) or \
                not isinstance(dynamic_growth_steps, int) or \
                dynamic_growth_steps < 1:
            raise ValueError(f"LossScaleOptimizer: `dynamic_growth_steps` "
                             f"must be an integer >= 1, got "
                             f"{dynamic_growth_steps!r}.")
        super().__init__(learning_rate=0.0, name=name)
        self.inner_optimizer = inner_optimizer
        self.initial_scale = float(initial_scale)
        self.dynamic_growth_steps = dynamic_growth_steps
        # The inner optimizer must not divide the gradients a second time.
        inner_optimizer.loss_scale_factor = None

    # -- state ---------------------------------------------------------------
    def build(self, variables):
        if self.built:
            return
        self.step_counter = self.add_variable(
            (), initializer="zeros", dtype="int64", aggregation="none",
            name="step_counter")
        self.dynamic_scale = self.add_variable(
            (), initializer=self.initial_scale, dtype="float32",
            aggregation="none", name="dynamic_scale")
        if not self.inner_optimizer.built:
            self.inner_optimizer.build(variables)
        super().build(variables)

    @property
    def variables(self):
        """Own state (iterations, learning rate, step counter, scale), then
        the inner optimizer's, as Keras 3 orders them."""
        return self._variables + self.inner_optimizer.variables

    @property
    def iterations(self):
        """The inner optimizer's step count (skipped steps don't count)."""
        return self.inner_optimizer.iterations

    @iterations.setter
    def iterations(self, variable):
        self._own_iterations = variable  # the base class's, unused

    @property
    def learning_rate(self):
        return self.inner_optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, value):
        self.inner_optimizer.learning_rate = value

    lr = learning_rate

    # -- the step ----------------------------------------------------------
    def scale_loss(self, loss):
        """`loss` times the current scale (differentiate this one)."""
        scale = self.dynamic_scale.value if self.built else self.initial_scale
        return loss * scale

    def check_finite(self, grads):
        """A scalar boolean tensor: whether every gradient is finite."""
        finite = None
        for g in grads:
            if g is None:
                continue
            ok = ops.all(ops.isfinite(g))
            finite = ok if finite is None else ops.logical_and(finite, ok)
        return ops.convert_to_tensor(True) if finite is None else finite

    def apply(self, grads, trainable_variables=None):
        """Unscales `grads` and applies them with the inner optimizer, or
        skips the update if any is not finite; then adjusts the scale."""
        grads = list(grads)
        if trainable_variables is None:
            if not self.built:
                raise ValueError(
                    "LossScaleOptimizer.apply(grads) without variables "
                    "needs a built optimizer; call `optimizer.build("
                    "variables)` first or pass `trainable_variables`.")
            variables = self._trainable_variables
        else:
            variables = list(trainable_variables)
            self.build(variables)
        with B.no_grad():
            self._apply_scaled(grads, variables)

    def _apply_scaled(self, grads, variables):
        finite = self.check_finite(grads)
        scale = self.dynamic_scale.value
        unscaled = [None if g is None else _unscale(g, scale) for g in grads]
        # Compute the inner update without writing it ...
        with scope_lib.StatelessScope() as updates:
            self.inner_optimizer.apply(unscaled, variables)
        # ... then keep it only where the gradients were finite.
        for variable in updates.assigned.values():
            variable.assign(ops.where(finite, updates.get(variable),
                                      variable.value))
        counter = self.step_counter.value
        grow = ops.equal(counter, self.dynamic_growth_steps - 1)
        zero = ops.zeros_like(counter)
        self.step_counter.assign(ops.where(
            finite, ops.where(grow, zero, counter + 1), zero))
        self.dynamic_scale.assign(ops.where(
            finite, ops.where(grow, scale * 2.0, scale), scale / 2.0))

    def stateless_apply(self, optimizer_variables, grads,
                        trainable_variables):
        """`apply` as a pure function of values; `optimizer_variables`
        are values for `self.variables` (own, then the inner optimizer's).
        """
        if not self.built:
            raise ValueError("LossScaleOptimizer.stateless_apply needs a "
                             "built optimizer; call `optimizer.build("
                             "variables)` first.")
        owned = self.variables
        for what, values, expected in (
                ("optimizer_variables", optimizer_variables, owned),
                ("trainable_variables", trainable_variables,
                 self._trainable_variables)):
            if len(values) != len(expected):
                raise ValueError(f"LossScaleOptimizer.stateless_apply: "
                                 f"`{what}` has {len(values)} values; "
                                 f"expected {len(expected)}.")
        owners = list(self._trainable_variables) + owned
        values = list(trainable_variables) + list(optimizer_variables)
        mapping = [(v, ops.convert_to_tensor(x, v.dtype))
                   for v, x in zip(owners, values)]
        with scope_lib.StatelessScope(mapping) as scope:
            self.apply(grads)
        new = [scope.get(v) for v in owners]
        n = len(self._trainable_variables)
        return new[:n], new[n:]

    def finalize_variable_values(self, var_list):
        self.inner_optimizer.finalize_variable_values(var_list)

    # -- weights and config -------------------------------------------------
    def get_weights(self):
        return [v.numpy() for v in self.variables]

    def set_weights(self, weights):
        weights, variables = list(weights), self.variables
        if len(weights) != len(variables):
            raise ValueError(f"LossScaleOptimizer.set_weights: got "
                             f"{len(weights)} arrays, expected "
                             f"{len(variables)} (build it first).")
        for variable, weight in zip(variables, weights):
            variable.assign(weight)

    def save_own_variables(self, store):
        for i, variable in enumerate(self.variables):
            store[str(i)] = variable.numpy()

    def load_own_variables(self, store):
        variables = self.variables
        if len(store.keys()) != len(variables):
            raise ValueError(f"LossScaleOptimizer '{self.name}': the saved "
                             f"state has {len(store.keys())} variables, this "
                             f"optimizer {len(variables)}; build it first.")
        for i, variable in enumerate(variables):
            variable.assign(store[str(i)])

    def get_config(self):
        from lamina.saving import config as saving_config
        return {"name": self.name,
                "inner_optimizer": saving_config.serialize(
                    self.inner_optimizer),
                "initial_scale": self.initial_scale,
                "dynamic_growth_steps": self.dynamic_growth_steps}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from lamina import optimizers
        config = dict(config)
        inner = optimizers.deserialize(config.pop("inner_optimizer"),
                                       custom_objects)
        return cls(inner, **config)


def _unscale(gradient, scale):
    """`gradient / scale`, divided in at least float32 (a float16 scale
    of 2**16 would be inf) and returned in the gradient's dtype."""
    dtype = ops.dtype(gradient)
    if dtype in ("float32", "float64"):
        return gradient / ops.cast(scale, dtype)
    return ops.cast(ops.cast(gradient, "float32") / scale, dtype)
