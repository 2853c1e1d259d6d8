"""RMSprop: gradients divided by a running root-mean-square."""

from lamina import ops
from lamina.optimizers import _arguments
from lamina.optimizers.optimizer import Optimizer


class RMSprop(Optimizer):
    """Root-mean-square propagation (Hinton, Coursera lecture 6e).

    With gradient `g`, learning rate `lr`, decay `rho`, momentum `mu` and
    `eps` (inside the square root, as in Keras):

        v <- rho * v + (1 - rho) * g^2
        a <- rho * a + (1 - rho) * g          (centered only)
        d = v - a^2 + eps  (centered)   or   d = v + eps
        step = lr * g / sqrt(d)
        m <- mu * m + step;  w <- w - m       (momentum > 0)
        w <- w - step                         (momentum = 0)

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable.
        rho: the decay of the squared-gradient average.
        momentum: `mu`, in [0, 1].
        epsilon: `eps`; None means `lamina.backend.epsilon()`.
        centered: whether to subtract the squared mean gradient, which
            normalizes by the gradient's estimated variance.
        name: the optimizer's name.
        **kwargs: the `Optimizer` arguments.
    """

    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0,
                 epsilon=1e-7, centered=False, name="rmsprop", **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.rho = _arguments.fraction("RMSprop", "rho", rho)
        self.momentum = _arguments.fraction("RMSprop", "momentum", momentum)
        self.epsilon = _arguments.epsilon("RMSprop", epsilon)
        self.centered = bool(centered)

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        add = self.add_variable_from_reference
        self._velocities = [add(v, "velocity") for v in variables]
        self._momentums = [add(v, "momentum") for v in variables] \
            if self.momentum > 0 else []
        self._average_gradients = [add(v, "average_gradient")
                                   for v in variables] if self.centered else []

    def update_step(self, gradient, variable, learning_rate):
        lr = self._step_constants(variable.dtype, learning_rate)
        i = self._get_variable_index(variable)
        rho = self.rho
        velocity = self._velocities[i]
        velocity.assign(velocity.value * rho +
                        (gradient * gradient) * (1.0 - rho))
        if self.centered:
            average = self._average_gradients[i]
            average.assign(average.value * rho + gradient * (1.0 - rho))
            denominator = velocity.value - average.value * average.value
        else:
            denominator = velocity.value
        step = gradient * lr / ops.sqrt(denominator + self.epsilon)
        if self.momentum > 0:
            momentum = self._momentums[i]
            momentum.assign(momentum.value * self.momentum + step)
            variable.assign_sub(momentum.value)
        else:
            variable.assign_sub(step)

    def get_config(self):
        config = super().get_config()
        config.update(rho=self.rho, momentum=self.momentum,
                      epsilon=self.epsilon, centered=self.centered)
        return config

