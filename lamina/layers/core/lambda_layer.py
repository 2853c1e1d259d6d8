"""`Lambda`: wraps an arbitrary function of tensors as a layer."""

import inspect

from lamina.layers.layer import Layer


class Lambda(Layer):
    """Calls `function(inputs, **arguments)` as a layer.

    Args:
        function: the function to apply; it receives the input (a tensor,
            or a list for several inputs) and uses `lamina.ops`.
        output_shape: the output shape without the batch axis (a tuple, or
            a function of the input shape); inferred when left out.
        mask: a mask to return, or a function `(inputs, mask)` of one.
        arguments: extra keyword arguments for `function`.

    Saving a `Lambda` stores the function's bytecode; loading it runs that
    code, which is refused unless `safe_mode=False` (see `saving`).
    """

    def __init__(self, function, output_shape=None, mask=None,
                 arguments=None, **kwargs):
        super().__init__(**kwargs)
        if not callable(function):
            raise TypeError(f"Lambda: `function` must be callable, got "
                            f"{function!r}.")
        self.function = function
        self._output_shape = output_shape
        self.mask = mask
        self.arguments = dict(arguments or {})
        params = inspect.signature(function).parameters
        self._fn_has_mask = "mask" in params
        self._fn_has_training = "training" in params
        self.supports_masking = mask is not None
        self.built = True

    def call(self, inputs, mask=None, training=None):
        kwargs = dict(self.arguments)
        if self._fn_has_mask:
            kwargs["mask"] = mask
        if self._fn_has_training:
            kwargs["training"] = training
        return self.function(inputs, **kwargs)

    def compute_output_spec(self, *args, **kwargs):
        if self._output_shape is None:
            return super().compute_output_spec(*args, **kwargs)
        from lamina.layers.layer import _shapes, _specs_from_shapes
        shape = self._output_shape
        if callable(shape):
            shape = shape(_shapes(args[0]))
            return _specs_from_shapes(shape, self.compute_dtype)
        first = args[0][0] if isinstance(args[0], (list, tuple)) else args[0]
        return _specs_from_shapes((first.shape[0],) + tuple(shape),
                                  self.compute_dtype)

    def compute_mask(self, inputs, mask=None):
        if callable(self.mask):
            return self.mask(inputs, mask)
        return self.mask

    def get_config(self):
        config = super().get_config()
        config["function"] = _serialize_function(self.function)
        if self._output_shape is not None:
            config["output_shape"] = (
                _serialize_function(self._output_shape)
                if callable(self._output_shape)
                else list(self._output_shape))
        config["arguments"] = self.arguments
        return config

    @classmethod
    def from_config(cls, config, safe_mode=True):
        config = dict(config)
        config["function"] = _deserialize_function(config["function"],
                                                   safe_mode)
        if isinstance(config.get("output_shape"), dict):
            config["output_shape"] = _deserialize_function(
                config["output_shape"], safe_mode)
        return cls(**config)


def _serialize_function(fn):
    from lamina.saving.functions import serialize_function
    return serialize_function(fn)


def _deserialize_function(config, safe_mode=True):
    from lamina.saving.functions import deserialize_function
    return deserialize_function(config, safe_mode)
