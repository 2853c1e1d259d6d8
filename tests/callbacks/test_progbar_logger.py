"""Tests for `ProgbarLogger` (lamina/callbacks/progbar_logger.py): what
`fit` prints when output is not a terminal."""

import re

import pytest
from callback_helpers import make_model

_LINE = re.compile(r"^4/4 \[=+\] - \d+s \d+[um]?s/step - loss: \S+ - "
                   r"mean_absolute_error: \S+$")


@pytest.mark.parametrize("verbose", [1, 2, "auto"])
def test_one_line_per_epoch(data, capsys, verbose):
    model = make_model(metrics=["mean_absolute_error"])
    x, y = data
    model.fit(x, y, epochs=3, batch_size=8, verbose=verbose)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0::2] == ["Epoch 1/3", "Epoch 2/3", "Epoch 3/3"]
    assert len(lines) == 6
    for line in lines[1::2]:
        assert _LINE.match(line), line


def test_validation_values_on_the_epoch_line(data, capsys):
    model = make_model()
    x, y = data
    model.fit(x, y, epochs=1, batch_size=8, verbose=1,
              validation_split=0.25)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Epoch 1/1"
    assert len(lines) == 2
    assert re.match(r"^3/3 .* - loss: \S+ - val_loss: \S+$", lines[1])


def test_silent_with_verbose_0(data, capsys):
    model = make_model()
    x, y = data
    model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    model.evaluate(x, y, verbose=0)
    model.predict(x, verbose=0)
    assert capsys.readouterr().out == ""


def test_evaluate_prints_one_line(data, capsys):
    model = make_model()
    x, y = data
    model.evaluate(x, y, batch_size=8, verbose=1)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    assert re.match(r"^4/4 \[=+\] - .* - loss: \S+$", lines[0])
