"""The `Metric` base class: state variables updated batch by batch.

A metric keeps its running state in non-trainable variables on the device.
`update_state` only issues device ops (no host copy), and `result` returns
a device tensor, so a training loop reads a metric's value only when it
logs it. `stateless_update_state` / `stateless_result` run the same code
over explicit values, for jitted training steps.
"""

from lamina.backend.common import scope as scope_lib
from lamina.losses.loss import snake_case, standardize_dtype_arg
from lamina.ops._bind import B


class Metric:
    """Base class of metrics.

    Subclasses create state in `__init__` with `add_variable` and implement
    `update_state(*args)` and `result()`.

    Args:
        dtype: the dtype of the state and result; default floatx.
        name: the metric's name (the key in logs); default the class name
            in snake_case.

    Example:

    >>> from lamina import ops
    >>> class Count(Metric):
    ...     def __init__(self, name="count"):
    ...         super().__init__(name=name)
    ...         self.n = self.add_variable((), "zeros", name="n")
    ...     def update_state(self, values):
    ...         self.n.assign_add(ops.shape(values)[0])
    ...     def result(self):
    ...         return self.n.value + 0.0
    >>> m = Count()
    >>> m.update_state([1, 2, 3])
    >>> float(m.result())
    3.0
    """

    def __init__(self, dtype=None, name=None):
        self._variables = []
        self._metrics = []
        self.name = name or snake_case(type(self).__name__)
        self._dtype = standardize_dtype_arg(dtype)

    def __setattr__(self, name, value):
        # Track sub-metrics so that `variables` includes their state.
        if isinstance(value, Metric) and name != "_metrics" and \
                "_metrics" in self.__dict__ and \
                not any(m is value for m in self._metrics):
            self._metrics.append(value)
        super().__setattr__(name, value)

    @property
    def dtype(self):
        return self._dtype

    @property
    def variables(self):
        """The state variables, this metric's then its sub-metrics'."""
        out = list(self._variables)
        for metric in self._metrics:
            out.extend(metric.variables)
        return out

    def add_variable(self, shape, initializer, dtype=None, aggregation="sum",
                     name=None):
        """Creates a non-trainable state variable.

        Args:
            shape: the variable's shape.
            initializer: 'zeros', 'ones', an initializer name or object
                (callable `(shape, dtype)`), or an initial value.
            dtype: default the metric's dtype.
            aggregation: how replicas combine it ('sum', 'mean', ...).
            name: the variable's name (e.g. 'total').

        Returns:
            The variable.
        """
        if "_variables" not in self.__dict__:
            raise RuntimeError(f"{type(self).__name__}: call "
                               "`super().__init__()` before `add_variable`.")
        shape = tuple(shape)
        dtype = self._dtype if dtype is None else standardize_dtype_arg(dtype)
        variable = B.Variable(_initial_value(initializer, shape, dtype),
                              shape=shape, dtype=dtype, trainable=False,
                              name=name, aggregation=aggregation)
        variable.path = f"{self.name}/{variable.name}"
        self._variables.append(variable)
        return variable

    def add_weight(self, shape=(), initializer=None, dtype=None, name=None):
        """Alias of `add_variable` (Keras 2 spelling)."""
        return self.add_variable(shape, initializer or "zeros", dtype=dtype,
                                 name=name)

    def update_state(self, *args, **kwargs):
        """Accumulates statistics of one batch into the state."""
        raise NotImplementedError(
            f"{type(self).__name__} must implement `update_state`.")

    def result(self):
        """The metric's value from the state, as a device tensor."""
        raise NotImplementedError(
            f"{type(self).__name__} must implement `result`.")

    def reset_state(self):
        """Sets every state variable back to zero."""
        for variable in self.variables:
            variable.assign(B.zeros(variable.shape, dtype=variable.dtype))

    def __call__(self, *args, **kwargs):
        """`update_state(*args, **kwargs)`, then returns `result()`."""
        self.update_state(*args, **kwargs)
        return self.result()

    # -- stateless twins --------------------------------------------------
    def _scope(self, metric_variables):
        variables = self.variables
        metric_variables = list(metric_variables)
        if len(metric_variables) != len(variables):
            raise ValueError(
                f"Metric '{self.name}' has {len(variables)} state variables "
                f"({', '.join(v.name for v in variables)}); "
                f"`metric_variables` has {len(metric_variables)} values.")
        return scope_lib.StatelessScope(
            (v, B.convert_to_tensor(value, dtype=v.dtype))
            for v, value in zip(variables, metric_variables))

    def stateless_update_state(self, metric_variables, *args, **kwargs):
        """`update_state` over explicit state values.

        Args:
            metric_variables: one value per variable in `variables`.
            *args, **kwargs: as for `update_state`.

        Returns:
            The new state values, in the order of `variables`. The metric's
            own variables are left unchanged.
        """
        with self._scope(metric_variables) as scope:
            self.update_state(*args, **kwargs)
        return [scope.get(v) for v in self.variables]

    def stateless_result(self, metric_variables):
        """`result()` computed from explicit state values."""
        with self._scope(metric_variables):
            return self.result()

    def stateless_reset_state(self):
        """The state values `reset_state` would set (variables untouched)."""
        with scope_lib.StatelessScope() as scope:
            self.reset_state()
        return [scope.get(v) for v in self.variables]

    # -- config -----------------------------------------------------------
    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"


def _initial_value(initializer, shape, dtype):
    if initializer is None or (isinstance(initializer, str)
                               and initializer == "zeros"):
        return B.zeros(shape, dtype=dtype)
    if isinstance(initializer, str) and initializer == "ones":
        return B.ones(shape, dtype=dtype)
    if isinstance(initializer, (str, dict)):
        from lamina import initializers
        initializer = initializers.get(initializer)
    return initializer
