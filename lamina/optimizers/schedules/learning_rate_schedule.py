"""Learning-rate schedules: functions of the optimizer's step count.

An optimizer built with a schedule calls `schedule(iterations)` once per
`apply`, so a schedule is written with `lamina.ops` only: no Python control
flow on the step value, which may be a traced tensor on JAX.
"""

import itertools
import math

from lamina import backend, ops


def _positive(owner, name, value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) \
            or value <= 0:
        raise ValueError(f"{owner}: `{name}` must be a positive number, "
                         f"got {value!r}.")
    return value


def _float_step(step, dtype):
    return ops.cast(ops.convert_to_tensor(step), dtype)


class LearningRateSchedule:
    """Base class: a serializable map from the step count to a rate.

    Subclasses implement `__call__(step)` with `lamina.ops` and
    `get_config()`; `from_config(config)` calls the constructor.

    Example:

    >>> class Halving(LearningRateSchedule):
    ...     def __call__(self, step):
    ...         return 0.1 * ops.power(0.5, ops.cast(step, "float32"))
    ...     def get_config(self):
    ...         return {}
    >>> round(float(ops.convert_to_numpy(Halving()(2))), 6)
    0.025
    """

    def __call__(self, step):
        raise NotImplementedError(
            f"{type(self).__name__} must implement `__call__(self, step)`.")

    def get_config(self):
        raise NotImplementedError(
            f"{type(self).__name__} must implement `get_config()`.")

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class ExponentialDecay(LearningRateSchedule):
    """`initial_learning_rate * decay_rate ** (step / decay_steps)`.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: steps over which the rate is multiplied by
            `decay_rate` once.
        decay_rate: the factor per `decay_steps`.
        staircase: if True, `step / decay_steps` is floored, so the rate
            drops in discrete jumps.
        name: a name for the schedule.

    Example:

    >>> s = ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
    >>> round(float(ops.convert_to_numpy(s(20))), 6)
    0.025
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate,
                 staircase=False, name="ExponentialDecay"):
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = _positive("ExponentialDecay", "decay_steps",
                                     decay_steps)
        self.decay_rate = decay_rate
        self.staircase = bool(staircase)
        self.name = name

    def __call__(self, step):
        dtype = backend.floatx()
        p = _float_step(step, dtype) / float(self.decay_steps)
        if self.staircase:
            p = ops.floor(p)
        decay_rate = ops.convert_to_tensor(float(self.decay_rate), dtype)
        return ops.power(decay_rate, p) * float(self.initial_learning_rate)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps,
                "decay_rate": self.decay_rate,
                "staircase": self.staircase,
                "name": self.name}


class PiecewiseConstantDecay(LearningRateSchedule):
    """A constant rate per interval of steps.

    The rate is `values[0]` while `step <= boundaries[0]`, `values[i]`
    while `boundaries[i-1] < step <= boundaries[i]`, and `values[-1]` after
    the last boundary.

    Args:
        boundaries: increasing step counts, one fewer than `values`.
        values: the rates.
        name: a name for the schedule.

    Example:

    >>> s = PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1])
    >>> [round(float(ops.convert_to_numpy(s(t))), 6) for t in (10, 11, 21)]
    [1.0, 0.5, 0.1]
    """

    def __init__(self, boundaries, values, name="PiecewiseConstant"):
        boundaries, values = list(boundaries), list(values)
        if len(values) != len(boundaries) + 1:
            raise ValueError(
                "PiecewiseConstantDecay: `values` must have one more entry "
                f"than `boundaries`; got {len(boundaries)} boundaries and "
                f"{len(values)} values.")
        if any(b1 >= b2 for b1, b2 in itertools.pairwise(boundaries)):
            raise ValueError("PiecewiseConstantDecay: `boundaries` must be "
                             f"strictly increasing; got {boundaries}.")
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def __call__(self, step):
        # The step is compared in its own (integer) dtype so boundaries stay
        # exact past 2**24 steps; a chain of `where`s keeps each value
        # exact (a sum of differences would round) with no control flow.
        step = ops.convert_to_tensor(step)
        out = ops.convert_to_tensor(float(self.values[0]), backend.floatx())
        for boundary, value in zip(self.boundaries, self.values[1:]):
            out = ops.where(ops.greater(step, boundary), float(value), out)
        return out

    def get_config(self):
        return {"boundaries": self.boundaries, "values": self.values,
                "name": self.name}


class InverseTimeDecay(LearningRateSchedule):
    """`initial_learning_rate / (1 + decay_rate * step / decay_steps)`.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: the step scale.
        decay_rate: how fast the rate falls.
        staircase: if True, `step / decay_steps` is floored.
        name: a name for the schedule.
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate,
                 staircase=False, name="InverseTimeDecay"):
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = _positive("InverseTimeDecay", "decay_steps",
                                     decay_steps)
        self.decay_rate = decay_rate
        self.staircase = bool(staircase)
        self.name = name

    def __call__(self, step):
        p = _float_step(step, backend.floatx()) / float(self.decay_steps)
        if self.staircase:
            p = ops.floor(p)
        return float(self.initial_learning_rate) / (
            1.0 + float(self.decay_rate) * p)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps,
                "decay_rate": self.decay_rate,
                "staircase": self.staircase,
                "name": self.name}


class PolynomialDecay(LearningRateSchedule):
    """Decays to `end_learning_rate` as `(1 - step / decay_steps) ** power`.

    `(initial - end) * (1 - s / decay_steps) ** power + end`, with `s` the
    step capped at `decay_steps`; with `cycle=True` the horizon is instead
    stretched to the next multiple of `decay_steps` above the step.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: the decay horizon.
        end_learning_rate: the final rate.
        power: the polynomial's power.
        cycle: whether to restart past `decay_steps`.
        name: a name for the schedule.
    """

    def __init__(self, initial_learning_rate, decay_steps,
                 end_learning_rate=0.0001, power=1.0, cycle=False,
                 name="PolynomialDecay"):
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = _positive("PolynomialDecay", "decay_steps",
                                     decay_steps)
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = bool(cycle)
        self.name = name

    def __call__(self, step):
        step = _float_step(step, backend.floatx())
        horizon = float(self.decay_steps)
        if self.cycle:
            # Step 0 keeps one full horizon rather than zero.
            multiplier = ops.maximum(ops.ceil(step / horizon), 1.0)
            horizon = multiplier * horizon
        else:
            step = ops.minimum(step, horizon)
        fraction = 1.0 - step / horizon
        start, end = float(self.initial_learning_rate), \
            float(self.end_learning_rate)
        return (start - end) * ops.power(fraction, float(self.power)) + end

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps,
                "end_learning_rate": self.end_learning_rate,
                "power": self.power,
                "cycle": self.cycle,
                "name": self.name}


class CosineDecay(LearningRateSchedule):
    """Cosine decay (SGDR without restarts), with optional linear warmup.

    Without warmup: `lr0 * ((1 - alpha) * 0.5 * (1 + cos(pi * s / D)) +
    alpha)` with `s = min(step, D)`, `D = decay_steps`. With
    `warmup_target`, the rate first rises linearly from
    `initial_learning_rate` to `warmup_target` over `warmup_steps`, then
    decays from `warmup_target` as above.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: the decay horizon.
        alpha: the final rate as a fraction of the start rate.
        name: a name for the schedule.
        warmup_target: the rate reached after warmup, or None.
        warmup_steps: the length of the warmup.
    """

    def __init__(self, initial_learning_rate, decay_steps, alpha=0.0,
                 name="CosineDecay", warmup_target=None, warmup_steps=0):
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = _positive("CosineDecay", "decay_steps",
                                     decay_steps)
        self.alpha = alpha
        self.name = name
        self.warmup_target = warmup_target
        self.warmup_steps = warmup_steps

    def _decay(self, step, start):
        fraction = step / float(self.decay_steps)
        cosine = 0.5 * (1.0 + ops.cos(math.pi * fraction))
        return start * ((1.0 - float(self.alpha)) * cosine + float(self.alpha))

    def __call__(self, step):
        step = _float_step(step, backend.floatx())
        start = float(self.initial_learning_rate)
        if self.warmup_target is None:
            return self._decay(ops.minimum(step, float(self.decay_steps)),
                               start)
        warmup = float(self.warmup_steps)
        target = float(self.warmup_target)
        step = ops.minimum(step, float(self.decay_steps) + warmup)
        rising = (target - start) * (step / max(warmup, 1.0)) + start
        falling = self._decay(step - warmup, target)
        return ops.where(ops.less(step, warmup), rising, falling)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps,
                "alpha": self.alpha,
                "name": self.name,
                "warmup_target": self.warmup_target,
                "warmup_steps": self.warmup_steps}


class CosineDecayRestarts(LearningRateSchedule):
    """Cosine decay with warm restarts (SGDR, Loshchilov & Hutter 2017).

    The rate follows `CosineDecay`'s curve over a period of
    `first_decay_steps`, then restarts; period `i` lasts
    `first_decay_steps * t_mul**i` steps and starts from
    `initial_learning_rate * m_mul**i`. Within a period, at fraction `f` of
    it, the rate is `lr0 * ((1 - alpha) * 0.5 * m_mul**i * (1 + cos(pi f))
    + alpha)`.

    Args:
        initial_learning_rate: the rate at step 0.
        first_decay_steps: the length of the first period.
        t_mul: how much longer each period is than the one before.
        m_mul: how much lower each restart starts than the one before.
        alpha: the floor, as a fraction of `initial_learning_rate`.
        name: a name for the schedule.

    Example:

    >>> s = CosineDecayRestarts(1.0, first_decay_steps=10)
    >>> [round(float(s(k)), 3) for k in (0, 5, 10, 15)]
    [1.0, 0.5, 1.0, 0.854]
    """

    def __init__(self, initial_learning_rate, first_decay_steps, t_mul=2.0,
                 m_mul=1.0, alpha=0.0, name="SGDRDecay"):
        self.initial_learning_rate = initial_learning_rate
        self.first_decay_steps = _positive(
            "CosineDecayRestarts", "first_decay_steps", first_decay_steps)
        self.t_mul = _positive("CosineDecayRestarts", "t_mul", t_mul)
        self.m_mul = m_mul
        self.alpha = alpha
        self.name = name

    def __call__(self, step):
        fraction = _float_step(step, backend.floatx()) / float(
            self.first_decay_steps)
        t_mul = float(self.t_mul)
        if t_mul == 1.0:
            restarts = ops.floor(fraction)
            fraction = fraction - restarts
        else:
            # Periods 1, t, t^2, ... end at (1 - t^(i+1)) / (1 - t): invert
            # that sum to find the period `fraction` falls in.
            restarts = ops.floor(ops.log(1.0 - fraction * (1.0 - t_mul))
                                 / math.log(t_mul))
            scale = ops.power(t_mul, restarts)
            done = (1.0 - scale) / (1.0 - t_mul)
            fraction = (fraction - done) / scale
        height = ops.power(float(self.m_mul), restarts)
        cosine = 0.5 * height * (1.0 + ops.cos(math.pi * fraction))
        alpha = float(self.alpha)
        return float(self.initial_learning_rate) * (
            (1.0 - alpha) * cosine + alpha)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "first_decay_steps": self.first_decay_steps,
                "t_mul": self.t_mul,
                "m_mul": self.m_mul,
                "alpha": self.alpha,
                "name": self.name}
