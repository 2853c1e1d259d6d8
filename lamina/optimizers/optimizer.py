"""The optimizer base class: state, clipping, weight decay, the apply loop.

A subclass writes its rule once with `lamina.ops`: `build(variables)`
creates the slot variables, `update_step(gradient, variable, learning_rate)`
updates one variable with `assign` / `assign_add` / `assign_sub`. Scalars
that depend only on the step (bias corrections) go in
`_compute_step_constants`, which runs once per `apply` and dtype instead
of once per variable. Everything here runs on every backend: no control
flow on tensor values, no host syncs in `apply`.
"""

import math
import re
import warnings

import numpy as np

from lamina import backend, ops
from lamina.backend.common import scope as scope_lib
from lamina.backend.common.variables import Variable
from lamina.ops._bind import B
from lamina.optimizers import _accumulation, _arguments, _clipping
from lamina.optimizers.schedules import learning_rate_schedule as lrs

# The backend's multi-tensor versions of some rules (see
# lamina/backend/torch/optimizer_kernels.py); empty where there are none.
_KERNELS = getattr(getattr(B, "optimizer_kernels", None), "KERNELS", {})


class Optimizer:
    """Base class of all optimizers.

    Args:
        learning_rate: a float, a `LearningRateSchedule` (called with the
            step count), or a zero-argument callable.
        weight_decay: if set, decoupled weight decay: before each update,
            `var -= var * weight_decay * lr`.
        clipnorm: clip each gradient to this L2 norm.
        clipvalue: clip each gradient element to `[-clipvalue, clipvalue]`.
        global_clipnorm: clip all gradients together to this global norm.
            At most one of the three clipping arguments may be set.
        use_ema: keep an exponential moving average of the trained
            variables (see `finalize_variable_values`).
        ema_momentum: the average's momentum.
        ema_overwrite_frequency: every this many steps, overwrite the
            variables with their average; None never does.
        loss_scale_factor: gradients are divided by this (pair it with
            `scale_loss(loss)`).
        gradient_accumulation_steps: update only every this many calls,
            with the mean of the gradients received in between.
        name: the optimizer's name.
        **kwargs: Keras 1/2 spellings: `lr` (= `learning_rate`, warns) and
            `decay`, the Keras 2 time-based decay: the rate used at step
            `t` is `lr / (1 + decay * t)`.

    Raises:
        TypeError: for an argument this optimizer doesn't have.
        ValueError: for an argument out of range.
    """

    # Name of a backend multi-tensor kernel implementing `update_step` for
    # all weights at once (None: no such kernel); `use_fast_path = False`
    # forces the per-weight rule.
    _fast_path = None
    use_fast_path = True

    def __init__(self, learning_rate, weight_decay=None, clipnorm=None,
                 clipvalue=None, global_clipnorm=None, use_ema=False,
                 ema_momentum=0.99, ema_overwrite_frequency=None,
                 loss_scale_factor=None, gradient_accumulation_steps=None,
                 name=None, **kwargs):
        cls = type(self).__name__
        learning_rate, self.decay = _arguments.pop_legacy_arguments(
            self, learning_rate, kwargs)
        check = _arguments.check_number
        self.name = name or _arguments.snake_case(cls)
        self.weight_decay = check(cls, "weight_decay", weight_decay)
        self.clipnorm = check(cls, "clipnorm", clipnorm)
        self.clipvalue = check(cls, "clipvalue", clipvalue)
        self.global_clipnorm = check(cls, "global_clipnorm", global_clipnorm)
        if sum(a is not None for a in (clipnorm, clipvalue,
                                       global_clipnorm)) > 1:
            raise ValueError(
                f"{cls}: only one of `clipnorm`, `clipvalue` and "
                f"`global_clipnorm` can be set; got clipnorm={clipnorm}, "
                f"clipvalue={clipvalue}, global_clipnorm={global_clipnorm}.")
        self.use_ema = bool(use_ema)
        self.ema_momentum = check(cls, "ema_momentum", ema_momentum,
                                  high=1.0, allow_none=False)
        self.ema_overwrite_frequency = _arguments.check_count(
            cls, "ema_overwrite_frequency", ema_overwrite_frequency, 1)
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = _arguments.check_count(
            cls, "gradient_accumulation_steps", gradient_accumulation_steps,
            2)

        self.built = False
        self._variables = []
        self._trainable_variables = []
        self._index = {}
        self._cache = None
        self._exclude_ids, self._exclude_pattern = set(), None
        self.iterations = self._track(B.Variable(
            np.zeros((), "int64"), dtype="int64", trainable=False,
            name="iteration", aggregation="only_first_replica"))
        self._learning_rate = self._build_learning_rate(learning_rate)

    def _build_learning_rate(self, learning_rate):
        if callable(learning_rate):  # a schedule or a zero-arg function
            return learning_rate
        value = learning_rate
        if isinstance(value, Variable):
            value = value.numpy()
        if not isinstance(value, bool):
            try:
                value = float(np.asarray(value))
            except (TypeError, ValueError):
                value = None
        if not isinstance(value, float) or not value >= 0:
            raise ValueError(
                f"{type(self).__name__}: `learning_rate` must be a "
                "non-negative float, a LearningRateSchedule or a callable; "
                f"got {learning_rate!r}.")
        return self._track(B.Variable(
            np.asarray(value, backend.floatx()), dtype=backend.floatx(),
            trainable=False, name="learning_rate",
            aggregation="only_first_replica"))

    # -- variables ----------------------------------------------------------
    def _track(self, variable):
        variable.path = f"{self.name}/{variable.name}"
        self._variables.append(variable)
        return variable

    @property
    def variables(self):
        """All optimizer state: iterations, learning rate, then slots."""
        return self._variables[:]

    def add_variable(self, shape, initializer="zeros", dtype=None,
                     aggregation="mean", name=None):
        """A new non-trainable state variable, tracked in `variables`.

        Args:
            shape: the variable's shape.
            initializer: 'zeros', 'ones', a number, an initializer name or
                a callable `(shape, dtype)`.
            dtype: the dtype; default the configured float type.
            aggregation: how replicas combine it.
            name: the variable's name.
        """
        dtype = dtype or backend.floatx()
        shape = tuple(shape)
        if initializer == "zeros":
            value = ops.zeros(shape, dtype=dtype)
        elif initializer == "ones":
            value = ops.ones(shape, dtype=dtype)
        elif isinstance(initializer, (int, float)) and \
                not isinstance(initializer, bool):
            value = ops.full(shape, initializer, dtype=dtype)
        else:
            if not callable(initializer):
                from lamina import initializers
                initializer = initializers.get(initializer)
            value = initializer(shape, dtype=dtype)
        return self._track(B.Variable(value, dtype=dtype, trainable=False,
                                      name=name, aggregation=aggregation))

    def add_variable_from_reference(self, reference_variable, name=None,
                                    initializer="zeros"):
        """A slot shaped and typed like `reference_variable`."""
        prefix = getattr(reference_variable, "path", None) or \
            str(reference_variable.name)
        name = prefix.replace("/", "_").replace(":", "_") + "_" + \
            (name or "var")
        return self.add_variable(reference_variable.shape, initializer,
                                 dtype=reference_variable.dtype, name=name)

    def build(self, variables):
        """Creates the optimizer's state for `variables` (once)."""
        variables = list(variables)
        self._averages, self._accumulators = [], []
        for i, variable in enumerate(variables):
            self._index[id(variable)] = i
            if self.use_ema:
                self._averages.append(self.add_variable_from_reference(
                    variable, "average"))
            if self.gradient_accumulation_steps:
                self._accumulators.append(self.add_variable_from_reference(
                    variable, "gradient_accumulator"))
        self._trainable_variables = variables
        self._decays = [self._use_weight_decay(v) for v in variables]
        self.built = True

    def _get_variable_index(self, variable):
        return self._index[id(variable)]

    def exclude_from_weight_decay(self, var_list=None, var_names=None):
        """Excludes variables (or names containing a word) from decay.

        Must be called before the optimizer is built.
        """
        if self.built:
            raise ValueError(f"{type(self).__name__}: call "
                             "`exclude_from_weight_decay()` before the "
                             "optimizer is built (before its first apply).")
        self._exclude_ids = {id(v) for v in var_list or ()}
        self._exclude_pattern = re.compile("|".join(
            re.escape(n) for n in var_names)) if var_names else None

    def _use_weight_decay(self, variable):
        if id(variable) in self._exclude_ids:
            return False
        pattern = self._exclude_pattern
        return pattern is None or pattern.search(variable.name) is None

    # -- learning rate --------------------------------------------------------
    @property
    def learning_rate(self):
        """The rate: its Variable, or the schedule's value at this step."""
        lr = self._learning_rate
        if isinstance(lr, Variable):
            return lr
        if isinstance(lr, lrs.LearningRateSchedule):
            return lr(self.iterations)
        return lr()

    @learning_rate.setter
    def learning_rate(self, value):
        current = self._learning_rate
        if callable(value):
            if isinstance(current, Variable):
                self._variables.remove(current)
            self._learning_rate = value
        elif isinstance(current, Variable):
            current.assign(ops.convert_to_tensor(value, current.dtype))
        else:
            raise TypeError(
                f"{type(self).__name__} was created with a schedule or "
                "callable `learning_rate`, so the rate can't be set to a "
                f"number ({value!r}); create the optimizer with a float "
                "`learning_rate` to change it during training.")

    lr = learning_rate  # the Keras 1/2 spelling

    def _learning_rate_tensor(self):
        lr = ops.convert_to_tensor(self.learning_rate)
        if self.decay:  # Keras 2: lr / (1 + decay * iterations)
            steps = ops.cast(self.iterations.value, ops.dtype(lr))
            lr = lr / (1.0 + self.decay * steps)
        return lr

    # -- applying gradients -------------------------------------------------
    def apply_gradients(self, grads_and_vars, name=None,
                        skip_gradients_aggregation=False, **kwargs):
        """Keras 2 spelling of `apply`: takes `(gradient, variable)` pairs.

        Returns:
            The `iterations` variable.
        """
        pairs = list(grads_and_vars)
        if pairs:
            grads, variables = zip(*pairs)
            self.apply(list(grads), list(variables))
        return self.iterations

    def apply(self, grads, trainable_variables=None):
        """Updates `trainable_variables` (default: those built on) in place.

        Args:
            grads: one gradient (or None, skipped) per variable.
            trainable_variables: the variables; builds the optimizer on the
                first call.
        """
        grads = list(grads)
        if trainable_variables is None:
            if not self.built:
                raise ValueError(
                    f"{type(self).__name__}.apply(grads) without variables "
                    "needs a built optimizer; call `optimizer.build("
                    "variables)` first or pass `trainable_variables`.")
            variables = self._trainable_variables
        else:
            variables = list(trainable_variables)
            if not self.built:
                self.build(variables)
            index = self._index
            for v in variables:
                if id(v) not in index:
                    raise ValueError(
                        f"{type(self).__name__} was built for other "
                        f"variables and can't update {v!r}; create a new "
                        "optimizer for a new set of variables.")
        if len(grads) != len(variables):
            raise ValueError(f"{type(self).__name__}.apply: got "
                             f"{len(grads)} gradients for {len(variables)} "
                             "variables; expected one per variable.")
        with B.no_grad():
            self._apply(grads, variables)

    def _apply(self, grads, variables):
        if any(g is None for g in grads):
            missing = [v.name for g, v in zip(grads, variables) if g is None]
            pairs = [(g, v) for g, v in zip(grads, variables) if g is not None]
            if not pairs:
                raise ValueError("No gradients provided for any variable "
                                 f"(all of {missing} got None).")
            warnings.warn(f"Gradients do not exist for variables {missing} "
                          "when minimizing the loss; they are not updated.",
                          stacklevel=3)
            grads, variables = [p[0] for p in pairs], [p[1] for p in pairs]
        grads = [ops.cast(g, v.dtype) for g, v in zip(grads, variables)]
        if self.loss_scale_factor is not None:
            grads = [g / self.loss_scale_factor for g in grads]
        grads = _clipping.clip_gradients(grads, self.clipnorm,
                                         self.clipvalue, self.global_clipnorm)
        learning_rate = self._learning_rate_tensor()
        self._cache = {}
        try:
            if self.gradient_accumulation_steps:
                _accumulation.accumulate_and_update(self, grads, variables,
                                                    learning_rate)
            else:
                self._update(grads, variables, learning_rate)
            if self.use_ema:
                _accumulation.update_moving_averages(self)
        finally:
            self._cache = None
        self.iterations.assign_add(1)
        for variable in variables:
            constraint = getattr(variable, "constraint", None)
            if constraint is not None:
                variable.assign(constraint(variable.value))

    def _update(self, grads, variables, learning_rate):
        if self.weight_decay is not None:
            factors = {}
            for variable in variables:
                if self._decays[self._index[id(variable)]]:
                    dtype = variable.dtype
                    if dtype not in factors:
                        factors[dtype] = ops.cast(learning_rate, dtype) * \
                            float(self.weight_decay)
                    variable.assign_sub(variable.value * factors[dtype])
        self._before_update_steps(learning_rate)
        kernel = _KERNELS.get(self._fast_path) if self._fast_path else None
        if kernel is not None and self.use_fast_path and \
                not scope_lib._stack and \
                kernel(self, grads, variables, learning_rate):
            return
        for grad, variable in zip(grads, variables):
            self.update_step(grad, variable, learning_rate)

    def _before_update_steps(self, learning_rate):
        """Hook: state updated once per step, before the variables."""

    def _step_constants(self, dtype, learning_rate):
        """`_compute_step_constants` for `dtype`, once per `apply`."""
        cache = self._cache
        if cache is not None:
            found = cache.get(dtype)
            if found is not None:
                return found
        found = self._compute_step_constants(ops.cast(learning_rate, dtype),
                                             dtype)
        if cache is not None:
            cache[dtype] = found
        return found

    def _compute_step_constants(self, learning_rate, dtype):
        """Scalars `update_step` needs; default: the learning rate."""
        return learning_rate

    def _local_step(self, dtype):
        """The 1-based number of the step being taken, as `dtype`."""
        return ops.cast(self.iterations.value + 1, dtype)

    @staticmethod
    def _one_minus_power(beta, step):
        """`1 - beta ** step` without cancellation.

        Bias corrections such as `1 - 0.999 ** t` lose about four digits in
        float32 when written that way (0.999 itself rounds); `-expm1(t *
        log(beta))` with the logarithm taken in float64 keeps full
        precision, as the float64 host arithmetic of `torch.optim` does.
        """
        log_beta = math.log(beta) if beta > 0 else -math.inf
        return -ops.expm1(step * log_beta)

    # Keras 3 custom optimizers write `self.assign(variable, value)`.
    def assign(self, variable, value):
        variable.assign(value)

    def assign_add(self, variable, value):
        variable.assign_add(value)

    def assign_sub(self, variable, value):
        variable.assign_sub(value)

    def update_step(self, gradient, variable, learning_rate):
        """Updates one variable; each optimizer implements its rule here."""
        raise NotImplementedError(
            f"{type(self).__name__} must implement `update_step(gradient, "
            "variable, learning_rate)`.")

    def stateless_apply(self, optimizer_variables, grads,
                        trainable_variables):
        """`apply` as a pure function of values.

        Args:
            optimizer_variables: values for `self.variables`, in order.
            grads: one gradient per trainable variable.
            trainable_variables: values for the variables built on.

        Returns:
            `(new_trainable_values, new_optimizer_values)`; no variable is
            written.
        """
        cls = type(self).__name__
        if not self.built:
            raise ValueError(f"{cls}.stateless_apply needs a built optimizer;"
                             " call `optimizer.build(variables)` first.")
        for what, values, expected in (
                ("optimizer_variables", optimizer_variables, self._variables),
                ("trainable_variables", trainable_variables,
                 self._trainable_variables)):
            if len(values) != len(expected):
                raise ValueError(f"{cls}.stateless_apply: `{what}` has "
                                 f"{len(values)} values; expected "
                                 f"{len(expected)}.")
        owners = list(self._trainable_variables) + list(self._variables)
        values = list(trainable_variables) + list(optimizer_variables)
        mapping = [(v, ops.convert_to_tensor(x, v.dtype))
                   for v, x in zip(owners, values)]
        with scope_lib.StatelessScope(mapping) as scope:
            self.apply(grads)
        new = [scope.get(v) for v in owners]
        n = len(self._trainable_variables)
        return new[:n], new[n:]

    def scale_loss(self, loss):
        """`loss * loss_scale_factor` (the loss unchanged if unset)."""
        if self.loss_scale_factor is None:
            return loss
        return loss * self.loss_scale_factor

    def finalize_variable_values(self, var_list):
        """With `use_ema`, sets the variables to their moving averages."""
        if self.use_ema:
            for variable, average in zip(var_list, self._averages):
                variable.assign(average.value)

    # -- state and config ---------------------------------------------------
    def get_weights(self):
        """The state as a list of NumPy arrays (Keras 2)."""
        return [v.numpy() for v in self._variables]

    def set_weights(self, weights):
        """Sets the state from `get_weights()` output."""
        weights = list(weights)
        if len(weights) != len(self._variables):
            raise ValueError(f"{type(self).__name__}.set_weights: got "
                             f"{len(weights)} arrays, expected "
                             f"{len(self._variables)} (build it first).")
        for variable, weight in zip(self._variables, weights):
            variable.assign(weight)

    def save_own_variables(self, store):
        """Writes the state into `store` under keys '0', '1', ..."""
        for i, variable in enumerate(self._variables):
            store[str(i)] = variable.numpy()

    def load_own_variables(self, store):
        """Reads the state from `save_own_variables` output."""
        if len(store.keys()) != len(self._variables):
            warnings.warn(
                f"Skipping variable loading for optimizer '{self.name}': it "
                f"has {len(self._variables)} variables, the saved state "
                f"{len(store.keys())}" + ("; build the optimizer first."
                                          if not self.built else "."),
                stacklevel=2)
            return
        for i, variable in enumerate(self._variables):
            variable.assign(store[str(i)])

    def _learning_rate_config(self):
        lr = self._learning_rate
        if isinstance(lr, Variable):
            # The shortest decimal of the stored float32: 0.001, not
            # 0.0010000000474974513.
            return float(str(np.asarray(lr.numpy())[()]))
        from lamina.saving import config as saving_config
        return saving_config.serialize(lr)

    def get_config(self):
        """The constructor arguments, for `from_config`."""
        config = {
            "name": self.name,
            "learning_rate": self._learning_rate_config(),
            "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm,
            "global_clipnorm": self.global_clipnorm,
            "clipvalue": self.clipvalue,
            "use_ema": self.use_ema,
            "ema_momentum": self.ema_momentum,
            "ema_overwrite_frequency": self.ema_overwrite_frequency,
            "loss_scale_factor": self.loss_scale_factor,
            "gradient_accumulation_steps": self.gradient_accumulation_steps,
        }
        if self.decay:  # Keras 3 warns on any `decay` key, so only if used
            config["decay"] = self.decay
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """An optimizer from `get_config()` output (no state)."""
        config = dict(config)
        if isinstance(config.get("learning_rate"), (dict, str)):
            from lamina.optimizers import schedules
            config["learning_rate"] = schedules.deserialize(
                config["learning_rate"], custom_objects)
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"
