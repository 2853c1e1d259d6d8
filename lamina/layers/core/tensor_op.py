"""`TensorOp`: the layer recorded for arithmetic on symbolic tensors.

`Dense(4)(a) + b` in a functional model makes a `TensorOp('add')` node, so
operators work while drawing a model as they do in Keras.
"""

from lamina import ops
from lamina.layers.layer import Layer

_OPS = ("add", "subtract", "multiply", "divide", "matmul", "power",
        "negative", "abs")


class TensorOp(Layer):
    """Applies the `lamina.ops` function `op` to its arguments.

    Args:
        op: one of 'add', 'subtract', 'multiply', 'divide', 'matmul',
            'power', 'negative', 'abs'.
    """

    def __init__(self, op, **kwargs):
        if op not in _OPS:
            raise ValueError(f"TensorOp: `op` must be one of {_OPS}, got "
                             f"{op!r}.")
        super().__init__(**kwargs)
        self.op = op
        self._fn = getattr(ops, op)
        self.built = True

    def call(self, *args):
        return self._fn(*args)

    def get_config(self):
        return {**super().get_config(), "op": self.op}
