"""`LearningRateScheduler`: sets the learning rate at each epoch start."""

import inspect
import numbers

from lamina.callbacks import _learning_rate
from lamina.callbacks.callback import Callback


def _takes_two_arguments(fn):
    """Whether `fn` can be called as fn(epoch, lr); None if unknown."""
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):
        return None
    positional = 0
    for param in signature.parameters.values():
        if param.kind == param.VAR_POSITIONAL:
            return True
        if param.kind in (param.POSITIONAL_ONLY,
                          param.POSITIONAL_OR_KEYWORD):
            positional += 1
    return positional >= 2


class LearningRateScheduler(Callback):
    """Sets the optimizer's learning rate from `schedule` at each epoch.

    `schedule(epoch, lr)` gets the epoch index (from 0) and the current
    rate and returns the new rate; a Keras 1 style `schedule(epoch)` with
    one argument works too. The rate is added to the epoch logs as
    'learning_rate'.

    Args:
        schedule: a function of (epoch, lr) or of (epoch) returning a float.
        verbose: 1 prints the rate set at each epoch.

    Example:
        >>> def schedule(epoch, lr):
        ...     return lr if epoch < 10 else lr * 0.9
        >>> LearningRateScheduler(schedule).schedule(3, 0.1)
        0.1
    """

    def __init__(self, schedule, verbose=0):
        super().__init__()
        if not callable(schedule):
            raise TypeError(f"LearningRateScheduler: `schedule` must be a "
                            f"function of (epoch, lr) or (epoch), got "
                            f"{schedule!r}.")
        self.schedule = schedule
        self.verbose = verbose

    def on_epoch_begin(self, epoch, logs=None):
        two = _takes_two_arguments(self.schedule)
        if two is None:  # e.g. a builtin: try the Keras 3 form first
            lr = _learning_rate.get_learning_rate(self)
            try:
                new_lr = self.schedule(epoch, lr)
            except TypeError:
                new_lr = self.schedule(epoch)
        elif two:
            new_lr = self.schedule(epoch,
                                   _learning_rate.get_learning_rate(self))
        else:
            new_lr = self.schedule(epoch)
        if isinstance(new_lr, bool) or \
                not isinstance(new_lr, numbers.Real):
            # ValueError, not TypeError: the exception Keras raises here.
            raise ValueError(  # noqa: TRY004
                "The output of the `schedule` function should be a float. "
                f"Got: {new_lr!r}")
        _learning_rate.set_learning_rate(self, new_lr)
        if self.verbose > 0:
            print(f"Epoch {epoch + 1}: LearningRateScheduler setting "
                  f"learning rate to {float(new_lr)}.")

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["learning_rate"] = _learning_rate.get_learning_rate(self)

    def get_config(self):
        # `schedule` is a Python function: the config round-trips in
        # memory but can't be written to JSON.
        return {"schedule": self.schedule, "verbose": self.verbose}
