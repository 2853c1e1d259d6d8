"""Gradient accumulation and weight averaging (EMA), written branch-free.

Both decide per step whether to write (an update step, an overwrite step)
from the step count, a tensor: instead of a `cond`, the candidate values
are computed and kept with `where`, so the same code traces under JAX.
"""

from lamina import ops
from lamina.backend.common import scope as scope_lib


def accumulate_and_update(optimizer, grads, variables, learning_rate):
    """Adds `grads` to the accumulators; every `gradient_accumulation_steps`
    calls, updates the variables with the mean and resets the sums."""
    steps = optimizer.gradient_accumulation_steps
    is_update = ops.equal(ops.mod(optimizer.iterations.value + 1, steps), 0)
    index = optimizer._index
    accumulators = [optimizer._accumulators[index[id(v)]] for v in variables]
    totals = [g + a.value for g, a in zip(grads, accumulators)]
    # The update runs in a stateless scope; its results are kept only on
    # update steps (weight decay included, so it decays once per update).
    with scope_lib.StatelessScope() as scope:
        optimizer._update([t / float(steps) for t in totals], variables,
                          learning_rate)
    for variable in scope.assigned.values():
        variable.assign(ops.where(is_update, scope.get(variable),
                                  variable.value))
    for accumulator, total in zip(accumulators, totals):
        accumulator.assign(ops.where(is_update, ops.zeros_like(total), total))


def update_moving_averages(optimizer):
    """`average <- m * average + (1 - m) * variable` after each step (the
    first average is the variable itself), and the overwrite, if any."""
    iterations = optimizer.iterations.value
    started = ops.not_equal(iterations, 0)
    variables = optimizer._trainable_variables
    for variable, average in zip(variables, optimizer._averages):
        m = ops.cast(started, variable.dtype) * float(optimizer.ema_momentum)
        average.assign(average.value * m + variable.value * (1.0 - m))
    frequency = optimizer.ema_overwrite_frequency
    if frequency:
        overwrite = ops.equal(ops.mod(iterations + 1, frequency), 0)
        for variable, average in zip(variables, optimizer._averages):
            variable.assign(ops.where(overwrite, average.value,
                                      variable.value))
