"""`lamina.initializers.get` / `serialize` / `deserialize` and the names."""

import numpy as np
import pytest

from lamina import initializers, ops
from lamina.saving import config as saving

ALIASES = {
    "zeros": "Zeros", "zero": "Zeros", "ones": "Ones", "one": "Ones",
    "constant": "Constant", "random_normal": "RandomNormal",
    "normal": "RandomNormal", "random_uniform": "RandomUniform",
    "uniform": "RandomUniform", "truncated_normal": "TruncatedNormal",
    "glorot_uniform": "GlorotUniform", "glorot_normal": "GlorotNormal",
    "he_normal": "HeNormal", "he_uniform": "HeUniform",
    "lecun_normal": "LecunNormal", "lecun_uniform": "LecunUniform",
    "orthogonal": "OrthogonalInitializer", "identity": "Identity",
    "variance_scaling": "VarianceScaling",
    "IdentityInitializer": "Identity", "Orthogonal": "OrthogonalInitializer",
}


@pytest.mark.parametrize("name,cls_name", sorted(ALIASES.items()))
def test_string_aliases(name, cls_name):
    init = initializers.get(name)
    assert type(init).__name__ == cls_name
    assert type(saving.deserialize(name, "initializers")) is type(init)


def test_tutorial_uniform_and_normal_semantics():
    uniform = initializers.get("uniform")
    assert (uniform.minval, uniform.maxval) == (-0.05, 0.05)
    w = ops.convert_to_numpy(uniform((300, 300)))
    assert w.min() >= -0.05 and w.max() < 0.05
    normal = initializers.get("normal")
    assert (normal.mean, normal.stddev) == (0.0, 0.05)
    w = ops.convert_to_numpy(normal((300, 300)))
    assert abs(w.std() - 0.05) < 0.002


def test_get_none_instance_class_and_callable():
    assert initializers.get(None) is None
    init = initializers.HeNormal(seed=1)
    assert initializers.get(init) is init
    assert isinstance(initializers.get(initializers.Ones),
                      initializers.Ones)

    def fives(shape, dtype=None):
        return np.full(shape, 5.0, dtype or "float32")

    assert initializers.get(fives) is fives


def test_get_config_dicts():
    keras3 = {"module": "keras.initializers", "class_name": "RandomUniform",
              "config": {"minval": -1.0, "maxval": 1.0, "seed": 2},
              "registered_name": None}
    init = initializers.get(keras3)
    assert isinstance(init, initializers.RandomUniform)
    assert (init.minval, init.maxval, init.seed) == (-1.0, 1.0, 2)
    keras2 = {"class_name": "VarianceScaling",
              "config": {"scale": 2.0, "mode": "fan_out",
                         "distribution": "uniform", "seed": None}}
    init = initializers.get(keras2)
    assert (init.scale, init.mode, init.distribution) == (
        2.0, "fan_out", "uniform")
    legacy_orthogonal = {"class_name": "Orthogonal",
                         "config": {"gain": 2.0, "seed": None}}
    assert initializers.get(legacy_orthogonal).gain == 2.0


def test_unknown_name_lists_valid_names():
    with pytest.raises(ValueError, match="glorot_unifrom.*glorot_uniform"):
        initializers.get("glorot_unifrom")


def test_uninterpretable_identifier():
    with pytest.raises(ValueError, match="initializer identifier 3"):
        initializers.get(3)


def test_custom_class_through_custom_objects():
    class Fives(initializers.Initializer):
        def __call__(self, shape, dtype=None):
            return ops.full(shape, 5.0, dtype=dtype)

    data = initializers.serialize(Fives())
    assert data["class_name"] == "Fives"
    init = initializers.deserialize(data, custom_objects={"Fives": Fives})
    assert isinstance(init, Fives)
    with pytest.raises(ValueError, match="Fives"):
        initializers.deserialize(data)


def test_serialize_none():
    assert initializers.serialize(None) is None


def test_all_objects_are_attributes():
    for name, cls in initializers.ALL_OBJECTS.items():
        if name[0].isupper():
            assert getattr(initializers, name) is cls


def test_base_class_is_abstract():
    with pytest.raises(NotImplementedError, match="__call__"):
        initializers.Initializer()((2,))


def test_dunder_all_lists_every_class():
    names = {k for k in initializers.ALL_OBJECTS if k[0].isupper()}
    assert names <= set(initializers.__all__)
    for name in initializers.__all__:
        assert hasattr(initializers, name)


def test_tf1_config_with_dtype_loads():
    init = initializers.get({"class_name": "RandomNormal", "config": {
        "mean": 0.0, "stddev": 0.1, "seed": None, "dtype": "float32"}})
    assert init.stddev == 0.1
