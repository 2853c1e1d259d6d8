"""Adadelta: step sizes from running averages of gradients and steps."""

from lamina import ops
from lamina.optimizers import _arguments
from lamina.optimizers.optimizer import Optimizer


class Adadelta(Optimizer):
    """Adadelta (Zeiler, 2012, arXiv:1212.5701).

    With gradient `g`, learning rate `lr`, decay `rho` and
    `rms(x) = sqrt(x + eps)`:

        a <- rho * a + (1 - rho) * g^2
        d = -rms(b) / rms(a) * g
        b <- rho * b + (1 - rho) * d^2
        w <- w + lr * d

    (`torch.optim.Adadelta` is the same rule; its default `lr` is 1.0.)

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable;
            default 0.001 (Keras 2.3 and later; Keras 1 and 2.0-2.2 used
            1.0, which a Keras program run by `lamina run` is warned of).
        rho: the decay of both averages.
        epsilon: `eps`; None means `lamina.backend.epsilon()`.
        name: the optimizer's name.
        **kwargs: the `Optimizer` arguments.
    """

    def __init__(self, learning_rate=None, rho=0.95, epsilon=1e-7,
                 name="adadelta", **kwargs):
        if learning_rate is None and "lr" not in kwargs:
            learning_rate = 0.001
            _warn_if_keras_program()
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.rho = _arguments.fraction("Adadelta", "rho", rho)
        self.epsilon = _arguments.epsilon("Adadelta", epsilon)

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self._accumulated_grads, self._accumulated_delta_vars = [], []
        for v in variables:
            self._accumulated_grads.append(
                self.add_variable_from_reference(v, "accumulated_grad"))
            self._accumulated_delta_vars.append(
                self.add_variable_from_reference(v, "accumulated_delta_var"))

    def update_step(self, gradient, variable, learning_rate):
        lr = self._step_constants(variable.dtype, learning_rate)
        i = self._get_variable_index(variable)
        a, b = self._accumulated_grads[i], self._accumulated_delta_vars[i]
        rho, eps = self.rho, self.epsilon
        a.assign(a.value * rho + (gradient * gradient) * (1.0 - rho))
        delta = -ops.sqrt(b.value + eps) / ops.sqrt(a.value + eps) * gradient
        b.assign(b.value * rho + (delta * delta) * (1.0 - rho))
        variable.assign_add(delta * lr)

    def get_config(self):
        config = super().get_config()
        config.update(rho=self.rho, epsilon=self.epsilon)
        return config


def _warn_if_keras_program():
    """A Keras program (run through the `keras` alias) that leaves out the
    learning rate may be from an era whose default was 1.0: say so once,
    rather than train 1000 times slower in silence."""
    from lamina.legacy import aliases, arguments
    if aliases.is_aliased():
        arguments.warn_once(
            "Adadelta default learning rate",
            "Adadelta's default learning rate is 0.001 (Keras 2.3 and "
            "later, Keras 3); Keras 1 and Keras 2.0-2.2 used 1.0. For "
            "those versions' behaviour write "
            "Adadelta(learning_rate=1.0).", UserWarning)
