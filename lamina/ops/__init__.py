"""`lamina.ops`: the array API that layers, losses and metrics are written in.

Names follow Keras 3's `keras.ops` (which follow NumPy). The primitives are
bound straight to the chosen backend's functions at import, so an op call
is one Python call; composite ops (`lamina.ops.nn`, `lamina.ops.math`) are
written once on top of them.
"""

from lamina.backend import interface as _interface
from lamina.ops._bind import B as _B

for _name in _interface.PRIMITIVES:
    # tests/backend/test_interface.py checks that every backend has every
    # primitive; binding what exists keeps a partial backend importable.
    if hasattr(_B, _name):
        globals()[_name] = getattr(_B, _name)
del _name

from lamina.ops.math import *  # noqa: E402,F401,F403
from lamina.ops.nn import *  # noqa: E402,F401,F403
