import re

import numpy as np
import pytest

import lamina
from lamina import layers
from lamina.utils import summary


def lines_of(model, **kwargs):
    lines = []
    summary.print_summary(model, print_fn=lines.append, **kwargs)
    return lines


def totals(lines):
    found = {}
    for line in lines:
        m = re.match(r"(Total|Trainable|Non-trainable) params: ([\d,]+) "
                     r"\((.+)\)$", line)
        if m:
            found[m.group(1)] = (int(m.group(2).replace(",", "")),
                                 m.group(3))
    return found


def row(lines, layer):
    head = f"{layer.name} ({type(layer).__name__})"
    matches = [i for i, line in enumerate(lines) if line.lstrip(
        "| ").startswith(head + " ")]
    assert len(matches) == 1, (head, lines)
    return matches[0]


def test_sequential():
    model = lamina.Sequential([layers.Dense(64, input_shape=(4,)),
                               layers.Dense(10, trainable=False)],
                              name="seq")
    lines = lines_of(model)
    assert lines[0] == 'Model: "seq"'
    assert "Connected to" not in lines[2]
    assert all(len(line) <= 65 for line in lines)
    for layer, shape, params in zip(model.layers, ["(None, 64)",
                                                   "(None, 10)"],
                                    [320, 650]):
        text = lines[row(lines, layer)]
        assert shape in text
        assert f"{params:,}" in text.split(shape)[1]
    assert not any("InputLayer" in line for line in lines)
    found = totals(lines)
    assert found["Total"] == (model.count_params(), "3.79 KB")
    assert found["Trainable"][0] == 320
    assert found["Non-trainable"][0] == 650


def test_two_input_functional_has_connections():
    a = lamina.Input(shape=(8,), name="in_a")
    b = lamina.Input(shape=(4,), name="in_b")
    x = layers.Dense(16, name="dense_a")(a)
    y = layers.Dense(16, name="dense_b")(b)
    z = layers.Concatenate(name="joined")([x, y])
    model = lamina.Model([a, b], layers.Dense(1, name="head")(z),
                         name="two")
    lines = lines_of(model)
    assert "Connected to" in lines[2]
    assert len(model.layers) == 6
    for layer in model.layers:
        row(lines, layer)
    assert lines[row(lines, model.get_layer("in_a"))].endswith("-")
    assert lines[row(lines, model.get_layer("dense_a"))].endswith(
        "in_a[0][0]")
    joined = row(lines, model.get_layer("joined"))
    assert "(None, 32)" in lines[joined]
    assert lines[joined].endswith("dense_a[0][0]")
    assert lines[joined + 1].strip() == "dense_b[0][0]"
    assert totals(lines)["Total"][0] == model.count_params() == 257


def test_straight_chain_functional_has_no_connections():
    a = lamina.Input(shape=(3,))
    model = lamina.Model(a, layers.Dense(2)(layers.Dense(4)(a)))
    lines = lines_of(model)
    assert "Connected to" not in lines[2]
    for layer in model.layers:
        row(lines, layer)


def test_shared_layer_lists_every_call():
    a = lamina.Input(shape=(4,), name="sa")
    b = lamina.Input(shape=(4,), name="sb")
    shared = layers.Dense(2, name="shared")
    model = lamina.Model([a, b], layers.Concatenate()([shared(a),
                                                       shared(b)]))
    lines = lines_of(model)
    i = row(lines, shared)
    assert lines[i].endswith("sa[0][0]") and "sb[0][0]" in lines[i + 1]
    assert "shared[1][0]" in "\n".join(lines)
    assert totals(lines)["Total"][0] == model.count_params() == 10


def test_nested_model_is_one_row_or_expanded():
    inner = lamina.Sequential([layers.Dense(8, input_shape=(4,)),
                               layers.Dense(3)], name="inner")
    x = lamina.Input(shape=(4,))
    frozen = layers.Dense(5, trainable=False, name="frozen")
    model = lamina.Model(x, layers.Dense(2)(frozen(inner(x))),
                         name="outer")
    lines = lines_of(model)
    assert "(None, 3)" in lines[row(lines, inner)]
    assert f"{inner.count_params():,}" in lines[row(lines, inner)]
    for layer in model.layers:
        row(lines, layer)
    assert not any(inner.layers[0].name + " (" in line for line in lines)
    found = totals(lines)
    assert found["Total"][0] == model.count_params()
    assert found["Non-trainable"][0] == frozen.count_params() == 20
    expanded = lines_of(model, expand_nested=True)
    for layer in inner.layers:
        assert expanded[row(expanded, layer)].startswith("| ")
    assert totals(expanded) == found


def test_show_trainable_line_length_and_positions():
    model = lamina.Sequential([layers.Dense(2, input_shape=(3,)),
                               layers.Dense(1, trainable=False)])
    lines = lines_of(model, show_trainable=True, line_length=80)
    assert "Trainable" in lines[2]
    assert lines[row(lines, model.layers[0])].endswith("Y")
    assert lines[row(lines, model.layers[1])].endswith("N")
    assert len(lines[1]) == 91
    lines = lines_of(model, positions=[20, 40, 50])
    assert lines[2].index("Output Shape") == 20
    with pytest.raises(ValueError, match="positions"):
        lines_of(model, positions=[0.5, 1.0])
    with pytest.raises(ValueError, match="line_length"):
        lines_of(model, line_length="wide")


def test_unbuilt_models_say_so():
    model = lamina.Sequential([layers.Dense(3)], name="later")
    lines = lines_of(model)
    text = "\n".join(lines)
    assert "not yet been built" in text
    assert "?" in lines[row(lines, model.layers[0])]
    assert "(unbuilt)" in text
    assert totals(lines)["Total"] == (0, "0.00 B")

    class Sub(lamina.Model):
        def __init__(self):
            super().__init__(name="sub")
            self.dense = layers.Dense(3)

        def call(self, inputs):
            return self.dense(inputs)

    sub = Sub()
    assert "not yet been built" in "\n".join(lines_of(sub))
    sub(np.ones((2, 5), "float32"))
    lines = lines_of(sub)
    assert "not yet been built" not in "\n".join(lines)
    assert totals(lines)["Total"][0] == sub.count_params() == 18


def test_model_summary_prints(capsys):
    model = lamina.Sequential([layers.Dense(2, input_shape=(3,))],
                              name="printed")
    model.summary()
    out = capsys.readouterr().out
    assert 'Model: "printed"' in out and "Total params: 8 " in out


def test_memory_size_helpers():
    assert summary.readable_memory_size(0) == "0.00 B"
    assert summary.readable_memory_size(1536) == "1.50 KB"
    assert summary.readable_memory_size(3 * 1024**3) == "3.00 GB"
    layer = layers.Dense(4, dtype="float64")
    layer.build((None, 2))
    assert summary.count_params(layer.weights * 2) == 12
    assert summary.weight_memory_size(layer.weights) == 12 * 8
