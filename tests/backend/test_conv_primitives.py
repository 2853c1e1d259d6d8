"""conv, depthwise_conv, conv_transpose, max_pool, average_pool.

The NumPy backend (the reference) is checked against torch.nn.functional
called directly, with 'same' padding worked out here (TensorFlow's rule:
ceil(size / stride) outputs, the odd zero at the end); torch and JAX are
then checked against NumPy on the same grid, in both data formats.
"""

import itertools

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from lamina import backend

REF = backend.get("numpy")
OTHERS = ("torch", "jax")
rng = np.random.default_rng(0)


def _same_pads(sizes, kernel, strides, dilation):
    """torch F.pad amounts (last axis first) for TF 'same' padding."""
    pad = []
    for n, k, s, d in reversed(list(zip(sizes, kernel, strides, dilation))):
        extent = (k - 1) * d + 1
        total = max((-(-n // s) - 1) * s + extent - n, 0)
        pad += [total // 2, total - total // 2]
    return pad


def _first(x):
    return np.ascontiguousarray(np.moveaxis(x, -1, 1))


def _last(x):
    return np.ascontiguousarray(np.moveaxis(x, 1, -1))


def _torch_conv(x, kernel, strides, padding, dilation, groups):
    """x channels-first, kernel (*k, in/groups, out), via torch directly."""
    nd = x.ndim - 2
    xt = torch.tensor(x)
    if padding == "same":
        xt = F.pad(xt, _same_pads(x.shape[2:], kernel.shape[:nd], strides,
                                  dilation))
    w = torch.tensor(kernel).permute(nd + 1, nd, *range(nd))
    conv = (F.conv1d, F.conv2d, F.conv3d)[nd - 1]
    return conv(xt, w, None, strides, 0, dilation, groups).numpy()


def _run(B, name, *args, **kwargs):
    args = [B.convert_to_tensor(a) if isinstance(a, np.ndarray) else a
            for a in args]
    return np.asarray(B.convert_to_numpy(getattr(B, name)(*args, **kwargs)))


def _check_all(name, x_last, *args, **kwargs):
    """Runs `name` on every backend in both data formats; returns NumPy's
    channels-last result after checking that all agree."""
    ref = _run(REF, name, x_last, *args, data_format="channels_last",
               **kwargs)
    ref_first = _run(REF, name, _first(x_last), *args,
                     data_format="channels_first", **kwargs)
    np.testing.assert_allclose(_last(ref_first), ref, rtol=1e-5, atol=1e-5)
    for other in OTHERS:
        B = backend.get(other)
        got = _run(B, name, x_last, *args, data_format="channels_last",
                   **kwargs)
        assert got.shape == ref.shape, (other, got.shape, ref.shape)
        np.testing.assert_allclose(got, ref, rtol=1e-4, atol=1e-4,
                                   err_msg=other)
        got = _run(B, name, _first(x_last), *args,
                   data_format="channels_first", **kwargs)
        np.testing.assert_allclose(got, ref_first, rtol=1e-4, atol=1e-4,
                                   err_msg=f"{other} channels_first")
    return ref


CONV_2D = [
    # kernel, strides, padding, dilation, groups
    ((3, 3), (1, 1), "valid", (1, 1), 1),
    ((3, 3), (1, 1), "same", (1, 1), 1),
    ((2, 4), (1, 1), "same", (1, 1), 1),  # even kernels: uneven padding
    ((3, 3), (2, 2), "same", (1, 1), 1),  # stride 2 on 7: uneven padding
    ((3, 2), (3, 2), "valid", (1, 1), 1),
    ((3, 3), (1, 1), "same", (2, 3), 1),
    ((3, 3), (1, 1), "valid", (2, 1), 2),
    ((1, 1), (2, 2), "same", (1, 1), 3),
    ((2, 2), (1, 1), "same", (2, 2), 6),
]


@pytest.mark.parametrize("kernel, strides, padding, dilation, groups",
                         CONV_2D)
def test_conv2d(kernel, strides, padding, dilation, groups):
    x = rng.normal(size=(2, 7, 8, 6)).astype("float32")
    w = rng.normal(size=kernel + (6 // groups, 2 * groups)).astype("float32")
    got = _check_all("conv", x, w, strides, padding, dilation_rate=dilation)
    want = _torch_conv(_first(x), w, strides, padding, dilation, groups)
    np.testing.assert_allclose(_first(got), want, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("nd", [1, 3])
@pytest.mark.parametrize("padding", ["valid", "same"])
def test_conv_1d_3d(nd, padding):
    x = rng.normal(size=(2,) + (6,) * nd + (4,)).astype("float32")
    w = rng.normal(size=(2,) * nd + (2, 4)).astype("float32")
    got = _check_all("conv", x, w, 2, padding)
    want = _torch_conv(_first(x), w, (2,) * nd, padding, (1,) * nd, 2)
    np.testing.assert_allclose(_first(got), want, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("kernel, strides, padding, dilation",
                         [((3, 3), 1, "valid", 1), ((2, 2), 2, "same", 1),
                          ((3, 1), 1, "same", 2)])
def test_depthwise_conv(kernel, strides, padding, dilation):
    x = rng.normal(size=(2, 6, 5, 3)).astype("float32")
    w = rng.normal(size=kernel + (3, 2)).astype("float32")
    got = _check_all("depthwise_conv", x, w, strides, padding,
                     dilation_rate=dilation)
    # Output channel c * 2 + m is channel c convolved with w[..., c, m].
    for c, m in itertools.product(range(3), range(2)):
        want = _torch_conv(_first(x[..., c:c + 1]), w[..., c:c + 1, m:m + 1],
                           (strides,) * 2, padding, (dilation,) * 2, 1)
        np.testing.assert_allclose(got[..., c * 2 + m], want[:, 0],
                                   rtol=1e-4, atol=1e-4)


def _transpose_reference(x, kernel, strides, padding, dilation, out_size):
    """The gradient of a 'same'/'valid' convolution with respect to its
    input: the definition of a transposed convolution."""
    y = torch.zeros((x.shape[0], kernel.shape[-2]) + tuple(out_size),
                    dtype=torch.float64, requires_grad=True)
    # The forward convolution maps the transposed one's outputs to its
    # inputs: kernel (*k, out, in) read as (*k, in_channels, out_channels).
    out = _torch_conv_graph(y, kernel.astype("float64"), strides, padding,
                            dilation)
    (grad,) = torch.autograd.grad(out, y, torch.tensor(x, dtype=torch.float64))
    return grad.numpy()


def _torch_conv_graph(y, w, strides, padding, dilation):
    nd = y.dim() - 2
    if padding == "same":
        y = F.pad(y, _same_pads(y.shape[2:], w.shape[:nd], strides,
                                dilation))
    wt = torch.tensor(w).permute(nd + 1, nd, *range(nd))
    conv = (F.conv1d, F.conv2d, F.conv3d)[nd - 1]
    return conv(y, wt, None, strides, 0, dilation)


TRANSPOSE = [
    # kernel, strides, padding, dilation
    ((3, 3), (1, 1), "valid", (1, 1)),
    ((3, 3), (2, 2), "same", (1, 1)),
    ((3, 3), (2, 2), "valid", (1, 1)),
    ((2, 4), (2, 3), "same", (1, 1)),
    ((1, 2), (3, 3), "valid", (1, 1)),  # stride > kernel: zero-filled end
    ((3, 2), (1, 1), "same", (2, 2)),
]


@pytest.mark.parametrize("kernel, strides, padding, dilation", TRANSPOSE)
def test_conv_transpose_is_gradient_of_conv(kernel, strides, padding,
                                            dilation):
    x = rng.normal(size=(2, 4, 5, 3)).astype("float32")
    w = rng.normal(size=kernel + (2, 3)).astype("float32")  # (*k, out, in)
    got = _check_all("conv_transpose", x, w, strides, padding,
                     dilation_rate=dilation)
    want = _transpose_reference(_first(x), w, strides, padding, dilation,
                                got.shape[1:3])
    np.testing.assert_allclose(_first(got), want, rtol=1e-4, atol=1e-4)
    for n, k, s, d, o in zip(x.shape[1:3], kernel, strides, dilation,
                             got.shape[1:3]):
        extent = (k - 1) * d + 1
        expected = n * s if padding == "same" else \
            n * s + max(extent - s, 0)
        assert o == expected


@pytest.mark.parametrize("padding, kernel, output_padding",
                         [("valid", (3, 3), (1, 0)), ("valid", (2, 3), 1),
                          ("same", (3, 4), (1, 1)), ("same", (2, 2), 0)])
def test_conv_transpose_output_padding(padding, kernel, output_padding):
    x = rng.normal(size=(2, 4, 5, 3)).astype("float32")
    w = rng.normal(size=kernel + (2, 3)).astype("float32")
    got = _check_all("conv_transpose", x, w, 2, padding,
                     output_padding=output_padding)
    op = (output_padding,) * 2 if isinstance(output_padding, int) \
        else output_padding
    for n, k, p, o in zip(x.shape[1:3], kernel, op, got.shape[1:3]):
        pad = k // 2 if padding == "same" else 0
        assert o == (n - 1) * 2 + k - 2 * pad + p
    if padding == "valid":  # torch's own arguments mean the same here
        want = F.conv_transpose2d(torch.tensor(_first(x)),
                                  torch.tensor(w).permute(3, 2, 0, 1),
                                  stride=2, output_padding=op).numpy()
        np.testing.assert_allclose(_first(got), want, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("nd", [1, 3])
def test_conv_transpose_1d_3d(nd):
    x = rng.normal(size=(2,) + (3,) * nd + (2,)).astype("float32")
    w = rng.normal(size=(3,) * nd + (4, 2)).astype("float32")
    got = _check_all("conv_transpose", x, w, 2, "same")
    want = _transpose_reference(_first(x), w, (2,) * nd, "same", (1,) * nd,
                                got.shape[1:-1])
    np.testing.assert_allclose(_first(got), want, rtol=1e-4, atol=1e-4)


def test_conv_transpose_output_padding_too_large():
    x = np.ones((1, 3, 3, 1), "float32")
    w = np.ones((3, 3, 1, 1), "float32")
    with pytest.raises(ValueError, match="output_padding"):
        REF.conv_transpose(x, w, 2, output_padding=2)


POOLS = [
    # pool_size, strides, padding
    ((2, 2), None, "valid"),
    ((3, 3), (1, 1), "same"),  # symmetric padding
    ((2, 2), (1, 1), "same"),  # uneven padding
    ((3, 2), (2, 3), "same"),
    ((2, 3), (3, 1), "valid"),
]


@pytest.mark.parametrize("pool_size, strides, padding", POOLS)
def test_max_pool(pool_size, strides, padding):
    x = rng.normal(size=(2, 7, 6, 3)).astype("float32")
    got = _check_all("max_pool", x, pool_size, strides, padding)
    xt = torch.tensor(_first(x))
    if padding == "same":
        xt = F.pad(xt, _same_pads(x.shape[1:3], pool_size, strides or
                                  pool_size, (1, 1)), value=-np.inf)
    want = F.max_pool2d(xt, pool_size, strides or pool_size).numpy()
    np.testing.assert_allclose(_first(got), want, rtol=1e-6)


@pytest.mark.parametrize("pool_size, strides, padding", POOLS)
def test_average_pool_excludes_padding(pool_size, strides, padding):
    x = rng.normal(size=(2, 7, 6, 3)).astype("float32")
    got = _check_all("average_pool", x, pool_size, strides, padding)
    strides = strides or pool_size
    xt = torch.tensor(_first(x))
    ones = torch.ones((1, 1) + x.shape[1:3])
    if padding == "same":
        pad = _same_pads(x.shape[1:3], pool_size, strides, (1, 1))
        xt, ones = F.pad(xt, pad), F.pad(ones, pad)
    total = F.avg_pool2d(xt, pool_size, strides, divisor_override=1)
    count = F.avg_pool2d(ones, pool_size, strides, divisor_override=1)
    np.testing.assert_allclose(_first(got), (total / count).numpy(),
                               rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("nd", [1, 3])
@pytest.mark.parametrize("padding", ["valid", "same"])
def test_pool_1d_3d(nd, padding):
    x = rng.normal(size=(2,) + (5,) * nd + (2,)).astype("float32")
    got = _check_all("max_pool", x, 2, None, padding)
    _check_all("average_pool", x, 3, 2, padding)
    if padding == "valid":
        pool = (F.max_pool1d, F.max_pool2d, F.max_pool3d)[nd - 1]
        want = pool(torch.tensor(_first(x)), 2).numpy()
        np.testing.assert_allclose(_first(got), want)


def test_hand_computed_same_padding_puts_extra_zero_at_end():
    # 1D, kernel 2 of ones, 'same': pads (0, 1), so the last output sees
    # only the last input.
    x = np.array([1.0, 2.0, 3.0], "float32").reshape(1, 3, 1)
    w = np.ones((2, 1, 1), "float32")
    for name in ("numpy",) + OTHERS:
        B = backend.get(name)
        y = _run(B, "conv", x, w, 1, "same")
        np.testing.assert_allclose(y.reshape(-1), [3.0, 5.0, 3.0])
        y = _run(B, "average_pool", x, 2, 1, "same")
        np.testing.assert_allclose(y.reshape(-1), [1.5, 2.5, 3.0])


def test_conv_rejects_channels_that_do_not_divide():
    x = np.ones((1, 4, 4, 5), "float32")
    w = np.ones((3, 3, 2, 4), "float32")
    for name in ("numpy",) + OTHERS:
        with pytest.raises(ValueError, match="channels"):
            _run(backend.get(name), "conv", x, w)


def test_bad_padding_names_the_argument():
    x = np.ones((1, 4, 4, 1), "float32")
    w = np.ones((3, 3, 1, 1), "float32")
    for name in ("numpy",) + OTHERS:
        with pytest.raises(ValueError, match="padding"):
            _run(backend.get(name), "conv", x, w, 1, "full")


@pytest.mark.parametrize("name", ("numpy",) + OTHERS)
@pytest.mark.parametrize("rank,data_format", [
    (1, "channels_last"), (1, "channels_first"), (2, "channels_last"),
    (2, "channels_first"), (3, "channels_first")])
def test_conv_bias_is_added_per_output_channel(name, rank, data_format):
    engine = backend.get(name)
    x = rng.normal(size=(2, 3) + (5,) * rank).astype("float32")  # NC...
    kernel = rng.normal(size=(2,) * rank + (3, 4)).astype("float32")
    bias = rng.normal(size=(4,)).astype("float32")
    if data_format == "channels_last":
        x = _last(x)
    out = np.asarray(engine.convert_to_numpy(engine.conv(
        x, kernel, padding="same", data_format=data_format, bias=bias)))
    plain = np.asarray(REF.conv(x, kernel, padding="same",
                                data_format=data_format))
    shape = (4,) + (1,) * rank if data_format == "channels_first" else (4,)
    np.testing.assert_allclose(out, plain + bias.reshape(shape), rtol=1e-4,
                               atol=1e-4)
