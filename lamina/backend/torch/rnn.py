"""Torch backend: `scan`, and fused LSTM / GRU / simple RNN fast paths.

`scan` is a Python loop (torch runs eagerly; autograd records each step).

`lstm`, `gru` and `simple_rnn` are optional fast paths outside the
interface: the recurrent layers look them up with
`getattr(backend, "lstm", None)` and call them when the configuration is
one the engine's fused kernel computes (tanh / sigmoid activations, no
recurrent dropout). They run the whole sequence in one call of torch's
own RNN kernels (`torch.lstm`, `torch.gru`, `torch.rnn_tanh`, the ones
`torch.nn.LSTM` calls) on the Keras weights, rearranged, and return None
for what those kernels can't express, so the layer falls back to the
generic `scan` loop:

- Keras LSTM gate order i, f, c, o equals torch's i, f, g, o, so the
  kernels are only transposed; Keras's single bias becomes `b_ih` (with a
  zero `b_hh`).
- Keras GRU with `reset_after=True` computes exactly torch's GRU; the gates
  are reordered (Keras z, r, h; torch r, z, n) and `bias[0]`, `bias[1]` are
  torch's `b_ih`, `b_hh`. `reset_after=False` has no torch kernel.
- Masks: right-padded masks (each row `True...True False...False`, none
  empty) run as packed sequences; the output at a padded step is then the
  last valid output (Keras semantics) or zeros (`zero_output_for_mask`).
  With `go_backwards`, each sequence is reversed within its length, which
  gives the same states as Keras's reversed, left-padded run. Any other
  mask returns None.
"""

import torch
from torch.nn.utils import rnn as rnn_utils

from lamina.backend.numpy.rnn import loop_scan
from lamina.backend.torch.core import _t

__all__ = ["gru", "lstm", "scan", "simple_rnn"]


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    """Loops `carry, y = f(carry, x)` over the leading axis of `xs`;
    returns `(final carry, ys stacked on a new first axis)`. See the NumPy
    backend for the full contract; `unroll` has no effect here."""
    return loop_scan(f, init, xs, length, reverse, torch.stack,
                     lambda leaf: _t(leaf).unbind(0))


# -- fused kernels ----------------------------------------------------------

def _lengths(mask):
    """Per-row lengths of a right-padded (B, T) mask with no empty row, or
    None for any other mask. (A host sync: the check reads the mask.)"""
    mask = _t(mask).bool()
    if mask.dim() != 2:
        return None
    lengths = mask.sum(1)
    steps = torch.arange(mask.shape[1], device=mask.device)
    right = steps[None, :] < lengths[:, None]
    if not bool(torch.equal(mask, right)) or bool((lengths == 0).any()):
        return None
    return lengths


def _within_length_reversal(x, lengths):
    """`x[b, L_b - 1 - t]` for t < L_b (x[b, t] after): each row reversed
    within its valid length."""
    steps = torch.arange(x.shape[1], device=x.device)[None, :]
    idx = torch.where(steps < lengths[:, None],
                      lengths[:, None] - 1 - steps, steps)
    return torch.take_along_dim(x, idx[:, :, None], dim=1)


def _run(kernel, x, hx, params, has_biases, mask, go_backwards,
         zero_output_for_mask):
    """Runs `kernel` (torch.lstm / gru / rnn_tanh) batch-first on `x`.

    Returns `(outputs, final hx)` with outputs in processing order, or None
    when `mask` is not right-padded.
    """
    train = torch.is_grad_enabled()  # cuDNN keeps state for backward
    single = not isinstance(hx, tuple)
    lengths = None
    if mask is not None:
        lengths = _lengths(mask)
        if lengths is None:
            return None
        if bool((lengths == x.shape[1]).all()):
            lengths = None  # nothing masked
    if lengths is None:
        if go_backwards:
            x = torch.flip(x, (1,))
        out = kernel(x, hx, params, has_biases, 1, 0.0, train, False, True)
        return out[0], (out[1] if single else tuple(out[1:]))
    if go_backwards:
        x = _within_length_reversal(x, lengths)
    packed = rnn_utils.pack_padded_sequence(
        x, lengths.cpu(), batch_first=True, enforce_sorted=False)
    order, unorder = packed.sorted_indices, packed.unsorted_indices
    hx_sorted = hx.index_select(1, order) if single else tuple(
        h.index_select(1, order) for h in hx)
    out = kernel(packed.data, packed.batch_sizes, hx_sorted, params,
                 has_biases, 1, 0.0, train, False)
    padded, _ = rnn_utils.pad_packed_sequence(
        rnn_utils.PackedSequence(out[0], packed.batch_sizes, order, unorder),
        batch_first=True, total_length=x.shape[1])
    final = out[1].index_select(1, unorder) if single else tuple(
        h.index_select(1, unorder) for h in out[1:])
    last = (final if single else final[0])[0]
    steps = torch.arange(x.shape[1], device=x.device)[None, :]
    if go_backwards:
        # Keras runs the flipped, left-padded sequence: masked steps come
        # first (output zero), then the valid ones.
        shift = steps - (x.shape[1] - lengths[:, None])
        valid = shift >= 0
        padded = torch.take_along_dim(
            padded, shift.clamp(min=0)[:, :, None], dim=1)
        padded = torch.where(valid[:, :, None], padded, 0.0)
    elif not zero_output_for_mask:
        valid = steps < lengths[:, None]
        padded = torch.where(valid[:, :, None], padded, last[:, None, :])
    return padded, final


def _result(outputs, final, return_sequences):
    states = [h[0] for h in final] if isinstance(final, tuple) \
        else [final[0]]
    last = states[0]
    return last, (outputs if return_sequences else None), states


def lstm(inputs, initial_state, mask, kernel, recurrent_kernel, bias,
         go_backwards=False, return_sequences=False,
         zero_output_for_mask=False):
    """A Keras LSTM layer (tanh, sigmoid) over the whole sequence.

    Args:
        inputs: (batch, time, features).
        initial_state: `[h, c]`, each (batch, units).
        mask: None or a (batch, time) boolean mask.
        kernel, recurrent_kernel, bias: Keras weights, (in, 4u), (u, 4u),
            (4u,) or None; gate order i, f, c, o.
        go_backwards, return_sequences, zero_output_for_mask: as the RNN
            layer's arguments.

    Returns:
        `(last_output, outputs or None, [h, c])`, outputs in processing
        order, or None when the kernel can't run this configuration.
    """
    x = _t(inputs)
    params = [_t(kernel).t(), _t(recurrent_kernel).t()]
    if bias is not None:
        b = _t(bias)
        params += [b, torch.zeros_like(b)]
    hx = tuple(_t(s)[None] for s in initial_state)
    got = _run(torch.lstm, x, hx, params, bias is not None, mask,
               go_backwards, zero_output_for_mask)
    return None if got is None else _result(*got, return_sequences)


def _zrh_to_rzh(w, axis):
    z, r, h = torch.chunk(w, 3, dim=axis)
    return torch.cat([r, z, h], dim=axis)


def gru(inputs, initial_state, mask, kernel, recurrent_kernel, bias,
        reset_after=True, go_backwards=False, return_sequences=False,
        zero_output_for_mask=False):
    """A Keras GRU layer (tanh, sigmoid, `reset_after=True`) over the
    whole sequence; arguments and result as `lstm` (one state `[h]`, bias
    (2, 3u) or None, gate order z, r, h). Returns None for
    `reset_after=False` or a mask the kernel can't run."""
    if not reset_after:
        return None
    x = _t(inputs)
    params = [_zrh_to_rzh(_t(kernel), 1).t(),
              _zrh_to_rzh(_t(recurrent_kernel), 1).t()]
    if bias is not None:
        b = _zrh_to_rzh(_t(bias), 1)
        params += [b[0], b[1]]
    hx = _t(initial_state[0])[None]
    got = _run(torch.gru, x, hx, params, bias is not None, mask,
               go_backwards, zero_output_for_mask)
    return None if got is None else _result(*got, return_sequences)


def simple_rnn(inputs, initial_state, mask, kernel, recurrent_kernel, bias,
               go_backwards=False, return_sequences=False,
               zero_output_for_mask=False):
    """A Keras SimpleRNN layer with tanh activation over the whole
    sequence; arguments and result as `lstm` (one state `[h]`, bias (u,)
    or None)."""
    x = _t(inputs)
    params = [_t(kernel).t(), _t(recurrent_kernel).t()]
    if bias is not None:
        b = _t(bias)
        params += [b, torch.zeros_like(b)]
    hx = _t(initial_state[0])[None]
    got = _run(torch.rnn_tanh, x, hx, params, bias is not None, mask,
               go_backwards, zero_output_for_mask)
    return None if got is None else _result(*got, return_sequences)
