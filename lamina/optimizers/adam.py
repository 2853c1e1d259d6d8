"""Adam: adaptive moment estimation."""

from lamina import ops
from lamina.optimizers import _arguments
from lamina.optimizers.optimizer import Optimizer


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2014, arXiv:1412.6980), as Keras 3 writes it.

    At step `t` (1-based), with gradient `g` and learning rate `lr`:

        alpha = lr * sqrt(1 - beta_2^t) / (1 - beta_1^t)
        m <- m + (g - m) * (1 - beta_1)
        v <- v + (g^2 - v) * (1 - beta_2)
        v_hat <- max(v_hat, v)                 (amsgrad only; then v = v_hat)
        w <- w - alpha * m / (sqrt(v) + eps)

    `eps` sits outside the bias correction (the paper's "epsilon hat"):
    `torch.optim.Adam` adds it to `sqrt(v / (1 - beta_2^t))` instead, so the
    two agree when `eps` is small next to `sqrt(v)`.

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable.
        beta_1: decay of the first-moment average.
        beta_2: decay of the second-moment average.
        epsilon: `eps`; None means `lamina.backend.epsilon()`.
        amsgrad: use the running maximum of `v` (Reddi et al., 2018).
        name: the optimizer's name.
        **kwargs: the `Optimizer` arguments.
    """

    _fast_path = "adam"

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999,
                 epsilon=1e-7, amsgrad=False, name="adam", **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        cls = type(self).__name__
        self.beta_1 = _arguments.fraction(cls, "beta_1", beta_1)
        self.beta_2 = _arguments.fraction(cls, "beta_2", beta_2)
        self.epsilon = _arguments.epsilon(cls, epsilon)
        self.amsgrad = bool(amsgrad)

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self._momentums, self._velocities = [], []
        for v in variables:
            self._momentums.append(
                self.add_variable_from_reference(v, "momentum"))
            self._velocities.append(
                self.add_variable_from_reference(v, "velocity"))
        self._velocity_hats = [
            self.add_variable_from_reference(v, "velocity_hat")
            for v in variables] if self.amsgrad else []

    def _compute_step_constants(self, learning_rate, dtype):
        t = self._local_step(dtype)
        return learning_rate * ops.sqrt(
            self._one_minus_power(self.beta_2, t)) / self._one_minus_power(
                self.beta_1, t)

    def update_step(self, gradient, variable, learning_rate):
        alpha = self._step_constants(variable.dtype, learning_rate)
        i = self._get_variable_index(variable)
        m, v = self._momentums[i], self._velocities[i]
        m.assign_add((gradient - m.value) * (1.0 - self.beta_1))
        v.assign_add((gradient * gradient - v.value) * (1.0 - self.beta_2))
        if self.amsgrad:
            v_hat = self._velocity_hats[i]
            v_hat.assign(ops.maximum(v_hat.value, v.value))
            v = v_hat
        variable.assign_sub(m.value * alpha /
                            (ops.sqrt(v.value) + self.epsilon))

    def get_config(self):
        config = super().get_config()
        config.update(beta_1=self.beta_1, beta_2=self.beta_2,
                      epsilon=self.epsilon, amsgrad=self.amsgrad)
        return config
