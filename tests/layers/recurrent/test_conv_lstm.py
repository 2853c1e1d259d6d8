import numpy as np
import pytest
import torch
import torch.nn.functional as F

from lamina import ops
from lamina.layers.recurrent import ConvLSTM1D, ConvLSTM2D
from lamina.testing import run_layer_test

rng = np.random.default_rng(7)
X = rng.normal(size=(2, 3, 6, 5, 2)).astype("float32")  # channels_last


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _same_pad(x, kernel_size, stride):
    """TensorFlow's 'same' padding: the odd one out goes at the end."""
    pads = []
    for n, k in zip(reversed(x.shape[2:]), reversed(kernel_size)):
        out = -(-n // stride)
        total = max((out - 1) * stride + k - n, 0)
        pads += [total // 2, total - total // 2]
    return F.pad(x, pads)


def torch_conv_lstm(x, kernel, recurrent_kernel, bias, strides=1,
                    padding="valid", mask=None):
    """ConvLSTM2D with torch's conv2d, on channels_first float64 input
    (B, T, C, H, W); Keras weights (kh, kw, in, 4f). Returns the output
    sequence and the final [h, c]."""
    t = lambda a: torch.as_tensor(np.asarray(a, "float64"))
    w = t(kernel).permute(3, 2, 0, 1)
    u = t(recurrent_kernel).permute(3, 2, 0, 1)
    x = t(x)
    filters = w.shape[0] // 4
    h = c = None
    outs = []
    for step in range(x.shape[1]):
        zx = F.conv2d(_same_pad(x[:, step], kernel.shape[:2], strides)
                      if padding == "same" else x[:, step], w, t(bias),
                      stride=strides)
        if h is None:
            h = torch.zeros(zx.shape[0], filters, *zx.shape[2:],
                            dtype=torch.float64)
            c = torch.zeros_like(h)
        z = zx + F.conv2d(h, u, padding="same")
        i, f, g, o = torch.split(z, filters, dim=1)
        c_new = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        h_new = torch.sigmoid(o) * torch.tanh(c_new)
        if mask is not None:
            keep = torch.as_tensor(mask[:, step])[:, None, None, None]
            h_new = torch.where(keep, h_new, h)
            c_new = torch.where(keep, c_new, c)
        h, c = h_new, c_new
        outs.append(h)
    return torch.stack(outs, 1).numpy(), [h.numpy(), c.numpy()]


def test_conv_lstm2d_standard_checks():
    run_layer_test(ConvLSTM2D, {"filters": 2, "kernel_size": 3,
                                "padding": "same"},
                   input_shape=(2, 2, 4, 4, 2),
                   expected_output_shape=(2, 4, 4, 2),
                   expected_num_weights=3)


def test_conv_lstm1d_sequences_checks():
    run_layer_test(ConvLSTM1D, {"filters": 2, "kernel_size": 2,
                                "return_sequences": True},
                   input_shape=(2, 3, 5, 2),
                   expected_output_shape=(2, 3, 4, 2), check_grads=False)


@pytest.mark.parametrize("strides, padding", [(1, "valid"), (2, "same")])
def test_matches_torch_conv2d_reference(strides, padding):
    layer = ConvLSTM2D(3, (3, 3), strides=strides, padding=padding,
                       return_sequences=True, return_state=True,
                       bias_initializer="normal")
    out, _h, c = layer(X)
    kernel, recurrent_kernel, bias = layer.get_weights()
    assert kernel.shape == (3, 3, 2, 12) and recurrent_kernel.shape == (
        3, 3, 3, 12)
    want, (_want_h, want_c) = torch_conv_lstm(
        X.transpose(0, 1, 4, 2, 3), kernel, recurrent_kernel, bias,
        strides, padding)
    np.testing.assert_allclose(_np(out), want.transpose(0, 1, 3, 4, 2),
                               rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(_np(c), want_c.transpose(0, 2, 3, 1),
                               rtol=1e-5, atol=1e-5)
    assert tuple(out.shape) == layer.compute_output_shape(X.shape)[0]


def test_channels_first_equals_channels_last():
    last = ConvLSTM2D(2, 3, padding="same", return_sequences=True)
    first = ConvLSTM2D(2, 3, padding="same", return_sequences=True,
                       data_format="channels_first")
    x_first = X.transpose(0, 1, 4, 2, 3)
    want = _np(last(X))
    first(x_first)
    first.set_weights(last.get_weights())
    np.testing.assert_allclose(_np(first(x_first)),
                               want.transpose(0, 1, 4, 2, 3), rtol=1e-5,
                               atol=1e-6)


def test_mask_and_go_backwards():
    mask = np.array([[1, 1, 0], [1, 1, 1]], bool)
    layer = ConvLSTM2D(2, 3, return_state=True, go_backwards=True)
    _, h, _c = layer(X, mask=mask)
    weights = layer.get_weights()
    x_first = X.transpose(0, 1, 4, 2, 3)[:, ::-1]
    _, (want_h, _want_c) = torch_conv_lstm(x_first, *weights,
                                          mask=mask[:, ::-1])
    np.testing.assert_allclose(_np(h), want_h.transpose(0, 2, 3, 1),
                               rtol=1e-5, atol=1e-5)


def test_config_round_trip_and_keras_keys():
    layer = ConvLSTM2D(4, (3, 2), strides=(1, 1), dilation_rate=2,
                       recurrent_dropout=0.1)
    config = layer.get_config()
    assert config["kernel_size"] == (3, 2) and "rank" not in config
    assert "units" not in config
    assert ConvLSTM2D.from_config(config).get_config() == config


def test_bad_arguments():
    with pytest.raises(ValueError, match="dilation_rate"):
        ConvLSTM2D(2, 3, strides=2, dilation_rate=2)
    with pytest.raises(ValueError, match="kernel_size"):
        ConvLSTM2D(2, (3, 3, 3))
