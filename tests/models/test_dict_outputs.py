"""Dicts of inputs and outputs follow Keras's flattening order: sorted keys.

That order decides which entry of a loss list goes with which output, the
order of `model.inputs` / `model.outputs`, and how a list of input arrays
is matched to a dict of `Input`s.
"""

import numpy as np
import pytest

import lamina
from lamina import layers, ops


def _dict_model():
    inp = lamina.Input((3,))
    zeta = layers.Dense(2, name="zeta", kernel_initializer="zeros")(inp)
    alpha = layers.Dense(1, name="alpha", kernel_initializer="zeros")(inp)
    return lamina.Model(inp, {"z": zeta, "a": alpha}), zeta, alpha


def test_outputs_and_names_are_in_sorted_key_order():
    model, zeta, alpha = _dict_model()
    assert model.outputs == [alpha, zeta]
    assert model.output_names == ["a", "z"]
    out = model.predict(np.ones((2, 3)), verbose=0)
    assert list(out) == ["a", "z"]
    assert out["a"].shape == (2, 1) and out["z"].shape == (2, 2)


def test_a_loss_list_goes_to_the_sorted_outputs():
    model, _, _ = _dict_model()
    model.compile("sgd", loss=["mse", "mae"])
    x = np.ones((4, 3), "float32")
    y = {"z": np.full((4, 2), 3.0, "float32"),
         "a": np.full((4, 1), 2.0, "float32")}
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    # Both heads predict 0: "a" gets mse, "z" gets mae.
    assert logs["a_loss"] == pytest.approx(np.mean(y["a"] ** 2))
    assert logs["z_loss"] == pytest.approx(np.mean(np.abs(y["z"])))
    assert logs["loss"] == pytest.approx(logs["a_loss"] + logs["z_loss"])


def test_dict_inputs_take_a_list_in_sorted_key_order():
    b = lamina.Input((2,), name="b")
    a = lamina.Input((1,), name="a")
    out = layers.Concatenate()([a, b])
    model = lamina.Model({"b": b, "a": a}, out)
    assert model.inputs == [a, b]
    xa = np.array([[1.0]], "float32")
    xb = np.array([[2.0, 3.0]], "float32")
    from_list = ops.convert_to_numpy(model([xa, xb]))
    from_dict = ops.convert_to_numpy(model({"b": xb, "a": xa}))
    np.testing.assert_array_equal(from_list, [[1.0, 2.0, 3.0]])
    np.testing.assert_array_equal(from_dict, from_list)


class _TwoHeads(lamina.Model):
    def __init__(self):
        super().__init__()
        self.z = layers.Dense(1, kernel_initializer="zeros")
        self.a = layers.Dense(1, kernel_initializer="zeros")

    def call(self, x):
        return {"z": self.z(x), "a": self.a(x)}


@pytest.mark.parametrize("loss", [{"z": "mse", "a": "mae"}, ["mae", "mse"]])
def test_a_subclassed_model_returning_a_dict_names_outputs_by_key(loss):
    model = _TwoHeads()
    model.compile("sgd", loss=loss)
    x = np.ones((4, 3), "float32")
    y = {"a": np.full((4, 1), 2.0, "float32"),
         "z": np.full((4, 1), 3.0, "float32")}
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    assert logs["a_loss"] == pytest.approx(np.mean(np.abs(y["a"])))
    assert logs["z_loss"] == pytest.approx(np.mean(y["z"] ** 2))


def test_config_round_trip_keeps_the_dict(tmp_path):
    model, _, _ = _dict_model()
    model.get_layer("zeta").set_weights([np.arange(6, dtype="float32").reshape(3, 2),
                                 np.zeros(2, "float32")])
    path = str(tmp_path / "dict.keras")
    model.save(path)
    loaded = lamina.saving.load_model(path)
    assert loaded.output_names == ["a", "z"]
    x = np.random.default_rng(0).normal(size=(2, 3)).astype("float32")
    want, got = model.predict(x, verbose=0), loaded.predict(x, verbose=0)
    assert list(got) == ["a", "z"]
    for key in want:
        np.testing.assert_allclose(got[key], want[key], rtol=1e-6)
