"""`import keras` on lamina: every module path of the table, the hook's
precedence over a real Keras, errors, `tensorflow.keras`, and unaliasing."""

import importlib
import importlib.machinery
import importlib.util
import sys

import numpy as np
import pytest

import lamina
from lamina.legacy import aliases, keras_extras, keras_paths
from lamina.saving import archive


@pytest.fixture
def keras():
    module = aliases.alias_keras()
    yield module
    aliases.unalias_keras()


def _available(module):
    try:
        return importlib.util.find_spec(module) is not None
    except ImportError:
        return False


def _skip_unless_written(path):
    primary = keras_paths.sources(path)[0][0]
    if not _available(primary):
        pytest.skip(f"{path}: its lamina module {primary} is not written "
                    f"yet")


@pytest.mark.parametrize("path", sorted(keras_paths.MODULES))
def test_every_mapped_path_imports(keras, path):
    _skip_unless_written(path)
    module = importlib.import_module(path)
    assert sys.modules[path] is module
    assert isinstance(module, aliases._AliasModule)
    sources = keras_paths.sources(path)
    primary, names = sources[0]
    target = importlib.import_module(primary)
    for name in names or [n for n in vars(module) if not n.startswith("_")]:
        if hasattr(target, name):
            assert getattr(module, name) is getattr(target, name), name
    # Every name a later source declares resolves to that source's object.
    for source, declared in sources[1:]:
        if not _available(source):
            continue
        found = importlib.import_module(source)
        for name in declared:
            if name not in vars(module):  # else an earlier source won
                assert getattr(module, name) is getattr(found, name), name


def test_keras_names_are_lamina_objects(keras):
    from keras.layers import Dense
    from keras.models import Model, Sequential
    assert Dense is lamina.layers.Dense
    assert (Model, Sequential) == (lamina.Model, lamina.Sequential)
    assert keras.Input is lamina.Input and keras.Layer is lamina.Layer
    assert keras.__version__ == archive.KERAS_VERSION == keras.version()
    assert keras.layers.Dense is Dense  # submodule by attribute
    assert "layers" in dir(keras) and "Dense" in dir(keras.layers)


def test_values_are_read_live_from_lamina(keras, monkeypatch):
    monkeypatch.setattr(lamina.utils, "test_setting", 1, raising=False)
    assert keras.utils.test_setting == 1
    monkeypatch.setattr(lamina.utils, "test_setting", 2)
    assert keras.utils.test_setting == 2
    assert "test_setting" in keras.utils.__dir__()


def test_keras_1_and_2_submodules(keras):
    from keras.engine.topology import InputSpec, Layer
    from keras.layers.advanced_activations import LeakyReLU
    from keras.layers.convolutional import Conv2D
    from keras.layers.core import Dense
    from keras.layers.recurrent import LSTM
    from keras.utils import np_utils
    from keras.utils.generic_utils import CustomObjectScope, Progbar
    from keras.utils.layer_utils import count_params
    assert (Layer, InputSpec) == (lamina.layers.Layer,
                                  lamina.layers.InputSpec)
    assert (LeakyReLU, Conv2D, Dense, LSTM) == (
        lamina.layers.LeakyReLU, lamina.layers.Conv2D, lamina.layers.Dense,
        lamina.layers.LSTM)
    assert np_utils is sys.modules["keras.utils.np_utils"]
    assert np_utils.to_categorical is lamina.utils.to_categorical
    assert Progbar is lamina.utils.Progbar
    assert CustomObjectScope is lamina.saving.custom_object_scope
    assert count_params is lamina.utils.summary.count_params


def test_merge_is_the_function_and_the_module(keras, monkeypatch):
    from lamina.legacy import arguments
    monkeypatch.setattr(arguments, "_warned", set())  # warn afresh
    from keras.layers import Input, merge
    a, b = Input(shape=(3,)), Input(shape=(5,))
    expected = lamina.layers.Concatenate()([a, b]).shape
    with pytest.warns(DeprecationWarning):
        assert merge([a, b], mode="concat").shape == expected == (None, 8)
    # Keras 2's module: importing it replaces the attribute on keras.layers.
    import keras.layers.merge
    from keras.layers.merge import Concatenate
    assert Concatenate is lamina.layers.Concatenate
    from keras.layers import merge as again
    assert again is sys.modules["keras.layers.merge"]
    assert again([a, b], mode="concat").shape == expected
    with pytest.raises(TypeError, match="not callable"):
        keras.layers.core()


def test_star_import(keras):
    names = {}
    exec("from keras.layers import *", names)  # noqa: S102
    assert names["Dense"] is lamina.layers.Dense
    assert "core" not in names  # submodules are not names of the layers


def test_unknown_keras_module_and_name(keras):
    with pytest.raises(ModuleNotFoundError, match="no equivalent.*"
                       "keras.applications"):
        import keras.applications
    with pytest.raises(AttributeError, match="lamina.layers has no"):
        keras.layers.NoSuchLayer  # noqa: B018
    assert not hasattr(keras.layers, "NoSuchLayer")
    with pytest.raises(ImportError, match="NoSuchLayer"):
        from keras.layers import NoSuchLayer  # noqa: F401


def test_missing_lamina_module_names_both(keras, monkeypatch):
    monkeypatch.setitem(keras_paths.MODULES, "keras.fake_missing",
                        ("lamina.not_written_yet",))
    with pytest.raises(ModuleNotFoundError) as info:
        importlib.import_module("keras.fake_missing")
    assert "keras.fake_missing" in str(info.value)
    assert "lamina.not_written_yet" in str(info.value)
    # A later source that is missing fails only for its own names.
    monkeypatch.setitem(keras_paths.MODULES, "keras.fake_partial",
                        ("lamina.utils", ("lamina.not_written", "thing")))
    partial = importlib.import_module("keras.fake_partial")
    assert partial.to_categorical is lamina.utils.to_categorical
    with pytest.raises(ImportError, match="keras.fake_partial.thing.*"
                       "lamina.not_written"):
        partial.thing  # noqa: B018
    assert "thing" not in partial.__all__


def test_alias_wins_over_an_installed_keras(tmp_path, monkeypatch):
    package = tmp_path / "keras"
    package.mkdir()
    (package / "__init__.py").write_text("REAL = True\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    aliases.unalias_keras()
    monkeypatch.delitem(sys.modules, "keras", raising=False)
    import keras as real
    assert real.REAL
    try:
        aliased = aliases.alias_keras()
        assert aliases.alias_keras() is aliased  # idempotent
        assert sys.meta_path.count(aliases._state["finder"]) == 1
        import keras
        assert keras is aliased and keras.Model is lamina.Model
        assert not hasattr(keras, "REAL")
    finally:
        aliases.unalias_keras()
    assert sys.modules["keras"] is real
    del sys.modules["keras"]


def test_unalias_restores(keras):
    import keras.layers.core
    finder = aliases._state["finder"]
    aliases.unalias_keras()
    assert finder not in sys.meta_path and not aliases.is_aliased()
    assert not [name for name, module in sys.modules.items()
                if isinstance(module, aliases._AliasModule)]
    aliases.unalias_keras()  # idempotent
    if importlib.machinery.PathFinder.find_spec("keras") is None:
        with pytest.raises(ModuleNotFoundError):
            import keras  # noqa: F401


def test_tensorflow_keras_without_tensorflow(keras):
    if not aliases._state["finder"].tensorflow:
        pytest.skip("a real TensorFlow is installed")
    import tensorflow as tf
    import tensorflow.keras.layers as tf_layers
    from tensorflow import keras as tf_keras
    from tensorflow.keras.models import Sequential
    assert tf_keras is keras and tf.keras is keras
    assert tf_layers is keras.layers and Sequential is lamina.Sequential
    with pytest.raises(AttributeError, match="only for tensorflow.keras"):
        tf.constant  # noqa: B018
    with pytest.raises(AttributeError, match="set_random_seed"):
        tf.random  # noqa: B018
    with pytest.raises(ModuleNotFoundError, match="only for tensorflow"):
        import tensorflow.compat  # noqa: F401


def test_real_tensorflow_is_left_alone(tmp_path, monkeypatch):
    package = tmp_path / "tensorflow"
    package.mkdir()
    (package / "__init__.py").write_text("REAL = True\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    aliases.unalias_keras()
    try:
        aliases.alias_keras()
        import tensorflow
        assert tensorflow.REAL
    finally:
        aliases.unalias_keras()
        sys.modules.pop("tensorflow", None)


def test_keras_backend_choice(monkeypatch, capsys):
    monkeypatch.setattr(aliases, "_noted", set())
    assert aliases.keras_backend_choice({"KERAS_BACKEND": "jax"}) == "jax"
    assert aliases.keras_backend_choice({"KERAS_BACKEND": "Torch"}) == \
        "torch"
    assert aliases.keras_backend_choice(
        {"KERAS_BACKEND": "jax", "LAMINA_BACKEND": "torch"}) is None
    assert aliases.keras_backend_choice({}) is None
    assert capsys.readouterr().err == ""
    assert aliases.keras_backend_choice(
        {"KERAS_BACKEND": "tensorflow"}) is None
    err = capsys.readouterr().err
    assert "KERAS_BACKEND='tensorflow' ignored" in err
    assert err.count("\n") == 1


def test_custom_objects_registry(keras):
    from keras.utils import get_custom_objects

    def my_activation(x):
        return x

    monkey = get_custom_objects()
    monkey["my_test_activation"] = my_activation
    try:
        assert lamina.activations.get("my_test_activation") is my_activation
    finally:
        del monkey["my_test_activation"]


def test_model_from_config_and_yaml(keras):
    from keras.models import model_from_config, model_from_yaml
    a = lamina.Input(shape=(3,))
    model = lamina.Model(a, lamina.layers.Dense(2)(a))
    clone = model_from_config(lamina.saving.serialize(model))
    clone.set_weights(model.get_weights())
    x = np.random.default_rng(0).normal(size=(4, 3)).astype("float32")
    np.testing.assert_allclose(clone.predict(x, verbose=0),
                               model.predict(x, verbose=0), rtol=1e-6)
    with pytest.raises(RuntimeError, match="Keras 2.6.*to_json"):
        model_from_yaml("{}")


def _two_input_model():
    a = lamina.Input(shape=(3,), name="a")
    b = lamina.Input(shape=(5,), name="b")
    z = lamina.layers.Concatenate(name="join")([a, b])
    out = lamina.layers.Dense(2, name="out")(z)
    return lamina.Model([a, b], out), a, b, z


def test_get_source_inputs(keras):
    from keras.engine.topology import get_source_inputs
    model, a, b, _ = _two_input_model()
    assert get_source_inputs(model.outputs[0]) == [a, b]
    assert get_source_inputs(a) == [a]
    with pytest.raises(ValueError, match="symbolic tensor"):
        get_source_inputs(np.zeros(3))


def test_plot_model_writes_the_graph(keras, tmp_path):
    from keras.utils.vis_utils import plot_model
    model, *_ = _two_input_model()
    path = tmp_path / "model.dot"
    plot_model(model, to_file=str(path), show_shapes=True)
    text = path.read_text()
    for label in ("a (InputLayer)", "b (InputLayer)", "join (Concatenate)",
                  "out (Dense)", "output: (None, 8)",
                  "input: [(None, 3), (None, 5)]"):
        assert label in text
    # Edges: a -> join, b -> join, join -> out.
    assert text.count("->") == 3
    seq = lamina.Sequential([lamina.Input((4,)), lamina.layers.Dense(3),
                             lamina.layers.Dense(1)])
    plot_model(seq, to_file=str(path))
    assert path.read_text().count("->") == 2
    with pytest.raises(ValueError, match="rankdir"):
        plot_model(model, to_file=str(path), rankdir="XY")
    if keras_extras.shutil.which("dot") is None:
        with pytest.raises(ImportError, match="Graphviz"):
            plot_model(model, to_file=str(tmp_path / "model.png"))


def test_keras_backend_set_too_late_is_noted(monkeypatch, capsys):
    from lamina import backend
    other = "numpy" if backend.backend() != "numpy" else "torch"
    monkeypatch.setattr(aliases, "_noted", set())
    monkeypatch.delenv("LAMINA_BACKEND", raising=False)
    monkeypatch.setenv("KERAS_BACKEND", other)
    aliases.unalias_keras()
    aliases.install()
    assert capsys.readouterr().err == ""  # nothing until `import keras`
    try:
        import keras  # noqa: F401
    finally:
        aliases.unalias_keras()
    err = capsys.readouterr().err
    assert f"KERAS_BACKEND='{other}' came after lamina started" in err
