"""`rnn`: the recurrent loop, written once in `lamina.ops` on `ops.scan`.

Every recurrent layer runs its cell through this function (unless the
backend has a fused kernel for it). It handles the time-major transpose,
`go_backwards` and masks with Keras semantics: at a step where the mask is
False the states are carried over unchanged, and the output is the
previous step's output (zeros before the first valid step), or zeros with
`zero_output_for_mask=True`.
"""

from lamina import ops


def map_structure(fn, *trees):
    """`fn` applied leafwise over lists/tuples/dicts of equal structure;
    lists come back as tuples (a fixed carry structure for `lax.scan`)."""
    first = trees[0]
    if isinstance(first, (list, tuple)):
        return tuple(map_structure(fn, *parts) for parts in zip(*trees))
    if isinstance(first, dict):
        return {k: map_structure(fn, *(t[k] for t in trees)) for k in first}
    return fn(*trees)


def flatten(tree):
    """The leaves of a list/tuple/dict structure, in order."""
    if isinstance(tree, (list, tuple)):
        return [leaf for v in tree for leaf in flatten(v)]
    if isinstance(tree, dict):
        return [leaf for v in tree.values() for leaf in flatten(v)]
    return [tree]


def _time_major(x):
    return ops.swapaxes(x, 0, 1)


def _broadcastable(mask_t, x):
    """A (batch,) mask reshaped to broadcast against `x` (batch, ...)."""
    ndim = len(ops.shape(x))
    return ops.reshape(mask_t, (-1,) + (1,) * (ndim - 1))


def rnn(step_function, inputs, initial_states, go_backwards=False,
        mask=None, unroll=False, zero_output_for_mask=False,
        return_all_outputs=True, initial_output=None):
    """Runs `step_function` over the time axis of `inputs`.

    Args:
        step_function: `(input_t, states) -> (output_t, new_states)`;
            `input_t` is (batch, ...), `states` a tuple with the structure
            of `initial_states`.
        inputs: (batch, time, ...) tensor, or a list/tuple/dict of them.
        initial_states: list/tuple (possibly nested) of state tensors.
        go_backwards: process the sequence from the last step to the
            first; outputs are in processing order (reversed).
        mask: None or a (batch, time) boolean tensor.
        unroll: unroll the loop (a hint for compiled backends).
        zero_output_for_mask: the output of a masked step is zeros instead
            of the previous output.
        return_all_outputs: stack the per-step outputs.
        initial_output: the "previous output" before the first step
            (default zeros shaped like the first state).

    Returns:
        `(last_output, outputs, final_states)`; `outputs` is (batch, time,
        ...) or None when `return_all_outputs` is False. `last_output` is
        the output of the last step that was not masked.
    """
    xs = map_structure(_time_major, inputs)
    if go_backwards:
        xs = map_structure(lambda x: ops.flip(x, 0), xs)
    states = map_structure(lambda s: s, tuple(initial_states))
    if initial_output is None:
        initial_output = ops.zeros_like(flatten(states)[0])
    if mask is not None:
        mask = _time_major(ops.cast(mask, "bool"))
        if go_backwards:
            mask = ops.flip(mask, 0)

    def step(carry, x):
        states, previous = carry
        if mask is not None:
            x, mask_t = x
        output, new_states = step_function(x, states)
        if not isinstance(new_states, (list, tuple)):
            new_states = (new_states,)
        new_states = map_structure(lambda s: s, tuple(new_states))
        if mask is None:
            return (new_states, output), (output if return_all_outputs
                                          else None)
        keep = _broadcastable(mask_t, output)
        new_states = map_structure(
            lambda new, old: ops.where(_broadcastable(mask_t, new), new,
                                       old), new_states, states)
        carried = ops.where(keep, output, previous)
        y = None
        if return_all_outputs:
            y = ops.where(keep, output, ops.zeros_like(output)) \
                if zero_output_for_mask else carried
        return (new_states, carried), y

    scan_xs = xs if mask is None else (xs, mask)
    (states, last_output), outputs = ops.scan(
        step, (states, initial_output), scan_xs,
        unroll=True if unroll else 1)
    if outputs is not None:
        outputs = _time_major(outputs)
    return last_output, outputs, states
