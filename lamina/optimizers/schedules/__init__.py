"""`lamina.optimizers.schedules`: learning rates that change with the step.

Example:

>>> from lamina.optimizers import schedules
>>> s = schedules.ExponentialDecay(0.1, decay_steps=100, decay_rate=0.9)
>>> schedules.deserialize(schedules.serialize(s)).get_config()["decay_rate"]
0.9
"""

from lamina.optimizers.schedules.learning_rate_schedule import (
    CosineDecay,
    CosineDecayRestarts,
    ExponentialDecay,
    InverseTimeDecay,
    LearningRateSchedule,
    PiecewiseConstantDecay,
    PolynomialDecay,
)

ALL_OBJECTS = {
    cls.__name__: cls for cls in (
        LearningRateSchedule, ExponentialDecay, PiecewiseConstantDecay,
        InverseTimeDecay, PolynomialDecay, CosineDecay, CosineDecayRestarts)
}

__all__ = ["ALL_OBJECTS", "CosineDecay", "CosineDecayRestarts",
           "ExponentialDecay",
           "InverseTimeDecay", "LearningRateSchedule",
           "PiecewiseConstantDecay", "PolynomialDecay", "deserialize",
           "serialize"]


def serialize(schedule):
    """The Keras 3 config dict of a `LearningRateSchedule`."""
    from lamina.saving import config as saving_config
    return saving_config.serialize(schedule)


def deserialize(config, custom_objects=None):
    """A `LearningRateSchedule` from its `serialize` form."""
    from lamina.saving import config as saving_config
    return saving_config.deserialize(config, "schedules", custom_objects)
