"""JAX backend: a 1-D device mesh for data parallelism.

Loaded only when a `lamina.distribute.DataParallel` is made on the JAX
backend. Each batch is placed split along its first axis over the mesh's
'batch' axis (`NamedSharding(mesh, P('batch'))`) and the state (weights,
optimizer slots, metric state) replicated on every device. The jitted
step, given sharded inputs, then computes the gradient of the loss over
the whole global batch: XLA inserts the all-reduce itself.
"""

import jax
import numpy as np
from jax.sharding import Mesh, NamedSharding, PartitionSpec

AXIS = "batch"


class DeviceMesh:
    """The devices the batch is split over.

    Args:
        devices: JAX devices or names such as 'cpu:0', 'gpu:1' (Keras 3's
            spelling), or None for `jax.devices()`.
    """

    def __init__(self, devices=None):
        devices = [_device(d) for d in (
            jax.devices() if devices is None else devices)]
        if not devices:
            raise ValueError("DataParallel: `devices` is empty; give JAX "
                             "devices, or None for all of them.")
        self.devices = devices
        self.mesh = Mesh(np.array(devices), (AXIS,))
        self.world = len(devices)
        self.rank = jax.process_index()
        self._split = NamedSharding(self.mesh, PartitionSpec(AXIS))
        self._whole = NamedSharding(self.mesh, PartitionSpec())

    def describe(self):
        kinds = sorted({d.platform for d in self.devices})
        return f"{self.world} {'/'.join(kinds)} device(s), axis '{AXIS}'"

    def place_batch(self, batch):
        """The arrays of `batch` split over the mesh along their first
        axis; an array whose length the mesh size does not divide (a last,
        smaller batch) is replicated instead: the same result, computed on
        every device."""
        return jax.tree_util.tree_map(self._place, batch)

    def _place(self, x):
        if not hasattr(x, "shape"):
            return x
        split = x.ndim and x.shape[0] % self.world == 0
        return jax.device_put(x, self._split if split else self._whole)

    def replicate(self, variables):
        """Puts a full copy of each variable on every device."""
        for v in variables:
            v._value = jax.device_put(v._value, self._whole)

    def activate(self):
        pass  # nothing to switch on: the jitted step reduces by itself

    def deactivate(self):
        pass


def _device(spec):
    if not isinstance(spec, str):
        return spec
    kind, _, index = spec.lower().partition(":")
    kind = {"cuda": "gpu"}.get(kind, kind)
    try:
        return jax.devices(kind)[int(index or 0)]
    except (RuntimeError, ValueError, IndexError):
        raise ValueError(f"DataParallel: no JAX device {spec!r}; JAX sees "
                         f"{jax.devices()}.") from None
