import json

import numpy as np
import pytest

from lamina import backend, constraints, ops
from lamina.saving import config as saving

RNG = np.random.default_rng(0)
W = RNG.normal(size=(5, 4)).astype("float32") * np.array(
    [0.1, 1.0, 3.0, 10.0], "float32")  # columns of very different norms
KERNEL = RNG.normal(size=(3, 3, 2, 4)).astype("float32")
EPS = backend.epsilon()


def apply(constraint, w=W):
    return ops.convert_to_numpy(constraint(w))


def np_norms(w, axis):
    return np.sqrt(np.sum(np.square(w), axis=tuple(np.atleast_1d(axis)),
                          keepdims=True))


def np_min_max(w, lo, hi, rate, axis):
    norms = np_norms(w, axis)
    desired = rate * np.clip(norms, lo, hi) + (1 - rate) * norms
    return w * desired / (EPS + norms)


@pytest.mark.parametrize("axis", [0, 1, [0, 1, 2]])
def test_max_norm(axis):
    w = KERNEL if isinstance(axis, list) else W
    out = apply(constraints.MaxNorm(2.0, axis=axis), w)
    norms = np_norms(w, axis)
    expected = w * np.clip(norms, 0, 2.0) / (EPS + norms)
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-6)
    assert np_norms(out, axis).max() <= 2.0 + 1e-5


def test_max_norm_leaves_small_vectors():
    out = apply(constraints.MaxNorm(100.0))
    np.testing.assert_allclose(out, W, rtol=1e-5)


def test_non_neg():
    np.testing.assert_array_equal(apply(constraints.NonNeg()),
                                  np.maximum(W, 0))


@pytest.mark.parametrize("axis", [0, 1, [0, 1, 2]])
def test_unit_norm(axis):
    w = KERNEL if isinstance(axis, list) else W
    out = apply(constraints.UnitNorm(axis=axis), w)
    np.testing.assert_allclose(out, w / (EPS + np_norms(w, axis)),
                               rtol=1e-5)
    np.testing.assert_allclose(np_norms(out, axis), 1.0, rtol=1e-5)


@pytest.mark.parametrize("lo,hi,rate,axis", [
    (0.0, 1.0, 1.0, 0), (0.5, 2.0, 1.0, 0), (0.5, 2.0, 0.5, 1),
    (1.0, 1.0, 0.25, [0, 1, 2])])
def test_min_max_norm(lo, hi, rate, axis):
    w = KERNEL if isinstance(axis, list) else W
    out = apply(constraints.MinMaxNorm(lo, hi, rate, axis), w)
    np.testing.assert_allclose(out, np_min_max(w, lo, hi, rate, axis),
                               rtol=1e-5, atol=1e-6)
    if rate == 1.0:
        norms = np_norms(out, axis)
        assert norms.min() >= lo - 1e-4 and norms.max() <= hi + 1e-4


def test_defaults():
    assert constraints.MaxNorm().get_config() == {"max_value": 2, "axis": 0}
    assert constraints.UnitNorm().get_config() == {"axis": 0}
    assert constraints.MinMaxNorm().get_config() == {
        "min_value": 0.0, "max_value": 1.0, "rate": 1.0, "axis": 0}
    assert constraints.NonNeg().get_config() == {}


def test_aliases():
    assert constraints.max_norm is constraints.MaxNorm
    assert constraints.non_neg is constraints.NonNeg
    assert constraints.unit_norm is constraints.UnitNorm
    assert constraints.min_max_norm is constraints.MinMaxNorm
    assert constraints.nonneg is constraints.NonNeg
    assert constraints.unitnorm is constraints.UnitNorm
    # Keras 1: maxnorm(m=2, axis=0).
    assert constraints.maxnorm(m=3).get_config() == {"max_value": 3,
                                                     "axis": 0}
    assert constraints.maxnorm(4, axis=1).get_config() == {"max_value": 4,
                                                           "axis": 1}


@pytest.mark.parametrize("make,match", [
    (lambda: constraints.MaxNorm("2"), "max_value.*'2'"),
    (lambda: constraints.UnitNorm(axis="0"), "axis.*'0'"),
    (lambda: constraints.MinMaxNorm(2.0, 1.0), "min_value.*max_value"),
])
def test_bad_arguments(make, match):
    with pytest.raises(ValueError, match=match):
        make()


CASES = [constraints.MaxNorm(3.0, axis=1), constraints.NonNeg(),
         constraints.UnitNorm(axis=[0, 1, 2]),
         constraints.MinMaxNorm(0.5, 1.5, 0.7, axis=0)]


@pytest.mark.parametrize("constraint", CASES, ids=repr)
def test_config_round_trip(constraint):
    config = constraint.get_config()
    clone = type(constraint).from_config(json.loads(json.dumps(config)))
    assert clone.get_config() == config
    np.testing.assert_allclose(apply(clone, KERNEL), apply(constraint,
                                                           KERNEL))
    data = json.loads(json.dumps(constraints.serialize(constraint)))
    assert data["module"] == "keras.constraints"
    assert data["class_name"] == type(constraint).__name__
    again = constraints.deserialize(data)
    assert type(again) is type(constraint)
    assert again.get_config() == config
    assert saving.deserialize(data, "constraints").get_config() == config


@pytest.mark.parametrize("name,cls", [
    ("max_norm", constraints.MaxNorm), ("maxnorm", constraints.MaxNorm),
    ("MaxNorm", constraints.MaxNorm), ("non_neg", constraints.NonNeg),
    ("nonneg", constraints.NonNeg), ("unit_norm", constraints.UnitNorm),
    ("unitnorm", constraints.UnitNorm),
    ("min_max_norm", constraints.MinMaxNorm)])
def test_get_by_name(name, cls):
    assert type(constraints.get(name)) is cls
    assert type(saving.deserialize(name, "constraints")) is cls


def test_get():
    assert constraints.get(None) is None
    c = constraints.MaxNorm()
    assert constraints.get(c) is c
    assert isinstance(constraints.get(constraints.NonNeg),
                      constraints.NonNeg)
    keras2 = {"class_name": "MaxNorm", "config": {"max_value": 4,
                                                  "axis": 0}}
    assert constraints.get(keras2).max_value == 4

    def clip(w):
        return ops.clip(w, -1.0, 1.0)

    assert constraints.get(clip) is clip
    with pytest.raises(ValueError, match="'max_nrom'.*max_norm"):
        constraints.get("max_nrom")
    with pytest.raises(ValueError, match="constraint identifier 2"):
        constraints.get(2)


def test_base_constraint_is_identity():
    np.testing.assert_array_equal(apply(constraints.Constraint()), W)
