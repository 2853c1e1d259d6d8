"""Nadam: Adam with Nesterov momentum."""

from lamina import backend, ops
from lamina.optimizers import _arguments
from lamina.optimizers.optimizer import Optimizer


class Nadam(Optimizer):
    """Nadam (Dozat, 2016), as Keras 3 writes it.

    At step `t` (1-based), with gradient `g`, learning rate `lr` and the
    momentum schedule `u_t = beta_1 * (1 - 0.5 * 0.96^(t * s))`
    (`s = schedule_decay`, 1 unless given), `P_t = u_1 * ... * u_t`:

        m <- m + (g - m) * (1 - beta_1)
        v <- v + (g^2 - v) * (1 - beta_2)
        m_hat = u_{t+1} * m / (1 - P_t * u_{t+1}) + (1 - u_t) * g / (1 - P_t)
        v_hat = v / (1 - beta_2^t)
        w <- w - lr * m_hat / (sqrt(v_hat) + eps)

    This is `torch.optim.NAdam` with `momentum_decay=1`.

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable.
        beta_1: decay of the first-moment average.
        beta_2: decay of the second-moment average.
        epsilon: `eps`; None means `lamina.backend.epsilon()`.
        name: the optimizer's name.
        **kwargs: the `Optimizer` arguments, and Keras 1's
            `schedule_decay` (`s` above; Keras 3 has no such argument).
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999,
                 epsilon=1e-7, name="nadam", **kwargs):
        schedule_decay = kwargs.pop("schedule_decay", None)
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.beta_1 = _arguments.fraction("Nadam", "beta_1", beta_1)
        self.beta_2 = _arguments.fraction("Nadam", "beta_2", beta_2)
        self.epsilon = _arguments.epsilon("Nadam", epsilon)
        self.schedule_decay = _arguments.check_number(
            "Nadam", "schedule_decay", schedule_decay)

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
        dtype = variables[0].dtype if variables else backend.floatx()
        self._u_product = self.add_variable((), "ones", dtype=dtype,
                                            name="u_product")

    def _momentum_at(self, step):
        exponent = step if self.schedule_decay is None \
            else step * float(self.schedule_decay)
        return self.beta_1 * (1.0 - 0.5 * ops.power(0.96, exponent))

    def _before_update_steps(self, learning_rate):
        u_t = self._momentum_at(self._local_step(self._u_product.dtype))
        self._u_product.assign(self._u_product.value * u_t)

    def _compute_step_constants(self, learning_rate, dtype):
        t = self._local_step(dtype)
        u_t, u_next = self._momentum_at(t), self._momentum_at(t + 1.0)
        product = ops.cast(self._u_product.value, dtype)
        m_scale = learning_rate * u_next / (1.0 - product * u_next)
        g_scale = learning_rate * (1.0 - u_t) / (1.0 - product)
        return m_scale, g_scale, self._one_minus_power(self.beta_2, t)

    def update_step(self, gradient, variable, learning_rate):
        m_scale, g_scale, correction = self._step_constants(
            variable.dtype, learning_rate)
        i = self._get_variable_index(variable)
        m, v = self._momentums[i], self._velocities[i]
        m.assign_add((gradient - m.value) * (1.0 - self.beta_1))
        v.assign_add((gradient * gradient - v.value) * (1.0 - self.beta_2))
        v_hat = v.value / correction
        variable.assign_sub((m.value * m_scale + gradient * g_scale) /
                            (ops.sqrt(v_hat) + self.epsilon))

    def get_config(self):
        config = super().get_config()
        config.update(beta_1=self.beta_1, beta_2=self.beta_2,
                      epsilon=self.epsilon)
        if self.schedule_decay is not None:
            config["schedule_decay"] = self.schedule_decay
        return config
