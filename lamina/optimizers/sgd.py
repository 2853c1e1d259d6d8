"""Stochastic gradient descent, with optional (Nesterov) momentum."""

from lamina.optimizers import _arguments
from lamina.optimizers.optimizer import Optimizer


class SGD(Optimizer):
    """Gradient descent with momentum.

    With gradient `g`, learning rate `lr` and momentum `mu`:

        m <- mu * m - lr * g
        w <- w + m                    (nesterov=False)
        w <- w + mu * m - lr * g      (nesterov=True, m already updated)

    and with `momentum=0` simply `w <- w - lr * g` (no slot is created).

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable.
        momentum: `mu`, in [0, 1].
        nesterov: whether to use Nesterov momentum.
        name: the optimizer's name.
        **kwargs: the `Optimizer` arguments (`weight_decay`, `clipnorm`,
            ..., and the Keras 1/2 `lr` and `decay`).

    Example:

    >>> from lamina import ops
    >>> from lamina.ops._bind import B
    >>> w = B.Variable([1.0, 2.0])
    >>> SGD(learning_rate=0.1).apply([ops.convert_to_tensor([1.0, 1.0])], [w])
    >>> w.numpy().tolist()
    [0.8999999761581421, 1.899999976158142]
    """

    _fast_path = "sgd"

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False,
                 name="SGD", **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.momentum = _arguments.fraction("SGD", "momentum", momentum)
        self.nesterov = bool(nesterov)

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self._momentums = [
            self.add_variable_from_reference(v, "momentum")
            for v in variables] if self.momentum != 0 else []

    def update_step(self, gradient, variable, learning_rate):
        lr = self._step_constants(variable.dtype, learning_rate)
        scaled = gradient * lr
        if not self._momentums:
            variable.assign_sub(scaled)
            return
        m = self._momentums[self._get_variable_index(variable)]
        m.assign(m.value * self.momentum - scaled)
        if self.nesterov:
            variable.assign_add(m.value * self.momentum - scaled)
        else:
            variable.assign_add(m.value)

    def get_config(self):
        config = super().get_config()
        config.update(momentum=self.momentum, nesterov=self.nesterov)
        return config
