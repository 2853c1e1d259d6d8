import json

import numpy as np
import pytest

from lamina import ops, regularizers
from lamina.ops._bind import B
from lamina.saving import config as saving

RNG = np.random.default_rng(0)
W = RNG.normal(size=(6, 4)).astype("float32")


def penalty(reg, x=W):
    return float(ops.convert_to_numpy(reg(x)))


def np_orthogonal(x, factor, mode):
    v = x if mode == "rows" else x.T
    v = v / np.linalg.norm(v, axis=1, keepdims=True)
    gram = v @ v.T
    n = gram.shape[0]
    pairs = [abs(gram[i, j]) for i in range(n) for j in range(i + 1, n)]
    return factor * np.mean(pairs)


def test_l1_l2_l1l2_match_numpy():
    assert penalty(regularizers.L1(0.3)) == pytest.approx(
        0.3 * np.abs(W).sum(), rel=1e-5)
    assert penalty(regularizers.L2(0.3)) == pytest.approx(
        0.3 * np.square(W).sum(), rel=1e-5)
    assert penalty(regularizers.L1L2(l1=0.1, l2=0.2)) == pytest.approx(
        0.1 * np.abs(W).sum() + 0.2 * np.square(W).sum(), rel=1e-5)
    assert penalty(regularizers.L1L2(l2=0.2)) == pytest.approx(
        0.2 * np.square(W).sum(), rel=1e-5)
    assert penalty(regularizers.L1L2(l1=0.1)) == pytest.approx(
        0.1 * np.abs(W).sum(), rel=1e-5)
    assert penalty(regularizers.L1L2()) == 0.0


def test_l2_has_no_half_factor():
    assert penalty(regularizers.L2(1.0), np.array([3.0, 4.0])) == 25.0


def test_defaults():
    assert regularizers.L1().l1 == 0.01
    assert regularizers.L2().l2 == 0.01
    assert regularizers.L1(None).l1 == 0.01
    assert (regularizers.L1L2().l1, regularizers.L1L2().l2) == (0.0, 0.0)
    reg = regularizers.OrthogonalRegularizer()
    assert (reg.factor, reg.mode) == (0.01, "rows")


def test_function_aliases():
    reg = regularizers.l2(0.05)
    assert isinstance(reg, regularizers.L2) and reg.l2 == 0.05
    assert regularizers.l1().l1 == 0.01
    reg = regularizers.l1_l2()
    assert isinstance(reg, regularizers.L1L2)
    assert (reg.l1, reg.l2) == (0.01, 0.01)
    assert regularizers.l1_l2(l1=0.2).get_config() == {"l1": 0.2,
                                                         "l2": 0.01}
    # Keras 1 spellings.
    assert regularizers.l2(l=0.3).l2 == 0.3
    assert regularizers.l1(l=0.3).l1 == 0.3
    assert regularizers.l1l2(0.1, 0.2).get_config() == {"l1": 0.1,
                                                         "l2": 0.2}
    assert regularizers.activity_l2(0.1).l2 == 0.1
    assert regularizers.activity_l1(0.1).l1 == 0.1
    assert isinstance(regularizers.activity_l1l2(), regularizers.L1L2)


@pytest.mark.parametrize("mode", ["rows", "columns"])
def test_orthogonal_regularizer_matches_numpy(mode):
    reg = regularizers.OrthogonalRegularizer(factor=0.5, mode=mode)
    assert penalty(reg) == pytest.approx(np_orthogonal(W, 0.5, mode),
                                         rel=1e-5)


def test_orthogonal_regularizer_is_zero_for_orthogonal_rows():
    q, _ = np.linalg.qr(RNG.normal(size=(5, 5)))
    reg = regularizers.OrthogonalRegularizer(factor=1.0)
    assert penalty(reg, (3.0 * q).astype("float32")) == pytest.approx(
        0.0, abs=1e-6)
    # Parallel rows: every |cos| is 1.
    assert penalty(reg, np.ones((3, 4), "float32")) == pytest.approx(1.0)


def test_orthogonal_regularizer_needs_a_matrix():
    with pytest.raises(ValueError, match="2-D.*\\(2, 2, 2\\)"):
        regularizers.OrthogonalRegularizer()(np.ones((2, 2, 2), "float32"))


@pytest.mark.parametrize("make,match", [
    (lambda: regularizers.L1(-0.1), "l1.*non-negative.*-0.1"),
    (lambda: regularizers.L2("big"), "l2.*'big'"),
    (lambda: regularizers.L1L2(l2=float("nan")), "l2"),
    (lambda: regularizers.OrthogonalRegularizer(mode="diag"),
     "mode.*'diag'"),
    (lambda: regularizers.OrthogonalRegularizer(factor=-1), "factor"),
])
def test_bad_arguments(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_works_on_a_variable_and_is_differentiable():
    variable = B.Variable(W, trainable=True)
    reg = regularizers.L2(0.5)
    (loss, _), grads = B.value_and_grad(lambda: (reg(variable.value), None),
                                        [variable])
    assert float(ops.convert_to_numpy(loss)) == pytest.approx(
        0.5 * np.square(W).sum(), rel=1e-5)
    np.testing.assert_allclose(ops.convert_to_numpy(grads[0]), W, rtol=1e-5)


CASES = [regularizers.L1(0.2), regularizers.L2(0.3),
         regularizers.L1L2(l1=0.1, l2=0.4),
         regularizers.OrthogonalRegularizer(factor=0.2, mode="columns")]


@pytest.mark.parametrize("reg", CASES, ids=repr)
def test_config_round_trip(reg):
    config = reg.get_config()
    clone = type(reg).from_config(json.loads(json.dumps(config)))
    assert clone.get_config() == config
    assert penalty(clone) == pytest.approx(penalty(reg))
    data = json.loads(json.dumps(regularizers.serialize(reg)))
    assert data["module"] == "keras.regularizers"
    assert data["class_name"] == type(reg).__name__
    again = regularizers.deserialize(data)
    assert type(again) is type(reg) and again.get_config() == config
    assert saving.deserialize(data, "regularizers").get_config() == config


def test_get():
    assert regularizers.get(None) is None
    reg = regularizers.L2(0.1)
    assert regularizers.get(reg) is reg
    assert regularizers.get("l2").get_config() == {"l2": 0.01}
    assert regularizers.get("L1").get_config() == {"l1": 0.01}
    assert isinstance(regularizers.get("l1_l2"), regularizers.L1L2)
    assert isinstance(regularizers.get("orthogonal_regularizer"),
                      regularizers.OrthogonalRegularizer)
    assert isinstance(regularizers.get(regularizers.L1), regularizers.L1)
    keras2 = {"class_name": "L1L2", "config": {"l1": 0.0, "l2": 0.02}}
    assert regularizers.get(keras2).l2 == 0.02

    def custom(x):
        return ops.sum(x)

    assert regularizers.get(custom) is custom
    assert saving.deserialize("l2", "regularizers").get_config() == {
        "l2": 0.01}


def test_get_errors():
    with pytest.raises(ValueError, match="'l3'.*l1.*l2"):
        regularizers.get("l3")
    with pytest.raises(ValueError, match="regularizer identifier 0.1"):
        regularizers.get(0.1)


def test_base_class():
    assert regularizers.Regularizer()(W) == 0.0
    with pytest.raises(NotImplementedError, match="get_config"):
        regularizers.Regularizer().get_config()
