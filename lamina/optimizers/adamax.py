"""Adamax: Adam with the infinity norm."""

from lamina import ops
from lamina.optimizers import _arguments
from lamina.optimizers.optimizer import Optimizer


class Adamax(Optimizer):
    """Adamax (Kingma & Ba, 2014, section 7.1), as Keras 3 writes it.

    At step `t` (1-based), with gradient `g` and learning rate `lr`:

        m <- m + (g - m) * (1 - beta_1)
        u <- max(beta_2 * u, |g|)
        w <- w - lr / (1 - beta_1^t) * m / (u + eps)

    (`torch.optim.Adamax` puts `eps` inside the max instead.)

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable.
        beta_1: decay of the first-moment average.
        beta_2: decay of the infinity norm.
        epsilon: `eps`; None means `lamina.backend.epsilon()`.
        name: the optimizer's name.
        **kwargs: the `Optimizer` arguments.
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999,
                 epsilon=1e-7, name="adamax", **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.beta_1 = _arguments.fraction("Adamax", "beta_1", beta_1)
        self.beta_2 = _arguments.fraction("Adamax", "beta_2", beta_2)
        self.epsilon = _arguments.epsilon("Adamax", epsilon)

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self._m, self._u = [], []
        for v in variables:
            self._m.append(self.add_variable_from_reference(v, "momentum"))
            self._u.append(self.add_variable_from_reference(v, "norm"))

    def _compute_step_constants(self, learning_rate, dtype):
        t = self._local_step(dtype)
        return learning_rate / self._one_minus_power(self.beta_1, t)

    def update_step(self, gradient, variable, learning_rate):
        scale = self._step_constants(variable.dtype, learning_rate)
        i = self._get_variable_index(variable)
        m, u = self._m[i], self._u[i]
        m.assign_add((gradient - m.value) * (1.0 - self.beta_1))
        u.assign(ops.maximum(u.value * self.beta_2, ops.abs(gradient)))
        variable.assign_sub(m.value * scale / (u.value + self.epsilon))

    def get_config(self):
        config = super().get_config()
        config.update(beta_1=self.beta_1, beta_2=self.beta_2,
                      epsilon=self.epsilon)
        return config
