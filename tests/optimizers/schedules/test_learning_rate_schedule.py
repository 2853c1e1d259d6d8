"""Learning-rate schedules against NumPy formulas, and their configs."""

import math

import numpy as np
import pytest

from lamina import ops
from lamina.ops._bind import B
from lamina.optimizers import schedules

STEPS = [0, 1, 5, 10, 15, 100, 1001]


def values(schedule, steps=STEPS):
    return np.array([float(ops.convert_to_numpy(schedule(s)))
                     for s in steps])


CASES = [
    (schedules.ExponentialDecay(0.1, 10, 0.5),
     lambda t: 0.1 * 0.5 ** (t / 10)),
    (schedules.ExponentialDecay(0.1, 10, 0.5, staircase=True),
     lambda t: 0.1 * 0.5 ** (t // 10)),
    (schedules.PiecewiseConstantDecay([5, 15], [1.0, 0.5, 0.1]),
     lambda t: 1.0 if t <= 5 else 0.5 if t <= 15 else 0.1),
    (schedules.InverseTimeDecay(0.1, 10, 0.5),
     lambda t: 0.1 / (1 + 0.5 * t / 10)),
    (schedules.InverseTimeDecay(0.1, 10, 0.5, staircase=True),
     lambda t: 0.1 / (1 + 0.5 * (t // 10))),
    (schedules.PolynomialDecay(0.1, 100, 0.01, power=2.0),
     lambda t: (0.1 - 0.01) * (1 - min(t, 100) / 100) ** 2 + 0.01),
    (schedules.PolynomialDecay(0.1, 10, 0.01, cycle=True),
     lambda t: (0.1 - 0.01) * (1 - t / (10 * max(math.ceil(t / 10), 1)))
     + 0.01),
    (schedules.CosineDecay(0.1, 100, alpha=0.1),
     lambda t: 0.1 * (0.9 * 0.5 * (1 + math.cos(math.pi * min(t, 100) / 100))
                      + 0.1)),
    (schedules.CosineDecay(0.0, 100, warmup_target=0.2, warmup_steps=10),
     lambda t: 0.2 * t / 10 if t < 10 else 0.2 * 0.5 * (
         1 + math.cos(math.pi * min(t - 10, 100) / 100))),
]


def sgdr(lr0, first, t_mul, m_mul, alpha):
    """SGDR by walking the periods one by one (no closed form)."""
    def rate(t):
        start, length, height = 0.0, float(first), 1.0
        while t >= start + length:
            start, length, height = (start + length, length * t_mul,
                                     height * m_mul)
        f = (t - start) / length
        return lr0 * ((1 - alpha) * 0.5 * height * (1 + math.cos(math.pi * f))
                      + alpha)
    return rate


CASES += [
    (schedules.CosineDecayRestarts(0.1, 10), sgdr(0.1, 10, 2.0, 1.0, 0.0)),
    (schedules.CosineDecayRestarts(0.1, 10, t_mul=1.0, m_mul=0.5, alpha=0.1),
     sgdr(0.1, 10, 1.0, 0.5, 0.1)),
    (schedules.CosineDecayRestarts(0.2, 4, t_mul=3.0, m_mul=0.8),
     sgdr(0.2, 4, 3.0, 0.8, 0.0)),
]


@pytest.mark.parametrize("schedule,formula", CASES,
                         ids=[type(c[0]).__name__ for c in CASES])
def test_values(schedule, formula):
    np.testing.assert_allclose(values(schedule),
                               [formula(t) for t in STEPS],
                               rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("schedule", [c[0] for c in CASES],
                         ids=[type(c[0]).__name__ for c in CASES])
def test_config_round_trip(schedule):
    config = schedule.get_config()
    again = type(schedule).from_config(config)
    assert again.get_config() == config
    restored = schedules.deserialize(schedules.serialize(schedule))
    assert type(restored) is type(schedule)
    assert restored.get_config() == config
    np.testing.assert_allclose(values(restored), values(schedule))


def test_accepts_tensor_and_variable_steps():
    schedule = schedules.PiecewiseConstantDecay([2], [1.0, 0.5])
    step = B.Variable(np.asarray(3, "int64"), dtype="int64", trainable=False)
    assert float(ops.convert_to_numpy(schedule(step))) == 0.5
    big = ops.convert_to_tensor(np.asarray(2 ** 25 + 1, "int64"))
    late = schedules.PiecewiseConstantDecay([2 ** 25], [1.0, 0.5])
    assert float(ops.convert_to_numpy(late(big))) == 0.5  # exact compare


def test_piecewise_validation():
    with pytest.raises(ValueError, match="one more entry"):
        schedules.PiecewiseConstantDecay([1, 2], [1.0, 0.5])
    with pytest.raises(ValueError, match="increasing"):
        schedules.PiecewiseConstantDecay([2, 1], [1.0, 0.5, 0.1])
    with pytest.raises(ValueError, match="decay_steps"):
        schedules.ExponentialDecay(0.1, 0, 0.5)


def test_custom_schedule_subclass():
    class Halving(schedules.LearningRateSchedule):
        def __call__(self, step):
            return 0.1 * ops.power(0.5, ops.cast(step, "float32"))

        def get_config(self):
            return {}
    assert float(ops.convert_to_numpy(Halving()(3))) == pytest.approx(0.0125)
    with pytest.raises(NotImplementedError, match="__call__"):
        schedules.LearningRateSchedule()(1)
