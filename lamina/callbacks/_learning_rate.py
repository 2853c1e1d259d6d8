"""Reading and setting an optimizer's learning rate from a callback."""

import numpy as np

from lamina.utils.progbar import to_float


def _optimizer(callback):
    optimizer = getattr(callback.model, "optimizer", None)
    if optimizer is None or not hasattr(optimizer, "learning_rate"):
        raise ValueError(
            f"{type(callback).__name__}: the model's optimizer must have a "
            f"`learning_rate` attribute; got {optimizer!r}. Compile the "
            "model with an optimizer before calling fit.")
    return optimizer


def get_learning_rate(callback):
    """The current learning rate of `callback.model.optimizer`, a float."""
    value = _optimizer(callback).learning_rate
    if hasattr(value, "assign") and hasattr(value, "numpy"):  # a Variable
        return float(np.asarray(value.numpy()).reshape(-1)[0])
    return to_float(value)


def set_learning_rate(callback, value):
    """Sets `callback.model.optimizer.learning_rate` to the float `value`."""
    _optimizer(callback).learning_rate = float(value)
