"""Reference runs of torch.nn.RNN / LSTM / GRU with Keras weights.

The tests compare lamina's recurrent layers (on whatever backend runs the
suite) with torch's own modules, called directly on the same weights
rearranged to torch's layout: Keras gate order i, f, c, o is torch's
i, f, g, o; Keras GRU z, r, h is torch's r, z, n.
"""

import numpy as np
import torch


def _zrh_to_rzh(w):
    z, r, h = np.split(w, 3, axis=-1)
    return np.concatenate([r, z, h], axis=-1)


def torch_module(kind, kernel, recurrent_kernel, bias=None):
    """A float64 torch.nn.LSTM / GRU / RNN holding the Keras weights."""
    input_dim = kernel.shape[0]
    units = recurrent_kernel.shape[0]
    cls = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU,
           "simple_rnn": torch.nn.RNN}[kind]
    module = cls(input_dim, units, batch_first=True, bias=bias is not None,
                 dtype=torch.float64)
    if kind == "gru":
        kernel, recurrent_kernel = (_zrh_to_rzh(kernel),
                                    _zrh_to_rzh(recurrent_kernel))
    with torch.no_grad():
        module.weight_ih_l0.copy_(torch.as_tensor(kernel.T))
        module.weight_hh_l0.copy_(torch.as_tensor(recurrent_kernel.T))
        if bias is not None:
            if kind == "gru":
                b = _zrh_to_rzh(bias)
                module.bias_ih_l0.copy_(torch.as_tensor(b[0]))
                module.bias_hh_l0.copy_(torch.as_tensor(b[1]))
            else:
                module.bias_ih_l0.copy_(torch.as_tensor(bias))
                module.bias_hh_l0.zero_()
    return module


def run(kind, weights, x, initial_state=None):
    """torch's (outputs (B, T, U), [final states]) for Keras `weights`
    (kernel, recurrent_kernel[, bias]) on `x` (B, T, F), as float64."""
    module = torch_module(kind, *weights)
    xt = torch.as_tensor(np.asarray(x, dtype="float64"))
    hx = None
    if initial_state is not None:
        states = [torch.as_tensor(np.asarray(s, "float64"))[None]
                  for s in initial_state]
        hx = tuple(states) if kind == "lstm" else states[0]
    with torch.no_grad():
        out, final = module(xt, hx)
    final = list(final) if isinstance(final, tuple) else [final]
    return out.numpy(), [f[0].numpy() for f in final]


def run_masked(kind, weights, x, lengths, zero_output=False):
    """Reference for a right-padded batch: each sample run on its own
    unpadded prefix; padded steps output the last valid output (Keras) or
    zeros. Returns (outputs, last outputs, [final states])."""
    outs, lasts, finals = [], [], []
    for b, length in enumerate(lengths):
        out, final = run(kind, weights, x[b:b + 1, :length])
        steps = x.shape[1]
        pad = np.zeros((1, steps - length, out.shape[-1])) if zero_output \
            else np.repeat(out[:, -1:], steps - length, axis=1)
        outs.append(np.concatenate([out, pad], axis=1))
        lasts.append(out[:, -1])
        finals.append(final)
    return (np.concatenate(outs), np.concatenate(lasts),
            [np.concatenate([f[i] for f in finals])
             for i in range(len(finals[0]))])
