"""`InputLayer` and `Input`: where a functional model's data enters."""

from lamina.backend.common.dtypes import standardize_dtype
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.layers.layer import Layer, unique_name
from lamina.legacy.arguments import warn_once
from lamina.layers.node import Node


class InputLayer(Layer):
    """The layer behind `Input`: holds the input's shape and dtype.

    Args:
        shape: shape without the batch dimension, e.g. `(32,)`.
        batch_size: optional fixed batch size.
        dtype: the input's dtype (default floatx).
        batch_shape: full shape including the batch dimension; instead of
            `shape` and `batch_size`.
        name: optional name.
    """

    def __init__(self, shape=None, batch_size=None, dtype=None, sparse=None,
                 batch_shape=None, input_tensor=None, name=None, **kwargs):
        if "input_shape" in kwargs:
            shape = kwargs.pop("input_shape")
        if "batch_input_shape" in kwargs:
            batch_shape = kwargs.pop("batch_input_shape")
        kwargs.pop("ragged", None)
        if shape is not None and batch_shape is not None:
            raise ValueError("InputLayer: pass `shape` or `batch_shape`, "
                             "not both.")
        if batch_shape is None:
            if shape is None:
                raise ValueError("Input: `shape` (without the batch "
                                 "dimension, e.g. shape=(32,)) or "
                                 "`batch_shape` is required.")
            if isinstance(shape, int):
                shape = (shape,)
            batch_shape = (batch_size,) + tuple(shape)
        super().__init__(name=name or unique_name("input_layer"),
                         dtype=dtype, **kwargs)
        self.batch_shape = tuple(None if d is None else int(d)
                                 for d in batch_shape)
        self.sparse = bool(sparse)
        self.built = True
        tensor = SymbolicTensor(self.batch_shape, standardize_dtype(dtype),
                                sparse=self.sparse, name=self.name)
        Node(self, (), {}, tensor)
        self.output = tensor

    def get_config(self):
        return {"batch_shape": list(self.batch_shape), "dtype": self.dtype,
                "sparse": self.sparse, "name": self.name}


def Input(shape=None, batch_size=None, dtype=None, sparse=None,
          batch_shape=None, name=None, tensor=None, **kwargs):
    """A symbolic input tensor for a functional model.

    Example:

    >>> import lamina
    >>> x = lamina.Input(shape=(32,))
    >>> x.shape
    (None, 32)
    """
    if "batch_input_shape" in kwargs:
        warn_once("Input.batch_input_shape", "Input(batch_input_shape=...) "
                  "is the Keras 1 spelling; write Input(batch_shape=...).")
        batch_shape = kwargs.pop("batch_input_shape")
    if kwargs:
        raise TypeError(f"Input: unrecognized arguments {sorted(kwargs)}")
    layer = InputLayer(shape=shape, batch_size=batch_size, dtype=dtype,
                       sparse=sparse, batch_shape=batch_shape, name=name)
    return layer.output
