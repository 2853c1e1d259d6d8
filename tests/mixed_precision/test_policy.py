"""`DTypePolicy`, the global policy and how policies are looked up."""

import numpy as np
import pytest

from lamina import backend, mixed_precision
from lamina.mixed_precision import DTypePolicy
from lamina.mixed_precision import policy as policy_lib


@pytest.fixture(autouse=True)
def _reset_policy():
    yield
    mixed_precision.set_global_policy(None)


@pytest.mark.parametrize("name, compute, variable", [
    ("float32", "float32", "float32"),
    ("float64", "float64", "float64"),
    ("float16", "float16", "float16"),
    ("bfloat16", "bfloat16", "bfloat16"),
    ("mixed_float16", "float16", "float32"),
    ("mixed_bfloat16", "bfloat16", "float32"),
])
def test_policy_dtypes(name, compute, variable):
    policy = DTypePolicy(name)
    assert (policy.name, policy.compute_dtype, policy.variable_dtype) == \
        (name, compute, variable)
    assert policy.quantization_mode is None
    assert repr(policy) == f'<DTypePolicy "{name}">'


def test_dtype_spellings_are_standardized():
    assert DTypePolicy("half").name == "float16"
    assert DTypePolicy("double").compute_dtype == "float64"
    assert DTypePolicy("int32").variable_dtype == "int32"


def test_bad_policy_name_names_the_valid_ones():
    with pytest.raises(ValueError, match="mixed_float16.*mixed_bfloat16"):
        DTypePolicy("mixed_float32")
    with pytest.raises(TypeError, match="`name` must be a string"):
        DTypePolicy(32)


def test_none_means_the_global_policy():
    mixed_precision.set_global_policy("mixed_bfloat16")
    assert DTypePolicy().name == "mixed_bfloat16"


def test_global_policy_defaults_to_floatx():
    assert mixed_precision.global_policy() == DTypePolicy(backend.floatx())


@pytest.mark.parametrize("setter, getter", [
    ("set_global_policy", "global_policy"),
    ("set_dtype_policy", "dtype_policy"),  # Keras 3 names
])
def test_set_and_get_global_policy(setter, getter):
    set_policy = getattr(mixed_precision, setter)
    get_policy = getattr(mixed_precision, getter)
    set_policy("mixed_float16")
    assert get_policy().name == "mixed_float16"
    set_policy(DTypePolicy("bfloat16"))
    assert get_policy().compute_dtype == "bfloat16"
    set_policy(None)
    assert get_policy().name == backend.floatx()


def test_set_global_policy_rejects_other_types():
    with pytest.raises(ValueError, match="Invalid `policy` argument"):
        mixed_precision.set_global_policy(16)


def test_get_accepts_every_form():
    get = mixed_precision.get
    assert get(None) is mixed_precision.global_policy()
    policy = DTypePolicy("mixed_float16")
    assert get(policy) is policy
    assert get("mixed_bfloat16").compute_dtype == "bfloat16"
    assert get(np.dtype("float64")).name == "float64"
    assert get(np.float16).name == "float16"
    keras3 = {"module": "keras", "class_name": "DTypePolicy",
              "config": {"name": "mixed_float16"}, "registered_name": None}
    assert get(keras3) == policy
    keras30 = {"module": "keras.src.dtype_policies.dtype_policy",
               "class_name": "FloatDTypePolicy",
               "config": {"name": "float32"}, "registered_name": None}
    assert get(keras30).name == "float32"
    keras2 = {"class_name": "Policy", "config": {"name": "mixed_float16"}}
    assert get(keras2) == policy


def test_get_rejects_quantized_and_junk():
    quantized = {"module": "keras", "class_name": "QuantizedDTypePolicy",
                 "config": {"mode": "int8", "source_name": "float32"}}
    with pytest.raises(ValueError, match="quantized policies"):
        mixed_precision.get(quantized)
    with pytest.raises(ValueError, match="Cannot interpret `dtype`"):
        mixed_precision.get([1, 2])


def test_config_round_trip():
    policy = DTypePolicy("mixed_bfloat16")
    assert policy.get_config() == {"name": "mixed_bfloat16"}
    assert DTypePolicy.from_config(policy.get_config()) == policy
    assert mixed_precision.serialize(policy) == {
        "module": "keras", "class_name": "DTypePolicy",
        "config": {"name": "mixed_bfloat16"}, "registered_name": None}
    assert mixed_precision.deserialize(
        mixed_precision.serialize(policy)) == policy


def test_equality_and_hash():
    assert DTypePolicy("float32") == DTypePolicy("float")
    assert DTypePolicy("float32") != DTypePolicy("mixed_float16")
    assert len({DTypePolicy("float16"), DTypePolicy("half")}) == 1


def test_keras_names_are_exported():
    assert mixed_precision.Policy is DTypePolicy
    assert mixed_precision.ALL_OBJECTS["FloatDTypePolicy"] is DTypePolicy
    assert mixed_precision.ALL_OBJECTS["LossScaleOptimizer"] is \
        mixed_precision.LossScaleOptimizer
    assert policy_lib.set_dtype_policy is policy_lib.set_global_policy
