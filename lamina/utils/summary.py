"""`print_summary`: the table that `model.summary()` prints.

One row per layer: its name and type, output shape, parameter count and,
for functional models that are more than a straight chain, the tensors it
is connected to (`input_layer[0][0]`: layer name, node index, tensor
index). Then the totals, with the weights' size in memory:

    Model: "sequential"
    _________________________________________________________________
    Layer (type)                 Output Shape                Param #
    =================================================================
    dense (Dense)                (None, 64)                  320
    _________________________________________________________________
    dense_1 (Dense)              (None, 10)                  650
    =================================================================
    Total params: 970 (3.79 KB)
    Trainable params: 970 (3.79 KB)
    Non-trainable params: 0 (0.00 B)
    _________________________________________________________________
"""

import math
import re

_UNBUILT_NOTE = ("This model has not yet been built, so its output shapes "
                 "and weights are unknown. Build it by calling "
                 "`build(input_shape)`, by calling it on a batch of data, "
                 "or by giving its first layer an `input_shape`.")


# -- counting --------------------------------------------------------------

def _unique(weights):
    out, seen = [], set()
    for v in weights:
        if id(v) not in seen:
            seen.add(id(v))
            out.append(v)
    return out


def count_params(weights):
    """The number of scalars in `weights` (each variable counted once)."""
    return int(sum(math.prod(v.shape) for v in _unique(weights)))


def _dtype_bytes(dtype):
    name = str(getattr(dtype, "name", dtype))
    found = re.search(r"(\d+)$", name)
    return int(found.group(1)) // 8 if found else 1


def weight_memory_size(weights):
    """The bytes that `weights` (each variable counted once) occupy."""
    return int(sum(math.prod(v.shape) * _dtype_bytes(v.dtype)
                   for v in _unique(weights)))


def readable_memory_size(size):
    """`size` bytes as text in B, KB, MB, ... (1 KB = 1024 B)."""
    units = ["B", "KB", "MB", "GB", "TB", "PB"]
    value, unit = float(size), 0
    while value >= 1024 and unit < len(units) - 1:
        value /= 1024
        unit += 1
    return f"{value:.2f} {units[unit]}"


# -- the graph ---------------------------------------------------------------

def _graph_nodes(model):
    """The nodes of `model`'s own graph, or None (subclassed, unbuilt)."""
    functional = getattr(model, "_functional", None)  # Sequential
    if functional is not None:
        return functional._nodes
    nodes = getattr(model, "_nodes", None)
    return nodes if isinstance(nodes, list) else None


def _is_input_layer(layer):
    from lamina.layers.core.input_layer import InputLayer
    return isinstance(layer, InputLayer)


def _is_model(layer):
    from lamina.models.model import Model
    return isinstance(layer, Model)


def _is_sequential_like(model, nodes):
    """True unless the graph branches, merges or reuses a layer."""
    from lamina.models.sequential import Sequential
    if nodes is None or isinstance(model, Sequential):
        return True
    if len(model.inputs) != 1 or len(model.outputs) != 1:
        return False
    layers, tensors = set(), set()
    for node in nodes:
        if len(node.input_tensors) != 1:
            return False
        tensor = node.input_tensors[0]
        if id(node.layer) in layers or id(tensor) in tensors:
            return False
        layers.add(id(node.layer))
        tensors.add(id(tensor))
    return True


def _format_shapes(shapes):
    if len(shapes) == 1:
        return str(tuple(shapes[0]))
    return "[" + ", ".join(str(tuple(s)) for s in shapes) + "]"


def _output_shape(layer, nodes):
    if _is_input_layer(layer):
        return str(tuple(layer.output.shape))
    if nodes is None:
        return "?"
    found = {_format_shapes([t.shape for t in node.outputs])
             for node in nodes if node.layer is layer}
    if not found:
        return "?"
    return found.pop() if len(found) == 1 else "multiple"


def _connections(layer, nodes):
    if nodes is None:
        return "-"
    names = []
    for node in nodes:
        if node.layer is not layer:
            continue
        for tensor in node.input_tensors:
            source, node_index, tensor_index = tensor._history
            names.append(f"{source.name}[{node_index}][{tensor_index}]")
    return "\n".join(names) if names else "-"


def _param_count(layer):
    if not layer.built:
        return "0 (unbuilt)"
    return f"{count_params(layer.weights):,}"


def _rows(model, connected, trainable, expand_nested, depth=0):
    """The cells of each row: a list of strings per layer."""
    nodes = _graph_nodes(model)
    rows = []
    for layer in model.layers:
        name = "| " * depth + f"{layer.name} ({type(layer).__name__})"
        row = [name, _output_shape(layer, nodes), _param_count(layer)]
        if connected:
            row.append(_connections(layer, nodes))
        if trainable:
            row.append("Y" if layer.trainable else "N")
        rows.append(row)
        if expand_nested and _is_model(layer):
            rows.extend(_rows(layer, connected, trainable, True, depth + 1))
    return rows


# -- layout ------------------------------------------------------------------

def _wrap(text, width):
    """`text` in lines of at most `width`, broken at spaces if possible."""
    lines = []
    for line in str(text).split("\n"):
        while len(line) > width:
            cut = line.rfind(" ", 0, width + 1)
            cut = cut if cut > 0 else width
            lines.append(line[:cut].rstrip())
            line = line[cut:].lstrip()
        lines.append(line)
    return lines


def _format_row(cells, positions):
    """The text lines of one row; long cells wrap inside their column."""
    columns, start = [], 0
    for cell, end in zip(cells, positions):
        width = max(end - start - 1, 1)
        columns.append((_wrap(cell, width), end - start))
        start = end
    height = max(len(lines) for lines, _ in columns)
    out = []
    for i in range(height):
        text = "".join((lines[i] if i < len(lines) else "").ljust(span)
                       for lines, span in columns)
        out.append(text.rstrip())
    return out


def _layout(line_length, positions, sequential_like, show_trainable,
            num_columns):
    if line_length is None:
        line_length = 65 if sequential_like else 98
    if isinstance(line_length, bool) or not isinstance(line_length, int) \
            or line_length < num_columns:
        raise ValueError(f"print_summary: `line_length` must be an integer "
                         f"of at least {num_columns}; got {line_length!r}.")
    if positions is None:
        positions = [0.45, 0.85, 1.0] if sequential_like \
            else [0.33, 0.55, 0.67, 1.0]
    positions = list(positions)
    expected = num_columns - int(show_trainable)
    if len(positions) != expected:
        raise ValueError(f"print_summary: `positions` needs {expected} "
                         f"column end positions for this model; got "
                         f"{positions}.")
    if all(p <= 1 for p in positions):
        positions = [int(line_length * p) for p in positions]
    positions = [int(p) for p in positions]
    if any(b <= a for a, b in zip([0] + positions, positions)):
        raise ValueError(f"print_summary: `positions` must increase; got "
                         f"{positions}.")
    if show_trainable:
        line_length += 11
        positions.append(line_length)
    return line_length, positions


def print_summary(model, line_length=None, positions=None, print_fn=None,
                  expand_nested=False, show_trainable=False):
    """Prints a summary table of `model`.

    Args:
        model: a `Model` (functional, `Sequential` or subclassed).
        line_length: total width of the table in characters (default 65,
            or 98 when the "Connected to" column is shown).
        positions: where each column ends, as fractions of `line_length`
            (all <= 1) or as character positions.
        print_fn: called with each line of text; `print` by default.
        expand_nested: also list the layers inside nested models, under the
            model's row, prefixed with `| `.
        show_trainable: add a "Trainable" column (Y/N per layer).

    Example:

    >>> import lamina
    >>> a = lamina.Input(shape=(4,), name="in")
    >>> model = lamina.Model(a, lamina.layers.Dense(2, name="out")(a),
    ...                      name="tiny")
    >>> print_summary(model)  # doctest: +NORMALIZE_WHITESPACE
    Model: "tiny"
    _________________________________________________________________
    Layer (type)                 Output Shape                Param #
    =================================================================
    in (InputLayer)              (None, 4)                   0
    _________________________________________________________________
    out (Dense)                  (None, 2)                   10
    =================================================================
    Total params: 10 (40.00 B)
    Trainable params: 10 (40.00 B)
    Non-trainable params: 0 (0.00 B)
    _________________________________________________________________
    """
    print_fn = print if print_fn is None else print_fn
    if not callable(print_fn):
        raise TypeError(f"print_summary: `print_fn` must be callable; got "
                        f"{print_fn!r}.")
    sequential_like = _is_sequential_like(model, _graph_nodes(model))
    header = ["Layer (type)", "Output Shape", "Param #"]
    if not sequential_like:
        header.append("Connected to")
    if show_trainable:
        header.append("Trainable")
    line_length, positions = _layout(line_length, positions,
                                     sequential_like, show_trainable,
                                     len(header))
    rows = _rows(model, not sequential_like, show_trainable, expand_nested)

    lines = [f'Model: "{model.name}"', "_" * line_length]
    lines += _format_row(header, positions)
    lines.append("=" * line_length)
    for i, row in enumerate(rows):
        if i:
            lines.append("_" * line_length)
        lines += _format_row(row, positions)
    lines.append("=" * line_length)
    trainable = model.trainable_weights
    non_trainable = model.non_trainable_weights
    for label, weights in (("Total", trainable + non_trainable),
                           ("Trainable", trainable),
                           ("Non-trainable", non_trainable)):
        size = readable_memory_size(weight_memory_size(weights))
        lines.append(f"{label} params: {count_params(weights):,} ({size})")
    if not model.built:
        lines += _wrap(_UNBUILT_NOTE, line_length)
    lines.append("_" * line_length)
    for line in lines:
        print_fn(line)


__all__ = ["count_params", "print_summary", "readable_memory_size",
           "weight_memory_size"]
