"""`lamina.optimizers`: update rules, looked up by class or by name.

Each optimizer writes its rule once with `lamina.ops` (see `Optimizer`).
`get` accepts a name ('adam', 'SGD', ... in any case), a config dict or an
instance.

Example:

>>> from lamina import optimizers
>>> opt = optimizers.get("adam")
>>> type(opt).__name__, float(opt.learning_rate.numpy())
('Adam', 0.0010000000474974513)
>>> optimizers.deserialize(optimizers.serialize(opt)).get_config() == \\
...     opt.get_config()
True
"""

from lamina.optimizers import schedules
from lamina.optimizers.adadelta import Adadelta
from lamina.optimizers.adagrad import Adagrad
from lamina.optimizers.adam import Adam
from lamina.optimizers.adamax import Adamax
from lamina.optimizers.adamw import AdamW
from lamina.optimizers.ftrl import Ftrl
from lamina.optimizers.lion import Lion
from lamina.optimizers.nadam import Nadam
from lamina.optimizers.optimizer import Optimizer
from lamina.optimizers.rmsprop import RMSprop
from lamina.optimizers.sgd import SGD

_BUILT_IN = (SGD, RMSprop, Adam, AdamW, Adagrad, Adadelta, Adamax, Nadam,
             Ftrl, Lion)

ALL_OBJECTS = {"Optimizer": Optimizer}
for _cls in _BUILT_IN:
    ALL_OBJECTS[_cls.__name__] = _cls
    ALL_OBJECTS[_cls.__name__.lower()] = _cls
    # Keras 2.11-2.15 saved built-in optimizers as e.g. "Custom>Adam".
    ALL_OBJECTS["Custom>" + _cls.__name__] = _cls
del _cls

_BY_LOWER_NAME = {cls.__name__.lower(): cls for cls in _BUILT_IN}

__all__ = ["ALL_OBJECTS", "SGD", "Adadelta", "Adagrad", "Adam", "AdamW",
           "Adamax", "Ftrl", "Lion", "Nadam", "Optimizer", "RMSprop",
           "deserialize", "get", "schedules", "serialize"]


def serialize(optimizer):
    """The Keras 3 config dict of `optimizer`."""
    from lamina.saving import config as saving_config
    return saving_config.serialize(optimizer)


def deserialize(config, custom_objects=None):
    """An optimizer from its `serialize` form (Keras 1/2/3 dicts)."""
    from lamina.saving import config as saving_config
    if isinstance(config, dict) and isinstance(config.get("class_name"),
                                               str):
        name = config["class_name"].lower()
        if name in _BY_LOWER_NAME and config["class_name"] not in \
                ALL_OBJECTS:
            config = dict(config, class_name=_BY_LOWER_NAME[name].__name__)
    return saving_config.deserialize(config, "optimizers", custom_objects)


def get(identifier):
    """An optimizer from a name, a config dict or an instance.

    Args:
        identifier: 'sgd', 'rmsprop', 'adam', 'adamw', 'adagrad',
            'adadelta', 'adamax', 'nadam', 'ftrl' or 'lion' (any case; the
            optimizer with its default arguments), a config dict, an
            `Optimizer`, or None (returned as is).

    Raises:
        ValueError: for an unknown name or an uninterpretable identifier.
    """
    if identifier is None or isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, str):
        cls = _BY_LOWER_NAME.get(identifier.lower())
        if cls is None:
            raise ValueError(
                f"Unknown optimizer: {identifier!r}. Expected one of "
                f"{', '.join(repr(n) for n in sorted(_BY_LOWER_NAME))} (any "
                "case), a config dict or an Optimizer instance.")
        return cls()
    if isinstance(identifier, dict):
        optimizer = deserialize(identifier)
        if isinstance(optimizer, Optimizer):
            return optimizer
    raise ValueError(f"Could not interpret optimizer identifier "
                     f"{identifier!r}: expected a name such as 'adam', a "
                     "config dict or an Optimizer instance.")
