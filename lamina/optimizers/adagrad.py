"""Adagrad: per-coordinate rates from the sum of squared gradients."""

from lamina import ops
from lamina.optimizers import _arguments
from lamina.optimizers.optimizer import Optimizer


class Adagrad(Optimizer):
    """Adagrad (Duchi, Hazan & Singer, 2011).

    With gradient `g`, learning rate `lr` and `eps` inside the root (as in
    Keras; `torch.optim.Adagrad` adds it outside):

        s <- s + g^2                  (s starts at initial_accumulator_value)
        w <- w - lr * g / sqrt(s + eps)

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable.
        initial_accumulator_value: the starting value of `s` (>= 0).
        epsilon: `eps`; None means `lamina.backend.epsilon()`.
        name: the optimizer's name.
        **kwargs: the `Optimizer` arguments.
    """

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1,
                 epsilon=1e-7, name="adagrad", **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.initial_accumulator_value = float(_arguments.check_number(
            "Adagrad", "initial_accumulator_value",
            initial_accumulator_value, allow_none=False))
        self.epsilon = _arguments.epsilon("Adagrad", epsilon)

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self._accumulators_sq = [
            self.add_variable_from_reference(
                v, "accumulator", initializer=self.initial_accumulator_value)
            for v in variables]

    def update_step(self, gradient, variable, learning_rate):
        lr = self._step_constants(variable.dtype, learning_rate)
        s = self._accumulators_sq[self._get_variable_index(variable)]
        s.assign_add(gradient * gradient)
        variable.assign_sub(gradient * lr / ops.sqrt(s.value + self.epsilon))

    def get_config(self):
        config = super().get_config()
        config.update(
            initial_accumulator_value=self.initial_accumulator_value,
            epsilon=self.epsilon)
        return config
