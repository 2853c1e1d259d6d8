"""`EinsumProjection`: the query/key/value/output projections inside
`MultiHeadAttention`, and the einsum equations of the attention itself.

Keras 3 builds these projections from its general `EinsumDense` layer; the
weights here have the same names ('kernel', 'bias') and shapes, e.g. the
query projection of a `(batch, T, dim)` input has kernel
`(dim, num_heads, key_dim)` and bias `(num_heads, key_dim)`, so a Keras
file's weights load unchanged. Private to `lamina.layers.attention`.
"""

import string

from lamina import initializers, ops
from lamina.layers.layer import Layer

_LETTERS = string.ascii_lowercase


def projection_equation(input_rank, bound_dims, output_dims):
    """The einsum equation contracting the last `bound_dims` axes of a rank
    `input_rank` tensor with a kernel `(*bound, *output)`.

    >>> projection_equation(3, 1, 2)
    'abc,cde->abde'
    >>> projection_equation(4, 2, 1)
    'abcd,cde->abe'
    """
    free = _LETTERS[:input_rank - bound_dims]
    bound = _LETTERS[input_rank - bound_dims:input_rank]
    out = _LETTERS[input_rank:input_rank + output_dims]
    return f"{free}{bound},{bound}{out}->{free}{out}"


def attention_equations(rank, attention_axes):
    """Einsum equations for scores and for the weighted sum of values.

    The projected query is `(batch, <other dims>, <attention dims>, heads,
    channels)` of rank `rank`; key and value have their own attention
    dims. Every axis that is neither an attention axis nor the channel axis
    (batch, heads, other dims) is shared.

    Returns:
        `(score_equation, combine_equation, num_score_axes)`:
        query, key -> scores `(<shared dims>, <query attention dims>,
        <key attention dims>)`; scores, value -> output shaped like the
        query.

    >>> attention_equations(4, (1,))[:2]
    ('abcd,aecd->acbe', 'acbe,aecd->abcd')
    """
    target = _LETTERS[:rank]
    shared = [i for i in range(rank - 1) if i not in attention_axes]
    source = list(target)
    for n, axis in enumerate(attention_axes):
        source[axis] = _LETTERS[rank + n]
    source = "".join(source)
    scores = ("".join(target[i] for i in shared)
              + "".join(target[i] for i in attention_axes)
              + "".join(source[i] for i in attention_axes))
    return (f"{target},{source}->{scores}", f"{scores},{source}->{target}",
            len(scores))


def _clone(initializer):
    # A fresh initializer per projection: a seeded initializer reused would
    # give the query, key and value kernels the same starting values.
    return initializer.clone() if hasattr(initializer, "clone") \
        else initializer


class EinsumProjection(Layer):
    """`einsum(inputs, kernel) + bias` over the last `bound_dims` axes.

    Args:
        bound_dims: how many trailing input axes are contracted.
        output_shape: the trailing output axes (ints) that replace them.
        use_bias: whether to add a bias of shape `output_shape`.
        kernel_initializer, bias_initializer, kernel_regularizer,
        bias_regularizer, kernel_constraint, bias_constraint: as in `Dense`.
    """

    def __init__(self, bound_dims, output_shape, use_bias=True,
                 kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, **kwargs):
        super().__init__(**kwargs)
        self.bound_dims = int(bound_dims)
        self.projection_shape = tuple(int(d) for d in output_shape)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = _clone(
            initializers.get(kernel_initializer))
        self.bias_initializer = _clone(initializers.get(bias_initializer))
        self.kernel_regularizer = kernel_regularizer
        self.bias_regularizer = bias_regularizer
        self.kernel_constraint = kernel_constraint
        self.bias_constraint = bias_constraint

    def build(self, input_shape):
        bound = tuple(input_shape[len(input_shape) - self.bound_dims:])
        if any(d is None for d in bound):
            raise ValueError(
                f"Layer '{self.name}': the last {self.bound_dims} input "
                f"axes must be known, got input shape {tuple(input_shape)}.")
        self.equation = projection_equation(
            len(input_shape), self.bound_dims, len(self.projection_shape))
        self.kernel = self.add_weight(
            name="kernel", shape=bound + self.projection_shape,
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias", shape=self.projection_shape,
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint)
        self.built = True

    def call(self, inputs):
        x = ops.einsum(self.equation, inputs, self.kernel)
        if self.bias is not None:
            x = ops.add(x, self.bias)
        return x

    def compute_output_shape(self, input_shape):
        keep = len(input_shape) - self.bound_dims
        return tuple(input_shape[:keep]) + self.projection_shape
