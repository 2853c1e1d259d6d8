import json
import os
import subprocess
import sys

import pytest

from lamina import config


def run(code, home, **env):
    environ = dict(os.environ, LAMINA_HOME=str(home), **env)
    environ.pop("LAMINA_BACKEND", None) if "LAMINA_BACKEND" not in env \
        else None
    return subprocess.run([sys.executable, "-c", code], env=environ,
                          capture_output=True, text=True, timeout=120)


def test_first_import_writes_defaults(tmp_path):
    out = run("import lamina; print(lamina.backend.floatx())", tmp_path)
    assert out.returncode == 0, out.stderr
    written = json.load(open(tmp_path / "lamina.json"))
    assert written == {"backend": "torch", "floatx": "float32",
                       "epsilon": 1e-07,
                       "image_data_format": "channels_last"}


@pytest.mark.parametrize("ordering,expected", [("th", "channels_first"),
                                               ("tf", "channels_last")])
def test_tutorial_image_dim_ordering(tmp_path, monkeypatch, ordering,
                                     expected):
    (tmp_path / "lamina.json").write_text(json.dumps(
        {"image_dim_ordering": ordering, "epsilon": 1e-07,
         "floatx": "float32", "backend": "torch"}))
    monkeypatch.setenv("LAMINA_HOME", str(tmp_path))
    monkeypatch.delenv("LAMINA_BACKEND", raising=False)
    assert config.load()["image_data_format"] == expected


def test_env_overrides_backend_and_device(tmp_path, monkeypatch):
    monkeypatch.setenv("LAMINA_HOME", str(tmp_path))
    monkeypatch.setenv("LAMINA_BACKEND", "numpy")
    monkeypatch.setenv("LAMINA_DEVICE", "cpu")
    cfg = config.load()
    assert cfg["backend"] == "numpy" and cfg["device"] == "cpu"


@pytest.mark.parametrize("content,key", [
    ({"backend": "theano"}, "backend"),
    ({"floatx": "float8"}, "floatx"),
    ({"epsilon": -1}, "epsilon"),
    ({"image_data_format": "nhwc"}, "image_data_format"),
    ({"image_dim_ordering": "xx"}, "image_dim_ordering"),
])
def test_bad_values_name_file_and_key(tmp_path, monkeypatch, content, key):
    (tmp_path / "lamina.json").write_text(json.dumps(content))
    monkeypatch.setenv("LAMINA_HOME", str(tmp_path))
    monkeypatch.delenv("LAMINA_BACKEND", raising=False)
    with pytest.raises(config.ConfigError) as err:
        config.load()
    assert "lamina.json" in str(err.value) and key in str(err.value)


def test_broken_json_stops_import_with_one_message(tmp_path):
    (tmp_path / "lamina.json").write_text("{not json")
    out = run("import lamina", tmp_path)
    assert out.returncode != 0
    assert "lamina.json" in out.stderr and "Traceback" not in out.stderr


def test_unknown_backend_from_env(tmp_path):
    out = run("import lamina", tmp_path, LAMINA_BACKEND="theano")
    assert out.returncode != 0 and "LAMINA_BACKEND" in out.stderr


def test_setters_validate():
    from lamina import backend
    old = backend.epsilon()
    backend.set_epsilon(1e-5)
    assert backend.epsilon() == 1e-5
    backend.set_epsilon(old)
    with pytest.raises(ValueError, match="channels"):
        backend.set_image_data_format("nhwc")
    with pytest.raises(ValueError, match="float"):
        backend.set_floatx("float8")
    backend.set_image_data_format("channels_first")
    assert backend.image_data_format() == "channels_first"
    backend.set_image_data_format("channels_last")
