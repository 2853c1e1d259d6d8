"""The NumPy backend: every primitive of `lamina.backend.interface`.

The reference backend: plain NumPy code that defines what each primitive
means. It predicts and evaluates; it does not train (no gradients).
"""

from lamina.backend.numpy import random  # noqa: F401
from lamina.backend.numpy.core import *
from lamina.backend.numpy.core import (  # noqa: F401  (underscored names)
    Variable,
    get_device,
    jit_by_default,
    name,
    supports_training,
    to_numpy_dtype,
)
from lamina.backend.numpy.math import *
from lamina.backend.numpy.nn import *
from lamina.backend.numpy.step import (  # noqa: F401
    compute_output_spec,
    make_step,
    no_grad,
    value_and_grad,
)
from lamina.backend.numpy.conv import *  # noqa: F401,F403
from lamina.backend.numpy.image import *  # noqa: F401,F403
from lamina.backend.numpy.rnn import *  # noqa: F401,F403
