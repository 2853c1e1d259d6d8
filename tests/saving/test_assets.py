"""`.keras` assets: files a layer writes with `save_assets`, stored under
`assets/<weights path>/` as Keras 3 stores them, and handed back to
`load_assets`; lookup layers keep a learned vocabulary there."""

import json
import os
import zipfile

import numpy as np
import pytest

import lamina
from lamina import layers


@lamina.saving.register_keras_serializable("AssetTest")
class Notes(layers.Layer):
    """Identity that keeps a text note as an asset."""

    def __init__(self, note="", **kwargs):
        super().__init__(**kwargs)
        self.note = note
        self.loaded_from = None

    def call(self, x):
        return x

    def save_assets(self, dir_path):
        with open(os.path.join(dir_path, "note.txt"), "w") as f:
            f.write(self.note)

    def load_assets(self, dir_path):
        self.loaded_from = sorted(os.listdir(dir_path))
        with open(os.path.join(dir_path, "note.txt")) as f:
            self.note = f.read()


def test_a_layers_assets_go_under_its_weights_path(tmp_path):
    inner = lamina.Sequential([layers.Input((2,)), Notes("inner")],
                              name="inner")
    model = lamina.Sequential([layers.Input((2,)), Notes("outer"), inner,
                               layers.Dense(1)])
    path = str(tmp_path / "notes.keras")
    model.save(path)
    names = zipfile.ZipFile(path).namelist()
    assert "assets/layers/notes/note.txt" in names
    assert "assets/layers/sequential/layers/notes/note.txt" in names
    # The note is not in the config: only the asset brings it back.
    loaded = lamina.saving.load_model(path, custom_objects={"Notes": Notes})
    outer, nested = loaded.layers[0], loaded.layers[1].layers[0]
    assert (outer.note, nested.note) == ("outer", "inner")
    assert outer.loaded_from == ["note.txt"]


def _lookup_model():
    lookup = layers.IntegerLookup(output_mode="one_hot")
    lookup.adapt(np.array([[7], [7], [3], [9], [9], [9]]))
    model = lamina.Sequential([layers.Input((1,), dtype="int64"), lookup,
                               layers.Dense(2)])
    return model, lookup.get_vocabulary()


def test_an_adapted_lookup_keeps_its_vocabulary_as_an_asset(tmp_path):
    model, vocabulary = _lookup_model()
    path = str(tmp_path / "lookup.keras")
    model.save(path)
    with zipfile.ZipFile(path) as archive:
        text = archive.read(
            "assets/layers/integer_lookup/vocabulary.txt").decode()
    assert text.split("\n") == [str(v) for v in vocabulary]
    x = np.array([[9], [3], [5], [7]])
    loaded = lamina.saving.load_model(path)
    assert loaded.layers[0].get_vocabulary() == vocabulary
    np.testing.assert_allclose(loaded.predict(x, verbose=0),
                               model.predict(x, verbose=0), rtol=1e-6)


def _as_keras_writes_it(path, out):
    """The archive with the vocabulary only in the asset: Keras 3's config
    of an adapted lookup has `vocabulary: None`."""
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "config.json":
                config = json.loads(data)
                for layer in config["config"]["layers"]:
                    if layer["class_name"] == "IntegerLookup":
                        layer["config"]["vocabulary"] = None
                        layer["config"].pop("has_input_vocabulary", None)
                data = json.dumps(config)
            dst.writestr(name, data)


def test_a_keras_style_file_takes_the_vocabulary_from_the_asset(tmp_path):
    model, vocabulary = _lookup_model()
    path, keras_path = str(tmp_path / "l.keras"), str(tmp_path / "k.keras")
    model.save(path)
    _as_keras_writes_it(path, keras_path)
    loaded = lamina.saving.load_model(keras_path)
    assert loaded.layers[0].get_vocabulary() == vocabulary
    x = np.array([[9], [3], [5], [7]])
    np.testing.assert_allclose(loaded.predict(x, verbose=0),
                               model.predict(x, verbose=0), rtol=1e-6)


def test_an_asset_path_that_leaves_the_folder_is_refused(tmp_path):
    model, _ = _lookup_model()
    path, bad = str(tmp_path / "l.keras"), str(tmp_path / "bad.keras")
    model.save(path)
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(bad, "w") as dst:
        for name in src.namelist():
            dst.writestr(name, src.read(name))
        dst.writestr("assets/../../escape.txt", b"x")
    with pytest.raises(ValueError, match="leaves the assets folder"):
        lamina.saving.load_model(bad)
    assert not (tmp_path / "escape.txt").exists()
