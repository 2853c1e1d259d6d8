"""`python -m lamina run SCRIPT.py [args...]`: a Keras program runs as if
run directly, with `keras` resolved to lamina."""

import json
import os
import subprocess
import sys
import textwrap

import pytest

from lamina import __main__ as cli
from lamina.legacy import aliases
from lamina.ops._bind import B

TRAIN_SCRIPT = """\
import json
import sys

import numpy as np

import keras
from keras.models import Sequential
from keras.layers import Dense

import helper_next_to_script

x = np.random.default_rng(0).normal(size=(32, 4)).astype("float32")
y = (x.sum(axis=1) > 0).astype("float32")
model = Sequential([Dense(8, activation="relu", input_shape=(4,)),
                    Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy",
              metrics=["accuracy"])
epochs, shape = [], None
if "--train" in sys.argv:
    history = model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    epochs = history.history["loss"]
else:  # an inference-only backend
    shape = list(model.predict(x, verbose=0).shape)
if __name__ == "__main__":
    print("RESULT " + json.dumps({
        "argv": sys.argv, "epochs": len(epochs),
        "shape": shape,
        "sequential": Sequential.__module__,
        "helper": helper_next_to_script.VALUE}))
    sys.exit(3)
"""

FAILING_SCRIPT = """\
import keras


def fail():
    raise ValueError("script failed on purpose")


fail()
"""


@pytest.fixture
def cli_state(monkeypatch):
    """Keeps an in-process `run` from changing the test process."""
    monkeypatch.setattr(sys, "argv", list(sys.argv))
    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.delenv("KERAS_BACKEND", raising=False)
    yield
    aliases.unalias_keras()


def test_runs_a_keras_script_with_its_argv_and_exit_code(tmp_path):
    (tmp_path / "train.py").write_text(TRAIN_SCRIPT)
    (tmp_path / "helper_next_to_script.py").write_text("VALUE = 7\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    args = ["--epochs", "3", "last"]
    if B.supports_training:
        args.append("--train")
    # Keras 3 users set KERAS_BACKEND; 'tensorflow' is noted and ignored.
    env = dict(os.environ, KERAS_BACKEND="tensorflow")
    out = subprocess.run(
        [sys.executable, "-m", "lamina", "run", str(tmp_path / "train.py"),
         *args], check=False, cwd=elsewhere, env=env, capture_output=True, text=True,
        timeout=300)
    assert out.returncode == 3, out.stderr
    line = next(l for l in out.stdout.splitlines() if l.startswith("RESULT"))
    result = json.loads(line[len("RESULT "):])
    assert result["argv"] == [str(tmp_path / "train.py"), *args]
    if B.supports_training:
        assert result["epochs"] == 1 and result["shape"] is None
    else:
        assert result["epochs"] == 0 and result["shape"] == [32, 1]
    assert result["sequential"].startswith("lamina.")
    assert result["helper"] == 7  # sys.path[0] is the script's folder
    assert "KERAS_BACKEND='tensorflow' ignored" in out.stderr


def test_exception_gives_exit_1_and_the_scripts_traceback(
        tmp_path, cli_state, capsys):
    script = tmp_path / "failing.py"
    script.write_text(FAILING_SCRIPT)
    assert cli.main(["run", str(script)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last):")
    assert f'File "{script}", line 8, in <module>' in err
    assert f'File "{script}", line 5, in fail' in err
    assert "ValueError: script failed on purpose" in err
    # Only the script's frames, as when it is run directly.
    assert "runpy" not in err and "__main__.py" not in err


def test_system_exit_passes_through(tmp_path, cli_state):
    script = tmp_path / "exits.py"
    script.write_text("import sys\nimport keras\nsys.exit(5)\n")
    with pytest.raises(SystemExit) as info:
        cli.main(["run", str(script)])
    assert info.value.code == 5


def test_run_module(tmp_path, cli_state, capsys, monkeypatch):
    (tmp_path / "keras_program_module.py").write_text(textwrap.dedent("""\
        import sys
        from keras.layers import Dense
        print(sys.argv[1:], Dense.__module__)
        """))
    monkeypatch.chdir(tmp_path)
    monkeypatch.delitem(sys.modules, "keras_program_module", raising=False)
    assert cli.main(["run", "-m", "keras_program_module", "a", "b"]) == 0
    assert capsys.readouterr().out.strip() == \
        "['a', 'b'] lamina.layers.core.dense"


def test_usage_errors(tmp_path, cli_state, capsys):
    assert cli.main(["run"]) == 2
    assert "usage: python -m lamina run SCRIPT.py" in capsys.readouterr().err
    assert cli.main(["run", "-m"]) == 2
    capsys.readouterr()
    assert cli.main(["run", str(tmp_path / "missing.py")]) == 2
    assert "can't open file" in capsys.readouterr().err
    assert not aliases.is_aliased()


@pytest.mark.skipif(os.name == "nt", reason="restarts with a subprocess")
def test_keras_backend_restarts_on_that_backend(cli_state, monkeypatch):
    from lamina import backend
    other = "numpy" if backend.backend() != "numpy" else "torch"
    monkeypatch.delenv("LAMINA_BACKEND", raising=False)
    monkeypatch.setenv("KERAS_BACKEND", other)
    calls = []

    class Restarted(Exception):
        pass

    def fake_execve(path, command, env):
        calls.append((path, command, env))
        raise Restarted

    monkeypatch.setattr(cli.os, "execve", fake_execve)
    with pytest.raises(Restarted):
        cli.main(["run", "train.py", "--epochs", "3"])
    path, command, env = calls[0]
    assert path == sys.executable and command[0] == sys.executable
    assert command[-6:] == ["-m", "lamina", "run", "train.py", "--epochs",
                            "3"]
    assert env["LAMINA_BACKEND"] == other
    # Already on the backend KERAS_BACKEND names: no restart.
    monkeypatch.setenv("KERAS_BACKEND", backend.backend())
    assert cli.main(["run", "missing_script.py"]) == 2
    assert len(calls) == 1
