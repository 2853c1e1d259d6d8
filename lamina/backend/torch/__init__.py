"""The PyTorch backend: every primitive of `lamina.backend.interface`."""

from lamina.backend.torch.core import *  # noqa: F401,F403
from lamina.backend.torch.core import (  # noqa: F401  (underscored names)
    DEVICE, Variable, dtype_name, get_device, jit_by_default, name,
    supports_training,
    to_torch_dtype)
from lamina.backend.torch.math import *  # noqa: F401,F403
from lamina.backend.torch.nn import *  # noqa: F401,F403
from lamina.backend.torch import optimizer_kernels, random  # noqa: F401
from lamina.backend.torch.step import (  # noqa: F401
    compute_output_spec, make_step, no_grad, value_and_grad)
from lamina.backend.torch.conv import *  # noqa: F401,F403
from lamina.backend.torch.image import *  # noqa: F401,F403
from lamina.backend.torch.rnn import *  # noqa: F401,F403
