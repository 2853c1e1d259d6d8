"""The JAX backend: every primitive of `lamina.backend.interface`.

Importing it switches on JAX's 64-bit types (`jax_enable_x64`) so that
float64 works when asked for; lamina's default float stays `floatx`.
"""

from lamina.backend.jax import random  # noqa: F401
from lamina.backend.jax.core import *
from lamina.backend.jax.core import (  # noqa: F401  (underscored names)
    DEVICE,
    Variable,
    get_device,
    jit_by_default,
    name,
    supports_training,
    to_jax_dtype,
)
from lamina.backend.jax.math import *
from lamina.backend.jax.nn import *
from lamina.backend.jax.spec import compute_output_spec  # noqa: F401

from lamina.backend.jax.step import (  # noqa: F401
    make_step, no_grad, value_and_grad)
from lamina.backend.jax.conv import *  # noqa: F401,F403
from lamina.backend.jax.image import *  # noqa: F401,F403
from lamina.backend.jax.rnn import *  # noqa: F401,F403
