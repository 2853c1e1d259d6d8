"""`Functional`: a model defined by a graph of layers on symbolic tensors.

`Model(inputs, outputs)` walks the graph from `outputs` back to `inputs`
once, orders the nodes, and compiles them into a flat plan of slots: each
call then runs the plan with one list lookup per tensor (no graph walk on
the hot path).
"""

from lamina.backend.common import scope as scope_lib
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.layers.core.input_layer import InputLayer
from lamina.layers.input_spec import InputSpec, assert_input_compatibility
from lamina.layers.layer import Layer
from lamina.layers.node import flatten, sorted_keys
from lamina.mixed_precision import autocast
from lamina.models import graph_values
from lamina.models.model import Model, _functional_args
from lamina.ops._bind import B


class _Slot:
    __slots__ = ("index",)

    def __init__(self, index):
        self.index = index


def _template(structure, slots):
    """`structure` with symbolic tensors replaced by their `_Slot`."""
    if isinstance(structure, SymbolicTensor):
        return _Slot(slots[id(structure)])
    if isinstance(structure, (list, tuple)):
        return type(structure)(_template(v, slots) for v in structure)
    if isinstance(structure, dict):  # keys sorted, as Keras returns them
        return {k: _template(structure[k], slots)
                for k in sorted_keys(structure)}
    return structure


def _fill(template, values):
    if type(template) is _Slot:
        return values[template.index]
    if isinstance(template, (list, tuple)):
        return type(template)(_fill(v, values) for v in template)
    if isinstance(template, dict):
        return {k: _fill(v, values) for k, v in template.items()}
    return template


def _fill_masks(template, masks):
    """Like `_fill` over the masks; non-tensor arguments have no mask."""
    if type(template) is _Slot:
        return masks[template.index]
    if isinstance(template, (list, tuple)):
        return [_fill_masks(v, masks) for v in template]
    return None


def _describe(tensor):
    layer = tensor._history[0] if tensor._history else None
    return f"{tensor} (from layer '{layer.name}')" if layer else str(tensor)


class Functional(Model):
    """A model from `inputs` to `outputs` (tensors, lists or dicts).

    Example:

    >>> import lamina
    >>> a = lamina.Input(shape=(32,))
    >>> model = lamina.Model(a, lamina.layers.Dense(4)(a))
    >>> model.count_params()
    132
    """

    # Each input is converted to its `Input`'s dtype (in `_prepare_inputs`),
    # not to the model's compute dtype: its layers cast for themselves.
    _convert_input_args = False

    def __init__(self, *args, **kwargs):
        found = _functional_args(args, kwargs)
        if found is None:
            raise TypeError("Functional model: `inputs` and `outputs` are "
                            "required.")
        args, kwargs = found
        self._init_graph(*args, **kwargs)

    def _init_graph(self, inputs, outputs, name=None, trainable=True,
                    **kwargs):
        super().__init__(name=name, trainable=trainable, **kwargs)
        self._inputs_struct = inputs
        self._outputs_struct = outputs
        self.inputs = flatten(inputs)
        self.outputs = flatten(outputs)
        for role, tensors in (("inputs", self.inputs),
                              ("outputs", self.outputs)):
            for t in tensors:
                if not isinstance(t, SymbolicTensor) or t._history is None:
                    raise ValueError(
                        f"Model: all {role} must be symbolic tensors made "
                        f"by `Input` or by calling layers on them; got "
                        f"{t!r}.")
        self._graph_losses = []
        self._nodes = self._order_nodes(self.outputs)
        self._plan = self._compile_plan(self._nodes)
        layers, seen = [], set()
        for t in self.inputs:
            layer = t._history[0]
            if id(layer) not in seen:
                seen.add(id(layer))
                layers.append(layer)
        for node in self._nodes:
            if id(node.layer) not in seen:
                seen.add(id(node.layer))
                layers.append(node.layer)
        from lamina.models.functional_config import ordered_layers
        self._graph_layers = layers
        # Keras 3's order (weights, files and optimizer slots follow it).
        self._graph_layers = ordered_layers(self)
        object.__setattr__(self, "_layers", [
            l for l in self._graph_layers if not isinstance(l, InputLayer)])
        self.input_spec = [InputSpec(shape=t.shape, allow_last_axis_squeeze=
                                     True) for t in self.inputs]
        self._input_dtypes = [t.dtype for t in self.inputs]
        self.built = True

    # -- graph ------------------------------------------------------------
    def _order_nodes(self, targets, done=()):
        """The nodes computing `targets` from the inputs, in call order
        (those in `done` left out)."""
        input_ids = {id(t) for t in self.inputs}
        ordered, state = [], {id(node): "done" for node in done}
        accessed = []

        def visit(tensor, path):
            if id(tensor) in input_ids:
                return
            layer, node_index, _ = tensor._history
            node = layer._inbound_nodes[node_index]
            if state.get(id(node)) == "done":
                return
            if isinstance(layer, InputLayer):
                raise ValueError(
                    f"Graph disconnected: cannot get the value of tensor "
                    f"{_describe(tensor)}: it is an input that is not among "
                    f"the model's `inputs`. Layers reached without issue: "
                    f"{[l.name for l in accessed]}. Add it to `inputs`.")
            state[id(node)] = "visiting"
            for t in node.input_tensors:
                visit(t, path)
            state[id(node)] = "done"
            ordered.append(node)
            accessed.append(layer)

        for t in targets:
            visit(t, [])
        return ordered

    def _compile_plan(self, nodes):
        slots = {id(t): i for i, t in enumerate(self.inputs)}
        self._slot_tensors = list(self.inputs)
        count = len(self.inputs)
        plan = []
        # The autocast scope `call` runs in (the one this model's
        # `__call__` opens); layers that would cast their input or change
        # that scope are called through `__call__` (mixed precision).
        self._plan_autocast = autocast.scope_dtype(self, None)
        for node in nodes:
            args = _template(node.args, slots)
            kwargs = _template(node.kwargs, slots)
            out_slots = []
            for t in node.outputs:
                slots[id(t)] = count
                out_slots.append(count)
                self._slot_tensors.append(t)
                count += 1
            single = (len(args) == 1 and type(args[0]) is _Slot and
                      not kwargs and autocast.runs_directly(
                          node.layer, self._plan_autocast,
                          node.args[0].dtype))
            plan.append((node.layer, args, kwargs, out_slots, single,
                         len(node.outputs) == 1 and
                         not isinstance(node.outputs, list)))
        self._num_slots = count
        self._output_template = _template(self._outputs_struct, slots)
        self._loss_slots = [slots[id(t)] for t in self._graph_losses]
        return plan

    def add_loss(self, loss):
        """Adds a loss term. A symbolic tensor computed from the model's
        inputs (Keras 2's `model.add_loss(K.mean(...))`) becomes part of
        the graph: each call computes it and adds its value."""
        tensors = flatten(loss)
        if not any(isinstance(t, SymbolicTensor) for t in tensors):
            return super().add_loss(loss)
        for t in tensors:
            if not isinstance(t, SymbolicTensor) or t._history is None:
                raise ValueError(
                    f"{self.name}.add_loss: expected symbolic tensors "
                    f"computed from the model's inputs, got {t!r}.")
        self._graph_losses.extend(tensors)
        # Checks that they are computable from the inputs (else "graph
        # disconnected", naming the input) before changing anything.
        extra = self._order_nodes(self._graph_losses, done=self._nodes)
        self._plan = self._compile_plan(self._nodes + extra)
        self._mask_sources = None

    # -- running ------------------------------------------------------------
    def _flatten_inputs(self, inputs):
        struct = self._inputs_struct
        if isinstance(struct, dict):
            if not isinstance(inputs, dict):
                if isinstance(inputs, (list, tuple)) and \
                        len(inputs) == len(self.inputs):
                    return list(inputs)
                raise ValueError(f"Model '{self.name}' expects a dict of "
                                 f"inputs with keys {sorted(struct)}; got "
                                 f"{type(inputs).__name__}.")
            missing = [k for k in struct if k not in inputs]
            if missing:
                raise ValueError(f"Model '{self.name}': inputs {missing} "
                                 f"are missing; expected keys "
                                 f"{sorted(struct)}, got {sorted(inputs)}.")
            return [inputs[k] for k in sorted_keys(struct)]
        if isinstance(inputs, dict):
            names = [t._history[0].name for t in self.inputs]
            try:
                return [inputs[n] for n in names]
            except KeyError:
                raise ValueError(f"Model '{self.name}': dict inputs need "
                                 f"the keys {names}; got {sorted(inputs)}."
                                 ) from None
        flat = list(inputs) if isinstance(inputs, (list, tuple)) \
            else [inputs]
        if len(flat) != len(self.inputs):
            raise ValueError(f"Model '{self.name}' expects "
                             f"{len(self.inputs)} input(s), but it received "
                             f"{len(flat)} input tensors.")
        return flat

    def _prepare_inputs(self, inputs):
        flat = self._flatten_inputs(inputs)
        for i, x in enumerate(flat):
            if not B.is_tensor(x):
                flat[i] = B.convert_to_tensor(x, dtype=self._input_dtypes[i])
        shapes = [tuple(B.shape(x)) for x in flat]
        assert_input_compatibility(self.input_spec, shapes, self.name)
        for i, (x, t) in enumerate(zip(flat, self.inputs)):
            if len(shapes[i]) + 1 == len(t.shape) and t.shape[-1] == 1:
                flat[i] = B.expand_dims(x, -1)
        return flat

    def _makes_masks(self):
        """Whether any layer of the graph can create a mask (Embedding with
        mask_zero, Masking, ...): only then are masks tracked."""
        found = getattr(self, "_mask_sources", None)
        if found is None:
            found = any(type(node.layer).compute_mask is not
                        Layer.compute_mask for node in self._nodes)
            self._mask_sources = found
        return found

    def call(self, inputs, training=None, mask=None):
        if mask is not None or self._makes_masks() or \
                scope_lib._autocast != self._plan_autocast:
            return self._call_with_masks(inputs, training, mask)
        values = [None] * self._num_slots
        values[:len(self.inputs)] = self._prepare_inputs(inputs)
        kw = {} if training is None else {"training": training}
        for layer, args, kwargs, out_slots, single, one_out in self._plan:
            if single and layer.activity_regularizer is None:
                # Hot path: shapes inside the graph were checked when it was
                # drawn and the model's inputs were checked above, so the
                # layer's `call` runs directly (the outer `__call__` has
                # already set the training context for nested layers).
                x = values[args[0].index]
                out = layer.call(x, **kw) if layer._call_has_training \
                    else layer.call(x)
            else:
                out = layer(*_fill(args, values), **_fill(kwargs, values),
                            **kw)
            if one_out:
                values[out_slots[0]] = out
            else:
                for slot, v in zip(out_slots, flatten(out)):
                    values[slot] = v
        self._finish_call(values)
        return _fill(self._output_template, values)

    def _finish_call(self, values):
        for slot in self._loss_slots:
            super().add_loss(values[slot])
        if graph_values._stack:  # a Keras 1/2 loss reads graph tensors
            graph_values.record(self._slot_tensors, values)

    def _call_with_masks(self, inputs, training, mask):
        """`call`, also carrying each tensor's mask (a boolean tensor of its
        leading axes, or None) from layer to layer, as Keras does: a layer
        whose `call` takes `mask` receives its inputs' masks, and its
        `compute_mask` gives its outputs' masks."""
        values = [None] * self._num_slots
        masks = [None] * self._num_slots
        values[:len(self.inputs)] = self._prepare_inputs(inputs)
        if mask is not None:
            given = mask if isinstance(mask, (list, tuple)) else [mask]
            masks[:len(given)] = list(given)
        kw = {} if training is None else {"training": training}
        for layer, args, kwargs, out_slots, _, _ in self._plan:
            call_args = _fill(args, values)
            call_kwargs = _fill(kwargs, values)
            in_masks = _fill_masks(args[0], masks) if args else None
            has_mask = any(m is not None for m in flatten(in_masks))
            if has_mask and layer._call_has_mask and \
                    "mask" not in call_kwargs:
                call_kwargs["mask"] = in_masks
            out = layer(*call_args, **call_kwargs, **kw)
            first = call_args[0] if call_args else None
            out_mask = layer.compute_mask(first, in_masks if has_mask
                                          else None)
            for slot, v, m in zip(out_slots, flatten(out),
                                  flatten(out_mask) if isinstance(
                                      out_mask, (list, tuple))
                                  else [out_mask] * len(out_slots)):
                values[slot] = v
                masks[slot] = m
        self._finish_call(values)
        outputs = _fill(self._output_template, values)
        for tensor, m in zip(flatten(outputs),
                             flatten(_fill(self._output_template, masks))):
            if m is not None:
                try:  # losses and metrics read it (engines that allow it)
                    tensor._mask = m
                except AttributeError:
                    pass
        return outputs

    def compute_mask(self, inputs, mask=None):
        return None

    def compute_output_spec(self, inputs, training=None, mask=None):
        flat = self._flatten_inputs(inputs)
        shapes = [tuple(x.shape) for x in flat]
        assert_input_compatibility(self.input_spec, shapes, self.name)
        values = [None] * self._num_slots
        values[:len(self.inputs)] = flat
        for layer, args, kwargs, out_slots, _, _ in self._plan:
            args = _fill(args, values)
            kwargs = _fill(kwargs, values)
            if not layer.built:
                layer._build_on_first_call(args[0])
            out = layer.compute_output_spec(*args, **kwargs)
            for slot, v in zip(out_slots, flatten(out)):
                values[slot] = v
        return _fill(self._output_template, values)

    # -- introspection ------------------------------------------------------
    @property
    def layers(self):
        return list(self._graph_layers)

    @property
    def input_shape(self):
        shapes = [t.shape for t in self.inputs]
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def output_shape(self):
        shapes = [t.shape for t in self.outputs]
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def input(self):
        return self._inputs_struct

    @property
    def output(self):
        return self._outputs_struct

    @property
    def output_names(self):
        if isinstance(self._outputs_struct, dict):
            return sorted_keys(self._outputs_struct)
        return [t._history[0].name for t in self.outputs]

    @property
    def input_names(self):
        return [t._history[0].name for t in self.inputs]

    def get_config(self):
        from lamina.models.functional_config import functional_config
        return functional_config(self)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from lamina.models.functional_config import functional_from_config
        return functional_from_config(cls, config, custom_objects)

