"""Lion: the sign of an interpolated momentum."""

from lamina import ops
from lamina.optimizers import _arguments
from lamina.optimizers.optimizer import Optimizer


class Lion(Optimizer):
    """Lion (Chen et al., 2023, arXiv:2302.06675).

    With gradient `g` and learning rate `lr`:

        w <- w - lr * sign(beta_1 * m + (1 - beta_1) * g)
        m <- beta_2 * m + (1 - beta_2) * g

    Every coordinate moves by exactly `lr`, so Lion usually wants a rate
    3-10x smaller than Adam's.

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable.
        beta_1: interpolation for the update direction, in (0, 1].
        beta_2: decay of the momentum.
        name: the optimizer's name.
        **kwargs: the `Optimizer` arguments.
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.99,
                 name="lion", **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        if isinstance(beta_1, bool) or not isinstance(beta_1, (int, float)) \
                or not 0 < beta_1 <= 1:
            raise ValueError("Lion: `beta_1` must be in (0, 1] (at 0 Lion "
                             f"degenerates to sign SGD); got {beta_1!r}.")
        self.beta_1 = float(beta_1)
        self.beta_2 = _arguments.fraction("Lion", "beta_2", beta_2)

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self._momentums = [self.add_variable_from_reference(v, "momentum")
                           for v in variables]

    def update_step(self, gradient, variable, learning_rate):
        lr = self._step_constants(variable.dtype, learning_rate)
        m = self._momentums[self._get_variable_index(variable)]
        direction = m.value * self.beta_1 + gradient * (1.0 - self.beta_1)
        variable.assign_sub(ops.sign(direction) * lr)
        m.assign(m.value * self.beta_2 + gradient * (1.0 - self.beta_2))

    def get_config(self):
        config = super().get_config()
        config.update(beta_1=self.beta_1, beta_2=self.beta_2)
        return config
