"""`lamina.distribute`: data-parallel training on several processes,
machines or devices.

The torch backend runs on `torch.distributed`: launch the unchanged script
with `torchrun --nproc_per_node=N script.py` and `fit` detects the process
group from the environment. The JAX backend splits each batch over a
device mesh: `set_distribution(DataParallel())` (as Keras 3's
`keras.distribution.set_distribution`). Either way `batch_size` is the
global batch, so N replicas train as one process would, only faster.

Public names: `DataParallel`, `set_distribution`, `distribution`,
`is_chief`, `rank`, `world_size`, `DistributedError`.

Importing this package loads no engine: the torch.distributed or
`jax.sharding` side is imported when a `DataParallel` is made.
"""

from lamina.distribute._state import (
    DistributedError,
    distribution,
    is_chief,
    rank,
    set_distribution,
    world_size,
)
from lamina.distribute.data_parallel import DataParallel

__all__ = ["DataParallel", "DistributedError", "distribution", "is_chief",
           "rank", "set_distribution", "world_size"]
