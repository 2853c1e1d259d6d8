"""FTRL-Proximal: follow the regularized leader."""

from lamina import ops
from lamina.optimizers import _arguments
from lamina.optimizers.optimizer import Optimizer


class Ftrl(Optimizer):
    """FTRL-Proximal (McMahan et al., 2013), as Keras 3 writes it.

    With gradient `g`, learning rate `lr`, `p = -learning_rate_power`,
    `l1`, `l2' = l2 + beta / (2 lr)` and shrinkage `l2s`:

        g' = g + 2 * l2s * w
        n' = n + g^2
        z <- z + g' - (n'^p - n^p) / lr * w
        w <- (clip(z, -l1, l1) - z) / (n'^p / lr + 2 * l2')
        n <- n'

    so `w = 0` wherever `|z| <= l1` (sparsity). `n` starts at
    `initial_accumulator_value`, `z` at 0.

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable.
        learning_rate_power: `-p`, <= 0 (-0.5 is Adagrad-like).
        initial_accumulator_value: the starting `n`, >= 0.
        l1_regularization_strength: `l1`, >= 0.
        l2_regularization_strength: `l2`, >= 0.
        l2_shrinkage_regularization_strength: `l2s`, >= 0 (an L2 penalty
            on the gradient only, not on the accumulated magnitude).
        beta: the `beta` of the paper's per-coordinate rate, >= 0.
        name: the optimizer's name.
        **kwargs: the `Optimizer` arguments.
    """

    def __init__(self, learning_rate=0.001, learning_rate_power=-0.5,
                 initial_accumulator_value=0.1,
                 l1_regularization_strength=0.0,
                 l2_regularization_strength=0.0,
                 l2_shrinkage_regularization_strength=0.0, beta=0.0,
                 name="ftrl", **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        if isinstance(learning_rate_power, bool) or not isinstance(
                learning_rate_power, (int, float)) or learning_rate_power > 0:
            raise ValueError("Ftrl: `learning_rate_power` must be a number "
                             f"<= 0, got {learning_rate_power!r}.")
        self.learning_rate_power = float(learning_rate_power)

        def number(name, value):
            return float(_arguments.check_number("Ftrl", name, value,
                                                 allow_none=False))
        self.initial_accumulator_value = number(
            "initial_accumulator_value", initial_accumulator_value)
        self.l1_regularization_strength = number(
            "l1_regularization_strength", l1_regularization_strength)
        self.l2_regularization_strength = number(
            "l2_regularization_strength", l2_regularization_strength)
        self.l2_shrinkage_regularization_strength = number(
            "l2_shrinkage_regularization_strength",
            l2_shrinkage_regularization_strength)
        self.beta = number("beta", beta)

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self._accumulators_n, self._linears = [], []
        for v in variables:
            self._accumulators_n.append(self.add_variable_from_reference(
                v, "accumulator", initializer=self.initial_accumulator_value))
            self._linears.append(self.add_variable_from_reference(
                v, "linear"))

    def _compute_step_constants(self, learning_rate, dtype):
        two_l2 = 2.0 * self.l2_regularization_strength + \
            self.beta / learning_rate
        return learning_rate, two_l2

    def update_step(self, gradient, variable, learning_rate):
        lr, two_l2 = self._step_constants(variable.dtype, learning_rate)
        i = self._get_variable_index(variable)
        n, z = self._accumulators_n[i], self._linears[i]
        p = -self.learning_rate_power
        w = variable.value
        shrinkage = 2.0 * self.l2_shrinkage_regularization_strength
        shrunk = gradient + w * shrinkage
        new_n = n.value + gradient * gradient
        new_n_p = ops.power(new_n, p)
        z.assign_add(shrunk - (new_n_p - ops.power(n.value, p)) / lr * w)
        l1 = self.l1_regularization_strength
        quadratic = new_n_p / lr + two_l2
        variable.assign((ops.clip(z.value, -l1, l1) - z.value) / quadratic)
        n.assign(new_n)

    def get_config(self):
        config = super().get_config()
        config.update(
            learning_rate_power=self.learning_rate_power,
            initial_accumulator_value=self.initial_accumulator_value,
            l1_regularization_strength=self.l1_regularization_strength,
            l2_regularization_strength=self.l2_regularization_strength,
            l2_shrinkage_regularization_strength=(
                self.l2_shrinkage_regularization_strength),
            beta=self.beta)
        return config
