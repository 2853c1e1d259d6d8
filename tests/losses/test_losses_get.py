"""`lamina.losses.get` / `serialize` / `deserialize` and the name table."""

import numpy as np
import pytest

from lamina import losses, ops
from lamina.saving import config as saving


@pytest.mark.parametrize("name,fn", [
    ("mse", losses.mean_squared_error), ("MSE", losses.mean_squared_error),
    ("mean_squared_error", losses.mean_squared_error),
    ("mae", losses.mean_absolute_error),
    ("mape", losses.mean_absolute_percentage_error),
    ("msle", losses.mean_squared_logarithmic_error),
    ("kld", losses.kl_divergence),
    ("kullback_leibler_divergence", losses.kl_divergence),
    ("logcosh", losses.log_cosh), ("log_cosh", losses.log_cosh),
    ("binary_crossentropy", losses.binary_crossentropy),
    ("categorical_crossentropy", losses.categorical_crossentropy),
    ("sparse_categorical_crossentropy",
     losses.sparse_categorical_crossentropy),
    ("hinge", losses.hinge), ("squared_hinge", losses.squared_hinge),
    ("categorical_hinge", losses.categorical_hinge),
    ("poisson", losses.poisson), ("cosine_proximity",
                                  losses.cosine_similarity),
    ("huber", losses.huber)])
def test_get_function_names(name, fn):
    assert losses.get(name) is fn
    assert saving.find_class(name, "losses") is fn


def test_get_class_name_gives_an_instance():
    loss = losses.get("CategoricalCrossentropy")
    assert isinstance(loss, losses.CategoricalCrossentropy)
    assert loss.name == "categorical_crossentropy"


def test_get_passes_through_instances_and_callables():
    loss = losses.Huber()
    assert losses.get(loss) is loss

    def custom(y_true, y_pred):
        return y_pred - y_true

    assert losses.get(custom) is custom
    assert isinstance(losses.get(losses.Poisson), losses.Poisson)
    assert losses.get(None) is None


def test_get_config_dict():
    loss = losses.get({"class_name": "CategoricalCrossentropy",
                       "config": {"from_logits": True}})
    assert isinstance(loss, losses.CategoricalCrossentropy)
    assert loss.get_config()["from_logits"] is True


def test_unknown_name_lists_valid_names():
    with pytest.raises(ValueError) as info:
        losses.get("mse2")
    message = str(info.value)
    assert "'mse2'" in message and "Did you mean 'mse'" in message
    for name in ("mean_squared_error", "categorical_crossentropy", "mae",
                 "BinaryCrossentropy"):
        assert name in message


def test_non_callable_is_rejected():
    with pytest.raises(ValueError, match="loss identifier"):
        losses.get(3)


def test_serialize_functions_by_name():
    assert losses.serialize(losses.mean_squared_error) == \
        "mean_squared_error"
    assert losses.deserialize("mse") is losses.mean_squared_error
    keras3 = {"module": "keras.losses", "class_name": "function",
              "config": "mean_absolute_error", "registered_name": "function"}
    assert losses.deserialize(keras3) is losses.mean_absolute_error


def test_every_table_entry_is_usable():
    y = np.array([[0.2, 0.8], [0.6, 0.4]], "float32")
    labels = np.array([1, 0])
    for name in losses.ALL_OBJECTS:
        if name in ("Loss", "LossFunctionWrapper"):
            continue
        loss = losses.get(name)
        target = labels if "parse" in name else y
        value = np.asarray(ops.convert_to_numpy(loss(target, y)))
        assert np.isfinite(value).all(), name
