"""`Layer`: the base class of every layer and model.

A layer stores its configuration in `__init__`, creates weights in
`build(input_shape)` with `add_weight`, and computes in `call` using only
`lamina.ops`. Called on symbolic tensors it records a graph node and infers
output shapes; called on arrays it computes.
"""

import inspect
import re

import numpy as np

from lamina.backend.common import scope as scope_lib
from lamina.backend.common.dtypes import FLOAT_TYPES, standardize_dtype
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.layers.input_spec import InputSpec, assert_input_compatibility
from lamina.layers.node import flatten
from lamina.legacy import layer_eras
from lamina.mixed_precision import autocast as autocast_lib
from lamina.mixed_precision import policy as policy_lib
from lamina.ops._bind import B

_name_counts = {}


def unique_name(prefix):
    count = _name_counts.get(prefix, 0)
    _name_counts[prefix] = count + 1
    return prefix if count == 0 else f"{prefix}_{count}"


def reset_names():
    """Restarts automatic layer names (`dense`, `dense_1`, ...)."""
    _name_counts.clear()


def snake_case(name):
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    # Keras's rule: no break after a digit, so Conv2D -> conv2d.
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


class _CallContext:
    """What an outer call passes down to nested calls: the `training` flag,
    and the layers holding activity losses, cleared when the next outer call
    starts. (A list rather than a call counter: `torch.compile` guards on
    Python values a step reads, and a counter would change every step.)"""

    def __init__(self):
        self.depth = 0
        self.training = None
        self.loss_layers = []


_ctx = _CallContext()
# Keras 1/2 keyword names accepted by every layer.
_LEGACY_BASE = {"input_dim", "input_shape", "batch_input_shape",
                "batch_size", "input_length", "weights"}


class Layer:
    """Base class for layers.

    Args:
        trainable: whether the layer's weights are updated by training.
        name: a unique name; derived from the class name if left out.
        dtype: the dtype policy: a name ('float32', 'mixed_float16',
            'mixed_bfloat16', ...), a `DTypePolicy` or its config; default
            the global policy (`lamina.mixed_precision`). Weights are made
            in its `variable_dtype`; float inputs are cast to its
            `compute_dtype`, in which `call` also reads float weights.
        activity_regularizer: a regularizer applied to the output; its
            penalty is added to `losses`.
        autocast: whether float inputs and weights are cast to the
            compute dtype.
        input_shape / batch_input_shape / input_dim: (first layer of a
            `Sequential`) the shape of the model's input.
    """

    # Whether `__call__` casts float inputs to the compute dtype (a
    # functional model converts each input to its `Input`'s dtype instead).
    _convert_input_args = True

    def __new__(cls, *args, **kwargs):
        obj = super().__new__(cls)
        # Set before any subclass __init__ code runs, so that attribute
        # tracking in __setattr__ works from the first assignment.
        object.__setattr__(obj, "_layers", [])
        object.__setattr__(obj, "_trainable_variables", [])
        object.__setattr__(obj, "_non_trainable_variables", [])
        object.__setattr__(obj, "_tracking", True)
        return obj

    def __init__(self, trainable=True, name=None, dtype=None,
                 activity_regularizer=None, autocast=True, **kwargs):
        from lamina import regularizers
        weights = kwargs.pop("weights", None)
        input_dim = kwargs.pop("input_dim", None)
        input_length = kwargs.pop("input_length", None)
        batch_size = kwargs.pop("batch_size", None)
        input_shape = kwargs.pop("input_shape", None)
        batch_input_shape = kwargs.pop("batch_input_shape", None)
        kwargs.pop("input_dtype", None)
        if kwargs:
            raise TypeError(f"{type(self).__name__}: unrecognized keyword "
                            f"arguments {sorted(kwargs)}.")
        if batch_input_shape is None:
            if input_shape is None and input_dim is not None:
                input_shape = (input_length, input_dim) if input_length \
                    else (input_dim,)
            if input_shape is not None:
                if isinstance(input_shape, int):
                    input_shape = (input_shape,)
                batch_input_shape = (batch_size,) + tuple(input_shape)
        self._batch_input_shape = (None if batch_input_shape is None
                                   else tuple(batch_input_shape))
        self.name = name or unique_name(snake_case(type(self).__name__))
        if not isinstance(self.name, str):
            raise TypeError(f"Layer name must be a string, got {name!r}")
        self._trainable = bool(trainable)
        self.dtype_policy = dtype
        self.activity_regularizer = regularizers.get(activity_regularizer)
        self.autocast = autocast
        self.built = False
        # Keras 1 layers set these before calling `super().__init__`.
        self.__dict__.setdefault("input_spec", None)
        self.__dict__.setdefault("supports_masking", False)
        self._inbound_nodes = []
        self._losses = []
        self._initial_weights = weights
        signature = inspect.signature(self.call).parameters
        self._call_has_training = "training" in signature
        self._call_has_mask = "mask" in signature

    # -- attribute tracking ------------------------------------------------
    def __setattr__(self, name, value):
        if self._tracking and not name.startswith("__"):
            self._track(value)
        object.__setattr__(self, name, value)

    def _track(self, value):
        from lamina.backend.common.variables import Variable
        if isinstance(value, Layer):
            if value is not self and all(value is not l for l in self._layers):
                self._layers.append(value)
        elif isinstance(value, Variable):
            lists = (self._trainable_variables, self._non_trainable_variables)
            if all(value is not v for lst in lists for v in lst):
                (lists[0] if value.trainable else lists[1]).append(value)
        elif isinstance(value, (list, tuple)) and value and \
                all(isinstance(v, Layer) for v in value):
            for v in value:
                self._track(v)

    # -- dtype ---------------------------------------------------------------
    @property
    def dtype_policy(self):
        """The layer's `DTypePolicy`."""
        return self._dtype_policy

    @dtype_policy.setter
    def dtype_policy(self, value):
        policy = policy_lib.get(value)
        object.__setattr__(self, "_dtype_policy", policy)
        compute = policy.compute_dtype
        # Cached for `__call__`: the dtype float inputs are cast to, and
        # whether weights are stored in another dtype than computed in.
        object.__setattr__(self, "_cast_to",
                           compute if compute in FLOAT_TYPES else None)
        object.__setattr__(self, "_mixed", compute != policy.variable_dtype)

    @property
    def dtype(self):
        """The dtype of the weights (the policy's `variable_dtype`)."""
        return self._dtype_policy.variable_dtype

    @property
    def compute_dtype(self):
        """The dtype of the computations and outputs."""
        return self._dtype_policy.compute_dtype

    @property
    def variable_dtype(self):
        return self._dtype_policy.variable_dtype

    @property
    def input_dtype(self):
        """The dtype float inputs are cast to."""
        return self._dtype_policy.compute_dtype

    # -- weights -------------------------------------------------------------
    @layer_eras.legacy_weight_order  # Keras 1.2 and 2 positional orders
    def add_weight(self, shape=None, initializer=None, dtype=None,
                   trainable=True, regularizer=None, constraint=None,
                   name=None, aggregation="mean", autocast=True):
        """Creates a weight variable owned by this layer.

        Its dtype defaults to the policy's `variable_dtype`; with
        `autocast`, a float weight reads as the compute dtype in `call`.
        """
        from lamina import constraints, initializers, regularizers
        shape = () if shape is None else tuple(shape)
        dtype = standardize_dtype(dtype or self.variable_dtype)
        if initializer is None:
            initializer = "glorot_uniform" if dtype.startswith("float") \
                else "zeros"
        initializer = initializers.get(initializer)
        variable = B.Variable(initializer, shape=shape, dtype=dtype,
                              trainable=trainable, name=name or "variable",
                              aggregation=aggregation, autocast=autocast)
        variable.path = f"{self.name}/{variable.name}"
        variable.regularizer = regularizers.get(regularizer)
        variable.constraint = constraints.get(constraint)
        if trainable:
            self._trainable_variables.append(variable)
        else:
            self._non_trainable_variables.append(variable)
        return variable

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        value = bool(value)
        self._trainable = value
        for layer in self._layers:
            layer.trainable = value

    def _own_variables(self):
        return self._trainable_variables + self._non_trainable_variables

    @property
    def weights(self):
        """All weights: own trainable, own non-trainable, then sublayers'."""
        out, seen = [], set()
        for v in self._own_variables():
            if id(v) not in seen:
                seen.add(id(v))
                out.append(v)
        for layer in self._layers:
            for v in layer.weights:
                if id(v) not in seen:
                    seen.add(id(v))
                    out.append(v)
        return out

    @property
    def trainable_weights(self):
        if not self._trainable:
            return []
        out = [v for v in self._trainable_variables if v.trainable]
        seen = {id(v) for v in out}
        for layer in self._layers:
            for v in layer.trainable_weights:
                if id(v) not in seen:
                    seen.add(id(v))
                    out.append(v)
        return out

    @property
    def non_trainable_weights(self):
        trainable = {id(v) for v in self.trainable_weights}
        return [v for v in self.weights if id(v) not in trainable]

    # Keras 1 layers set their weight lists in `build`.
    @trainable_weights.setter
    def trainable_weights(self, values):
        self._set_own_weights(values, True)

    @non_trainable_weights.setter
    def non_trainable_weights(self, values):
        self._set_own_weights(values, False)

    def _set_own_weights(self, values, trainable):
        new = layer_eras.as_variables(self, list(values), trainable)
        ids = {id(v) for v in new}
        mine, other = self._trainable_variables, self._non_trainable_variables
        if not trainable:
            mine, other = other, mine
        other[:] = [v for v in other if id(v) not in ids]
        mine[:] = new

    variables = weights
    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights

    def get_weights(self):
        """The weights' values as a list of NumPy arrays."""
        # Copies: on CPU the engine's array may share memory with NumPy's,
        # and the optimizer updates weights in place.
        return [np.array(B.convert_to_numpy(v.value)) for v in self.weights]

    def set_weights(self, weights):
        """Sets the weights from a list of arrays, in `weights` order."""
        params = self.weights
        weights = list(weights)
        if len(params) != len(weights):
            raise ValueError(
                f"Layer '{self.name}' has {len(params)} weights "
                f"({[v.path for v in params]}) but set_weights received "
                f"{len(weights)} arrays.")
        for variable, value in zip(params, weights):
            shape = tuple(getattr(value, "shape", ()))
            if shape != variable.shape:
                raise ValueError(
                    f"Layer '{self.name}': weight {variable.path} has shape "
                    f"{variable.shape}, but the array given for it has "
                    f"shape {shape}.")
            variable.assign(value)

    def count_params(self):
        """The number of scalars in all weights."""
        if not self.built:
            raise ValueError(f"Layer '{self.name}' is not built yet, so it "
                             "has no weights to count. Call it on an input "
                             "or call `build(input_shape)` first.")
        total = 0
        for v in self.weights:
            n = 1
            for d in v.shape:
                n *= d
            total += n
        return total

    # -- losses --------------------------------------------------------------
    def add_loss(self, loss):
        """Adds a loss term (e.g. an activity penalty) for this call."""
        if isinstance(loss, SymbolicTensor):
            raise ValueError(
                f"{self.name}.add_loss: got a symbolic tensor. A layer "
                "adds the values its `call` computes; a term drawn on the "
                "graph (Keras 2's `model.add_loss(K.mean(...))`) is added "
                "to the functional model that computes it: "
                "`model.add_loss(tensor)`.")
        if not self._losses:
            _ctx.loss_layers.append(self)
        self._losses.append(loss)

    def _call_losses(self):
        return self._losses

    @property
    def losses(self):
        """Activity losses of the latest call and weight penalties."""
        out = list(self._call_losses())
        for v in self._own_variables():
            if v.regularizer is not None and v.trainable:
                out.append(v.regularizer(v.value))
        for layer in self._layers:
            out.extend(layer.losses)
        return out

    # -- building and calling --------------------------------------------
    def build(self, input_shape=None):
        """Creates the weights; called once with the input's shape."""
        self.built = True

    def call(self, inputs, *args, **kwargs):
        return inputs

    def compute_output_shape(self, *args, **kwargs):
        if hasattr(self, "get_output_shape_for"):  # the Keras 1 name
            return self.get_output_shape_for(*args, **kwargs)
        raise NotImplementedError  # sentinel: infer by running `call`

    def _has_output_shape_rule(self):
        return type(self).compute_output_shape is not \
            Layer.compute_output_shape or hasattr(self,
                                                  "get_output_shape_for")

    def compute_output_spec(self, *args, **kwargs):
        """Output `SymbolicTensor`s for symbolic arguments."""
        if self._has_output_shape_rule() and len(args) == 1 and not kwargs:
            shapes = _shapes(args[0])
            out = self.compute_output_shape(shapes)
            return _specs_from_shapes(out, self.compute_dtype)
        return B.compute_output_spec(self.call, args, kwargs)

    def compute_mask(self, inputs, mask=None):
        if not self.supports_masking:
            return None
        return mask

    # -- graph position (`K.function([model.input], [layer.output])`) ---
    @property
    def input(self):
        """The input tensor(s) of the layer's one call on symbolic tensors
        (a model's own inputs if it was never called)."""
        return self._node_tensors("input", None)

    @property
    def output(self):
        """The output tensor(s) of the layer's one symbolic call."""
        if "_output" in self.__dict__:
            return self.__dict__["_output"]
        return self._node_tensors("output", None)

    @output.setter
    def output(self, value):  # InputLayer stores its tensor
        self.__dict__["_output"] = value

    def get_input_at(self, node_index):
        return self._node_tensors("input", node_index)

    def get_output_at(self, node_index):
        return self._node_tensors("output", node_index)

    def _node_tensors(self, which, index):
        nodes = self._inbound_nodes
        if not nodes and getattr(self, which + "s", None):
            found = list(getattr(self, which + "s"))
            return found[0] if len(found) == 1 else found
        if index is None and len(nodes) > 1:
            raise AttributeError(
                f"Layer '{self.name}' was called {len(nodes)} times, so its "
                f"'{which}' is ambiguous; use get_{which}_at(node_index).")
        if not nodes or (index or 0) >= len(nodes):
            raise AttributeError(f"Layer '{self.name}' has no {which}: it "
                                 "was not called on a symbolic tensor (node "
                                 f"{index or 0}).")
        node = nodes[index or 0]
        found = node.input_tensors if which == "input" and \
            node.input_tensors else node.outputs
        return found[0] if len(found) == 1 else list(found)

    def _build_on_first_call(self, first_input):
        if self.built:
            return
        shapes = _shapes(first_input)
        self.build(shapes)
        self.built = True
        if type(self).build is not Layer.build:
            layer_eras.check_built(self)
        if self._initial_weights is not None:
            weights, self._initial_weights = self._initial_weights, None
            self.set_weights(weights)

    def __call__(self, *args, **kwargs):
        if not args:
            if "inputs" not in kwargs:
                raise TypeError(f"Layer '{self.name}' was called without "
                                "inputs.")
            args = (kwargs.pop("inputs"),)
        first = args[0]
        if _is_symbolic(first) or (len(args) > 1 and _is_symbolic(
                args[1:])) or (kwargs and _is_symbolic(
                    list(kwargs.values()))):
            return self._symbolic_call(args, kwargs)
        if not B.is_tensor(first) and not isinstance(first, (list, tuple,
                                                             dict)):
            first = _to_tensor(first, self.compute_dtype)
            args = (first,) + args[1:]
        cast_to = self._cast_to if self.autocast and \
            self._convert_input_args else None
        if cast_to is not None:  # Keras: float inputs -> compute dtype
            if len(args) == 1 and not kwargs and B.is_tensor(first):
                dtype = B.dtype(first)
                if dtype != cast_to and dtype in FLOAT_TYPES:
                    first = B.cast(first, cast_to)
                    args = (first,)
            else:
                args = autocast_lib.cast_floats(args, cast_to)
                kwargs = autocast_lib.cast_floats(kwargs, cast_to)
                first = args[0]
        if not self.built:
            self._build_on_first_call(first)
        if self.input_spec is not None:
            assert_input_compatibility(_spec_list(self.input_spec),
                                       _shape_list(first), self.name)
        if _ctx.depth == 0 and _ctx.loss_layers:
            for layer in _ctx.loss_layers:
                layer._losses = []
            _ctx.loss_layers = []
        saved_training = _ctx.training
        if "training" in kwargs:
            training = kwargs["training"]
            if not self._call_has_training:
                kwargs = dict(kwargs)
                del kwargs["training"]
            if training is not None:
                _ctx.training = training
        elif self._call_has_training and _ctx.training is not None:
            kwargs["training"] = _ctx.training
        # The dtype weights read as in `call` (mixed precision).
        outer_cast = scope_lib._autocast
        inner_cast = outer_cast if outer_cast is None and not self._mixed \
            else autocast_lib.scope_dtype(self, outer_cast)
        _ctx.depth += 1
        try:
            if inner_cast == outer_cast:
                outputs = self.call(*args, **kwargs)
            else:
                with scope_lib.AutocastScope(inner_cast):
                    outputs = self.call(*args, **kwargs)
        finally:
            _ctx.depth -= 1
            _ctx.training = saved_training
        if self.activity_regularizer is not None:
            for out in _flat(outputs):
                self.add_loss(self.activity_regularizer(out))
        return outputs

    def _symbolic_call(self, args, kwargs):
        from lamina.layers.node import Node
        first = args[0]
        kwargs = dict(kwargs)
        kwargs.pop("training", None)
        outer_cast = scope_lib._autocast
        inner_cast = autocast_lib.scope_dtype(self, outer_cast)
        if not self.built:
            if self.input_spec is not None:
                assert_input_compatibility(_spec_list(self.input_spec),
                                           _shape_list(first), self.name)
            self._build_on_first_call(first)
        if self.input_spec is not None:
            assert_input_compatibility(_spec_list(self.input_spec),
                                       _shape_list(first), self.name)
        cast_to = autocast_lib.input_cast(self)
        call_args, call_kwargs = args, kwargs
        if cast_to is not None:
            call_args = autocast_lib.cast_floats(args, cast_to)
            call_kwargs = autocast_lib.cast_floats(kwargs, cast_to)
        if inner_cast == outer_cast:
            outputs = self.compute_output_spec(*call_args, **call_kwargs)
        else:
            with scope_lib.AutocastScope(inner_cast):
                outputs = self.compute_output_spec(*call_args, **call_kwargs)
        Node(self, args, kwargs, outputs)
        return outputs

    # -- stateless -----------------------------------------------------------
    def stateless_call(self, trainable_variables, non_trainable_variables,
                       *args, return_losses=False, **kwargs):
        """Calls the layer on given weight values without changing it.

        Returns `(outputs, non_trainable_variables)` (and the losses when
        `return_losses`), the latter holding the values as updated by the
        call (e.g. BatchNormalization's moving statistics).
        """
        state = list(zip(self.trainable_variables, trainable_variables))
        state += list(zip(self.non_trainable_variables,
                          non_trainable_variables))
        with scope_lib.StatelessScope(state) as scope:
            outputs = self(*args, **kwargs)
            losses = self.losses if return_losses else None
        new_nt = [scope.get(v) for v in self.non_trainable_variables]
        if return_losses:
            return outputs, new_nt, losses
        return outputs, new_nt

    # -- config --------------------------------------------------------------
    def get_config(self):
        config = {"name": self.name, "trainable": self.trainable,
                  "dtype": self._dtype_policy.name}
        if self._batch_input_shape is not None:
            config["batch_input_shape"] = list(self._batch_input_shape)
        if self.activity_regularizer is not None:
            from lamina.saving.config import serialize
            config["activity_regularizer"] = serialize(
                self.activity_regularizer)
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


# -- helpers over nested inputs ------------------------------------------

def _flat(x):
    return flatten(x)


def _is_symbolic(x):
    if isinstance(x, SymbolicTensor):
        return True
    if isinstance(x, (list, tuple)):
        return any(_is_symbolic(v) for v in x)
    if isinstance(x, dict):
        return any(_is_symbolic(v) for v in x.values())
    return False


def _to_tensor(x, compute_dtype):
    arr = np.asarray(x)
    if arr.dtype.kind == "f":
        return B.convert_to_tensor(arr, dtype=compute_dtype)
    return B.convert_to_tensor(arr)


def _shape_of(x):
    if isinstance(x, SymbolicTensor):
        return x.shape
    if hasattr(x, "shape"):
        return tuple(x.shape)
    return tuple(B.shape(x))


def _shapes(x):
    """Shape of an input, or a list/dict of shapes for several inputs."""
    if isinstance(x, (list, tuple)):
        return [_shapes(v) for v in x]
    if isinstance(x, dict):
        return {k: _shapes(v) for k, v in x.items()}
    return _shape_of(x)


def _shape_list(x):
    return [_shape_of(v) for v in _flat(x)]


def _spec_list(spec):
    return spec if isinstance(spec, (list, tuple)) else [spec]


def _specs_from_shapes(shapes, dtype):
    if isinstance(shapes, list) and shapes and isinstance(
            shapes[0], (tuple, list)):
        return [SymbolicTensor(s, dtype) for s in shapes]
    if isinstance(shapes, dict):
        return {k: SymbolicTensor(s, dtype) for k, s in shapes.items()}
    return SymbolicTensor(tuple(shapes), dtype)


__all__ = ["InputSpec", "Layer", "unique_name"]
