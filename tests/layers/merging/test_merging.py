import warnings

import numpy as np
import pytest

import lamina
from lamina import layers, ops


def run(layer_or_fn, xs):
    ins = [lamina.Input(shape=x.shape[1:]) for x in xs]
    out = layer_or_fn(ins)
    model = lamina.Model(ins, out)
    got = model.predict(xs, verbose=0)
    assert got.shape[1:] == tuple(out.shape[1:])
    return got


rng = np.random.default_rng(0)
A = rng.normal(size=(4, 5)).astype("float32")
B_ = rng.normal(size=(4, 5)).astype("float32")
C = rng.normal(size=(4, 5)).astype("float32")


@pytest.mark.parametrize("cls,fn,ref", [
    (layers.Add, layers.add, lambda a, b, c: a + b + c),
    (layers.Multiply, layers.multiply, lambda a, b, c: a * b * c),
    (layers.Average, layers.average, lambda a, b, c: (a + b + c) / 3),
    (layers.Maximum, layers.maximum, lambda a, b, c: np.maximum(
        np.maximum(a, b), c)),
    (layers.Minimum, layers.minimum, lambda a, b, c: np.minimum(
        np.minimum(a, b), c)),
])
def test_elementwise(cls, fn, ref):
    want = ref(A, B_, C)
    np.testing.assert_allclose(run(cls(), [A, B_, C]), want, rtol=1e-6)
    np.testing.assert_allclose(run(fn, [A, B_, C]), want, rtol=1e-6)


def test_subtract_needs_two():
    np.testing.assert_allclose(run(layers.Subtract(), [A, B_]), A - B_)
    with pytest.raises(ValueError, match="exactly 2"):
        run(layers.Subtract(), [A, B_, C])


def test_merge_needs_a_list():
    with pytest.raises(ValueError, match="list"):
        layers.Add()(lamina.Input(shape=(3,)))


def test_concatenate_axes():
    x1 = rng.normal(size=(2, 3, 4)).astype("float32")
    x2 = rng.normal(size=(2, 3, 2)).astype("float32")
    np.testing.assert_allclose(run(layers.Concatenate(), [x1, x2]),
                               np.concatenate([x1, x2], -1))
    x3 = rng.normal(size=(2, 1, 4)).astype("float32")
    np.testing.assert_allclose(run(layers.Concatenate(axis=1), [x1, x3]),
                               np.concatenate([x1, x3], 1))
    with pytest.raises(ValueError, match="matching shapes"):
        layers.concatenate([lamina.Input(shape=(3, 4)),
                            lamina.Input(shape=(2, 4))])


def test_dot_2d_and_normalize():
    got = run(layers.Dot(axes=1), [A, B_])
    np.testing.assert_allclose(got, (A * B_).sum(1, keepdims=True),
                               rtol=1e-5)
    cos = run(layers.Dot(axes=1, normalize=True), [A, B_])
    want = (A * B_).sum(1) / np.linalg.norm(A, axis=1) / \
        np.linalg.norm(B_, axis=1)
    np.testing.assert_allclose(cos[:, 0], want, rtol=1e-5)


def test_dot_3d_matches_einsum():
    x1 = rng.normal(size=(2, 3, 4)).astype("float32")
    x2 = rng.normal(size=(2, 5, 4)).astype("float32")
    got = run(layers.Dot(axes=(2, 2)), [x1, x2])
    np.testing.assert_allclose(got, np.einsum("bik,bjk->bij", x1, x2),
                               rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("mode,ref", [
    ("sum", lambda a, b: a + b), ("mul", lambda a, b: a * b),
    ("ave", lambda a, b: (a + b) / 2), ("max", np.maximum),
    ("concat", lambda a, b: np.concatenate([a, b], -1)),
    ("dot", lambda a, b: (a * b).sum(-1, keepdims=True)),
    ("cos", lambda a, b: ((a * b).sum(-1) / np.linalg.norm(a, axis=-1) /
                          np.linalg.norm(b, axis=-1))[:, None]),
])
def test_legacy_merge_modes(mode, ref):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = run(lambda ins: layers.merge(ins, mode=mode), [A, B_])
    np.testing.assert_allclose(got, ref(A, B_), rtol=1e-5, atol=1e-6)


def test_legacy_merge_concat_axis_and_callable():
    x1 = rng.normal(size=(2, 3, 4)).astype("float32")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = run(lambda ins: layers.merge(ins, mode="concat",
                                           concat_axis=1), [x1, x1])
        np.testing.assert_allclose(got, np.concatenate([x1, x1], 1))
        got = run(lambda ins: layers.merge(
            ins, mode=lambda t: t[0] - t[1], output_shape=(5,)), [A, B_])
    np.testing.assert_allclose(got, A - B_, rtol=1e-6)


def test_legacy_merge_warns_with_modern_spelling():
    import lamina.legacy.arguments as legacy
    legacy._warned.discard("merge-concat")
    a, b = lamina.Input(shape=(2,)), lamina.Input(shape=(2,))
    with pytest.warns(DeprecationWarning, match="Concatenate"):
        layers.merge([a, b], mode="concat", concat_axis=-1)


def test_legacy_merge_unknown_mode():
    a, b = lamina.Input(shape=(2,)), lamina.Input(shape=(2,))
    with pytest.raises(ValueError, match="concat"):
        layers.merge([a, b], mode="concatenate")


def test_merge_configs_round_trip():
    for layer in (layers.Add(), layers.Concatenate(axis=1),
                  layers.Dot(axes=(1, 2), normalize=True)):
        clone = type(layer).from_config(layer.get_config())
        assert clone.get_config() == layer.get_config()
    assert ops is not None
