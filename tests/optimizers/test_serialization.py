"""`get`, `serialize`, `deserialize` and config round trips (Keras 1/2/3)."""

import pytest

from lamina import optimizers
from lamina.optimizers import schedules

NON_DEFAULT = {
    "SGD": {"learning_rate": 0.1, "momentum": 0.9, "nesterov": True},
    "RMSprop": {"rho": 0.8, "momentum": 0.1, "epsilon": 1e-5, "centered": True},
    "Adam": {"beta_1": 0.8, "beta_2": 0.99, "epsilon": 1e-4, "amsgrad": True},
    "AdamW": {"weight_decay": 0.01, "amsgrad": True},
    "Adagrad": {"initial_accumulator_value": 0.5, "epsilon": 1e-4},
    "Adadelta": {"learning_rate": 1.0, "rho": 0.9},
    "Adamax": {"beta_1": 0.8, "beta_2": 0.9},
    "Nadam": {"beta_1": 0.8, "epsilon": 1e-5},
    "Ftrl": {"learning_rate_power": -0.3, "l1_regularization_strength": 0.1,
             "l2_regularization_strength": 0.2, "beta": 0.5,
             "l2_shrinkage_regularization_strength": 0.3},
    "Lion": {"beta_1": 0.8, "beta_2": 0.95},
}
COMMON = {"clipnorm": 1.0, "weight_decay": 0.02, "use_ema": True,
          "ema_momentum": 0.9, "ema_overwrite_frequency": 5,
          "loss_scale_factor": 8.0, "gradient_accumulation_steps": 3,
          "name": "mine"}


@pytest.mark.parametrize("name", sorted(NON_DEFAULT))
def test_config_round_trip(name):
    cls = getattr(optimizers, name)
    kwargs = dict(COMMON, learning_rate=0.003)
    kwargs.update(NON_DEFAULT[name])
    opt = cls(**kwargs)
    config = opt.get_config()
    for key, value in kwargs.items():  # every constructor argument
        assert config[key] == value, key
    assert cls.from_config(config).get_config() == config
    restored = optimizers.deserialize(optimizers.serialize(opt))
    assert type(restored) is cls and restored.get_config() == config
    assert optimizers.get(optimizers.serialize(opt)).get_config() == config


def test_serialized_form_is_keras3():
    serialized = optimizers.serialize(optimizers.Adam(learning_rate=0.01))
    assert serialized["class_name"] == "Adam"
    assert serialized["module"] == "keras.optimizers"
    assert serialized["config"]["learning_rate"] == 0.01  # not 0.0099999...


def test_schedule_in_config_round_trips():
    schedule = schedules.ExponentialDecay(0.1, 100, 0.9, staircase=True)
    opt = optimizers.SGD(learning_rate=schedule)
    config = opt.get_config()
    assert config["learning_rate"]["class_name"] == "ExponentialDecay"
    restored = optimizers.deserialize(optimizers.serialize(opt))
    assert isinstance(restored._learning_rate, schedules.ExponentialDecay)
    assert restored.get_config() == config


@pytest.mark.parametrize("name", ["sgd", "SGD", "rmsprop", "RMSProp", "adam",
                                  "ADAM", "adamw", "AdamW", "adagrad",
                                  "adadelta", "adamax", "nadam", "ftrl",
                                  "lion"])
def test_get_by_name(name):
    opt = optimizers.get(name)
    assert type(opt).__name__.lower() == name.lower()


def test_get_other_identifiers():
    opt = optimizers.Adam()
    assert optimizers.get(opt) is opt
    assert optimizers.get(None) is None
    got = optimizers.get({"class_name": "sgd", "config": {"momentum": 0.5}})
    assert isinstance(got, optimizers.SGD) and got.momentum == 0.5
    with pytest.raises(ValueError, match="'adam', 'adamax'.*'sgd'"):
        optimizers.get("adamm")
    with pytest.raises(ValueError, match="Could not interpret"):
        optimizers.get(3)


def test_keras1_and_keras2_configs(monkeypatch):
    from lamina.optimizers import _arguments
    monkeypatch.setattr(_arguments, "_warned", set())
    keras1 = {"class_name": "SGD", "config": {
        "lr": 0.01, "momentum": 0.9, "decay": 1e-6, "nesterov": False}}
    with pytest.warns(DeprecationWarning, match="learning_rate"):
        opt = optimizers.deserialize(keras1)
    assert opt.decay == 1e-6 and opt.momentum == 0.9
    keras2 = {"class_name": "Custom>Adam", "config": {
        "name": "Adam", "learning_rate": 0.001, "decay": 0.0,
        "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07, "amsgrad": False,
        "jit_compile": True, "is_legacy_optimizer": False,
        "weight_decay": None, "clipnorm": None, "global_clipnorm": None,
        "clipvalue": None, "use_ema": False, "ema_momentum": 0.99,
        "ema_overwrite_frequency": None}}
    assert isinstance(optimizers.deserialize(keras2), optimizers.Adam)


def test_all_objects():
    for cls in (optimizers.SGD, optimizers.RMSprop, optimizers.Adam,
                optimizers.AdamW, optimizers.Adagrad, optimizers.Adadelta,
                optimizers.Adamax, optimizers.Nadam, optimizers.Ftrl,
                optimizers.Lion):
        assert optimizers.ALL_OBJECTS[cls.__name__] is cls
        assert optimizers.ALL_OBJECTS[cls.__name__.lower()] is cls
    assert optimizers.ALL_OBJECTS["Optimizer"] is optimizers.Optimizer
