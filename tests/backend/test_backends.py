"""Every primitive gives the same values and dtype on torch, jax and numpy.

The NumPy backend is the reference: each case runs on all three backends
(held at once through `lamina.backend.get`) on the same random inputs, and
torch's and jax's outputs must match NumPy's to float32 tolerance, with the
same dtype.
"""

import numpy as np
import pytest

from lamina import backend

REF = backend.get("numpy")
OTHERS = ("torch", "jax")

rng = np.random.default_rng(0)
F = rng.standard_normal((3, 4)).astype("float32")
G = rng.standard_normal((3, 4)).astype("float32")
F3 = rng.standard_normal((2, 3, 4)).astype("float32")
ROW = rng.standard_normal((4,)).astype("float32")
POS = (np.abs(F) + 0.5).astype("float32")
I = rng.integers(-5, 6, (3, 4)).astype("int32")
NZ = np.where(I == 0, 3, I).astype("int32")
B = F > 0
BIG = (F * 40).astype("float32")
LABELS = np.array([[0, 3, 1], [2, 4, 0]], dtype="int64")
PERM = rng.permutation(12).reshape(3, 4).astype("int32")
SPECIAL = np.array([1.0, np.nan, np.inf, -np.inf, 0.0], dtype="float32")
A234 = rng.standard_normal((2, 3, 4)).astype("float32")
M45 = rng.standard_normal((4, 5)).astype("float32")
ONES131 = np.ones((1, 3, 1), dtype="float32")
IDX = np.array([[2, 0], [1, 11]], dtype="int64")


def c(name, *args, **kwargs):
    """One case: the primitive `name` called with `args` and `kwargs`."""
    text = ", ".join([_label(a) for a in args] +
                     [f"{k}={_label(v)}" for k, v in kwargs.items()])
    return pytest.param(name, args, kwargs, id=f"{name}({text})")


def _label(value):
    if isinstance(value, np.ndarray):
        for key, array in globals().items():
            if array is value:
                return key
        return f"array{value.shape}"
    if isinstance(value, list) and value and isinstance(value[0],
                                                       np.ndarray):
        return "[" + ",".join(_label(v) for v in value) + "]"
    return repr(value)


CREATION = [
    c("zeros", (2, 3)), c("ones", (2,), "int32"), c("full", (2, 2), 3.5),
    c("full", (2,), 7, "int32"), c("zeros_like", F), c("ones_like", I),
    c("full_like", F, 2), c("full_like", I, 3, "float32"), c("arange", 5),
    c("arange", 1, 7, 2), c("arange", 0.0, 1.0, 0.25),
    c("linspace", 0, 1, 5), c("linspace", 0, 1, 4, endpoint=False),
    c("eye", 3), c("eye", 3, 4, k=1), c("eye", 4, 3, k=-1),
    c("convert_to_tensor", 2.5), c("convert_to_tensor", 3),
    c("convert_to_tensor", True), c("convert_to_tensor", [1, 2]),
    c("convert_to_tensor", [1.0, 2]), c("convert_to_tensor", F, "float64"),
    c("cast", F, "int32"), c("cast", I, "float16"), c("cast", B, "float32"),
]

SHAPES = [
    c("reshape", F, (4, 3)), c("reshape", F, (-1,)),
    c("reshape", F, (None, 2)), c("transpose", F3),
    c("transpose", F3, (2, 0, 1)), c("swapaxes", F3, 0, 2),
    c("moveaxis", F3, 0, -1), c("expand_dims", F, 1),
    c("expand_dims", F, -1), c("expand_dims", F, (0, 2)),
    c("squeeze", ONES131), c("squeeze", ONES131, 0),
    c("squeeze", ONES131, (0, 2)), c("concatenate", [F, G], axis=1),
    c("concatenate", [F, G], axis=-2), c("concatenate", [I, F]),
    c("stack", [F, G], axis=1), c("stack", [F, G]), c("split", F, 2, 1),
    c("split", F, [1, 3], 1), c("split", F, [1], 0), c("tile", F, 2),
    c("tile", F, (2, 1)), c("repeat", F, 2), c("repeat", F, 2, axis=1),
    c("broadcast_to", ROW, (3, 4)), c("take", F, IDX),
    c("take", F, [2, 0], axis=1), c("take", F, IDX[:, :1] % 3, axis=0),
    c("take", F3, [1, 0], axis=-1),
    c("take_along_axis", F, np.argsort(F, axis=1), axis=1),
    c("take_along_axis", F, np.array([3, 0, 7]), axis=None),
    c("where", B, F, G), c("where", B, F, 0.0), c("where", B, I, F),
    c("where", B, 1, 2), c("where", B), c("where", F3 > 0),
    c("pad", F, ((1, 2), (0, 1))), c("pad", F, 1),
    c("pad", F, ((1, 1), (2, 2)), constant_values=3.0),
    c("pad", F3[None], ((0, 0), (0, 0), (1, 1), (2, 2)), mode="reflect"),
    c("flip", F), c("flip", F, 1), c("flip", F3, (0, 2)),
    c("slice", F, (1, 1), (2, 2)), c("slice", F3, (0, 1, 2), (2, 1, 2)),
    c("tril", F), c("tril", F, -1), c("triu", F, 1),
    c("one_hot", LABELS, 5), c("one_hot", LABELS, 5, axis=0),
    c("one_hot", LABELS, 6, dtype="int32"), c("stop_gradient", F),
]

BINARY = ["add", "subtract", "multiply", "maximum", "minimum", "equal",
          "not_equal", "greater", "greater_equal", "less", "less_equal"]
OPERANDS = [(F, G), (F, 2.5), (2.5, F), (I, 2), (I, 2.5), (F, ROW),
            (I, F), (2, 3)]
MATH = [c(op, a, b) for op in BINARY for a, b in OPERANDS] + [
    c("divide", F, POS), c("divide", I, NZ), c("divide", 1.0, NZ),
    c("divide", I, 2), c("floor_divide", I, 3), c("floor_divide", F, 0.7),
    c("mod", I, 3), c("mod", F, 0.7), c("power", POS, G),
    c("power", POS, 2), c("power", I, 2), c("power", POS, 0.5),
    c("arctan2", F, G), c("logical_and", B, ~B[::-1]),
    c("logical_or", B, F3[0] > 0), c("logical_not", B),
    c("clip", F, -0.5, 0.5), c("clip", I, -1, 2), c("clip", I, -0.5, 2.5),
    c("round", F * 3), c("round", F, 1), c("isnan", SPECIAL),
    c("isinf", SPECIAL), c("isfinite", SPECIAL),
] + [c(op, F) for op in (
    "negative", "abs", "sign", "exp", "expm1", "square", "sin", "cos",
    "tan", "arctan", "sinh", "cosh", "tanh", "erf", "floor", "ceil")] + [
    c(op, POS) for op in ("log", "log1p", "sqrt", "rsqrt")] + [
    c(op, I) for op in ("negative", "abs", "sign", "square", "exp",
                        "floor", "sin")]

AXES = [None, 1, -1, (0, 2)]
REDUCE = [c(op, F3, axis=axis, keepdims=keep) for op in (
    "sum", "mean", "max", "min", "var", "std", "logsumexp", "prod")
    for axis in AXES for keep in (False, True)] + [
    c(op, F3 > 0.3, axis=axis, keepdims=keep) for op in ("all", "any")
    for axis in AXES for keep in (False, True)] + [
    c(op, F3, axis=axis, keepdims=keep) for op in ("argmax", "argmin")
    for axis in (None, 1, -1) for keep in (False, True)] + [
    c("sum", I), c("sum", B), c("sum", I, axis=0), c("mean", I),
    c("prod", I[:, :2], axis=1), c("prod", F, axis=1, dtype="float64"),
    c("max", F, initial=0.5), c("min", F, axis=0, initial=-0.5),
    c("max", I, axis=1), c("cumsum", F, 1), c("cumsum", F),
    c("cumsum", I, 0), c("cumsum", B, 1), c("cumsum", F, 1, "float64"),
    c("cumprod", POS, 0), c("cumprod", I[:, :3], 1), c("argsort", F),
    c("argsort", F, 0), c("sort", F, 0), c("sort", I),
    c("top_k", F, 2), c("top_k", PERM, 3), c("top_k", F3, 1),
]

LINALG = [
    c("matmul", A234, M45), c("matmul", F, F.T), c("matmul", ROW, M45),
    c("tensordot", A234, M45, axes=1),
    c("tensordot", A234, F, axes=([1, 2], [0, 1])),
    c("einsum", "ij,jk->ik", F, M45), c("einsum", "bij->bji", A234),
    c("norm", F), c("norm", F3), c("norm", F, axis=1),
    c("norm", F, ord=1, axis=0), c("norm", F, ord="fro"),
    c("norm", F, axis=1, keepdims=True), c("norm", F3, keepdims=True),
]

NN = [c(op, BIG) for op in (
    "relu", "sigmoid", "softplus", "silu", "gelu", "elu", "selu",
    "leaky_relu", "log_sigmoid", "softmax", "log_softmax")] + [
    c(op, F) for op in ("relu", "sigmoid", "softplus", "silu", "gelu",
                        "elu", "selu", "leaky_relu", "log_sigmoid")] + [
    c("gelu", F, approximate=False), c("elu", F, alpha=0.5),
    c("leaky_relu", F, negative_slope=0.1), c("softmax", F3, axis=0),
    c("log_softmax", F, axis=0), c("relu", I),
]

ALL = CREATION + SHAPES + MATH + REDUCE + LINALG + NN

# Places where the torch backend differs from NumPy's meaning; xfail
# (strict) so each is seen, and noticed when fixed.
TORCH_DIFFERS = {}


def _to_backend(B, value):
    if isinstance(value, np.ndarray):
        return B.convert_to_tensor(value)
    if isinstance(value, list) and value and isinstance(value[0],
                                                       np.ndarray):
        return [B.convert_to_tensor(v) for v in value]
    return value


def _run(B, name, args, kwargs):
    out = getattr(B, name)(*[_to_backend(B, a) for a in args],
                           **{k: _to_backend(B, v) for k, v in
                              kwargs.items()})
    if isinstance(out, (list, tuple)):
        return [(B.convert_to_numpy(o), B.dtype(o)) for o in out]
    return [(B.convert_to_numpy(out), B.dtype(out))]


def _tolerance(name):
    if name in ("tan", "sinh", "cosh", "exp", "power", "cumprod", "prod",
                "logsumexp", "var", "std", "norm"):
        return 2e-5
    return 1e-5


@pytest.mark.parametrize("backend_name", OTHERS)
@pytest.mark.parametrize("name, args, kwargs", ALL)
def test_same_as_numpy(request, backend_name, name, args, kwargs):
    case = request.node.callspec.id.rsplit("-", 1)[0]
    if backend_name == "torch" and case in TORCH_DIFFERS:
        request.applymarker(pytest.mark.xfail(
            reason=TORCH_DIFFERS[case], strict=True))
    expected = _run(REF, name, args, kwargs)
    got = _run(backend.get(backend_name), name, args, kwargs)
    assert len(got) == len(expected)
    tol = _tolerance(name)
    for (value, dtype), (ref, ref_dtype) in zip(got, expected):
        assert dtype == ref_dtype, f"{backend_name} gives {dtype}, " \
                                   f"numpy {ref_dtype}"
        assert value.shape == ref.shape
        np.testing.assert_allclose(np.asarray(value, "float64"),
                                   np.asarray(ref, "float64"),
                                   rtol=tol, atol=tol, equal_nan=True)


def test_numpy_reference_values():
    # The reference itself, against hand-written formulas.
    np.testing.assert_allclose(REF.softmax(F), np.exp(F) / np.exp(F).sum(
        -1, keepdims=True), rtol=1e-6)
    np.testing.assert_allclose(REF.logsumexp(BIG, axis=1), np.log(
        np.exp(BIG.astype("float64")).sum(1)), rtol=1e-6)
    np.testing.assert_allclose(REF.sigmoid(BIG), 1 / (1 + np.exp(
        -BIG.astype("float64"))), rtol=1e-6, atol=1e-30)
    np.testing.assert_allclose(REF.gelu(F, approximate=False), 0.5 * F * (
        1 + np.vectorize(__import__("math").erf)(F / np.sqrt(2))), rtol=1e-6)
    values, indices = REF.top_k(PERM, 2)
    np.testing.assert_array_equal(values, -np.sort(-PERM, 1)[:, :2])
    np.testing.assert_array_equal(np.take_along_axis(PERM, indices, 1),
                                  values)
    assert REF.where(B)[0].dtype == np.int64
    assert len(REF.split(F, [1, 3], axis=1)) == 3


def test_split_sections_must_divide():
    for name in ("numpy", "jax", "torch"):
        with pytest.raises(ValueError, match="divide"):
            backend.get(name).split(F, 3, axis=1)


def test_float64_works_and_float32_stays_default():
    J = backend.get("jax")
    assert J.dtype(J.convert_to_tensor(1.5)) == "float32"
    assert J.dtype(J.convert_to_tensor([1.5, 2])) == "float32"
    assert J.dtype(J.zeros((2,))) == "float32"
    assert J.dtype(J.arange(0.0, 1.0, 0.5)) == "float32"
    x = J.convert_to_tensor(np.array([1e-20], "float64"))
    assert J.dtype(x) == "float64"
    assert J.convert_to_numpy(J.add(x, 1.0))[0] - 1.0 == 0.0
    assert J.dtype(J.ones((2,), "float64")) == "float64"
    assert J.convert_to_numpy(J.divide(J.ones((1,), "float64"), 3))[0] \
        == 1 / 3


def test_numpy_scalars_are_arrays_on_numpy():
    # Reductions return NumPy scalars (np.float64 subclasses float): they
    # keep their dtype instead of being read as Python floats.
    total = REF.sum(REF.convert_to_tensor(np.ones(3)))
    assert REF.is_tensor(total) and REF.dtype(total) == "float64"
    assert REF.dtype(REF.divide(total, 2.0)) == "float64"
    assert REF.dtype(REF.convert_to_tensor(np.float64(1.0))) == "float64"
    assert REF.dtype(REF.convert_to_tensor(1.0)) == "float32"
