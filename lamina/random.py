"""`lamina.random`: random draws with explicit seeds (Keras's `keras.random`).

`seed` is None, an int (the same numbers on every call), or a
`SeedGenerator` (a stream: new numbers each call, repeatable from its seed).
"""

from lamina.backend.common.seed import SeedGenerator  # noqa: F401
from lamina.ops._bind import B as _B

normal = _B.random.normal
uniform = _B.random.uniform
truncated_normal = _B.random.truncated_normal
randint = _B.random.randint
dropout = _B.random.dropout
shuffle = _B.random.shuffle
categorical = _B.random.categorical
