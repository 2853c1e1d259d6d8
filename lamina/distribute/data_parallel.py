"""`DataParallel`: the same model on every process or device, each given
its part of every batch, the gradients averaged."""

from lamina import backend
from lamina.backend.common.errors import BackendCannotTrainError
from lamina.distribute import _state


class DataParallel:
    """Data-parallel training on the engine's own distributed runtime.

    On the torch backend, one process per GPU (or per CPU worker), started
    by `torchrun`: the environment it sets (RANK, WORLD_SIZE, LOCAL_RANK,
    MASTER_ADDR, MASTER_PORT) names the process group, which is started
    here unless the script started it: NCCL when lamina runs on CUDA (each
    process on `cuda:LOCAL_RANK`), else Gloo. Gradients are all-reduced
    each step; metrics are summed over processes when logs are read;
    progress bars and files (`ModelCheckpoint`, `CSVLogger`,
    `TensorBoard`, `BackupAndRestore`) come from rank 0 only. Run as a
    plain script (no torchrun variables), it is a group of one.

    On the JAX backend, one process drives a 1-D `jax.sharding.Mesh` of
    `devices` with the axis 'batch': each batch is split over the devices
    and the weights are replicated; the jitted step all-reduces by itself.

    `batch_size` in `fit`/`evaluate`/`predict` is the global batch (as in
    Keras 3): with N replicas each computes about `batch_size / N` rows,
    and training takes the same steps as one process with `batch_size`.

    On torch: arrays are split by lamina (every rank cuts the same
    shuffled global batches and keeps its rows); a generator, `PyDataset`
    or DataLoader is taken to be each process's own shard and must give
    every process the same number of batches. The epoch logs (and so
    `History`, `EarlyStopping`, `ReduceLROnPlateau`, `CSVLogger`) hold
    metrics over all processes; the logs a batch hook sees, and the live
    progress bar, are rank 0's own until the epoch ends, since reading
    global values there would synchronize every step. A callback that
    stops training from a batch hook must decide alike on every rank.
    `predict` returns all rows, in order, on every rank. `train_on_batch`
    and custom loops calling `value_and_grad` average the gradients of the
    processes' own batches.

    Args:
        devices: JAX only: the devices of the mesh (default all of
            `jax.devices()`).
        timeout: seconds a collective waits for the other processes before
            failing with `lamina.distribute.DistributedError` (a dead or
            hung rank); torch only.

    Example:

    >>> import lamina
    >>> strategy = lamina.distribute.DataParallel()
    >>> strategy.rank
    0
    """

    def __init__(self, devices=None, timeout=300.0):
        if isinstance(timeout, bool) or \
                not isinstance(timeout, (int, float)) or not timeout > 0:
            raise ValueError(f"DataParallel: `timeout` must be a positive "
                             f"number of seconds, got {timeout!r}.")
        name = backend.backend()
        if name == "torch":
            if devices is not None:
                raise ValueError(
                    "DataParallel(devices=...) is for the JAX backend; on "
                    "torch each process takes one device: launch one "
                    "process per device with torchrun.")
            from lamina.backend.torch.distribute import ProcessGroup
            from lamina.distribute._processes import ProcessRuntime
            self._engine = ProcessGroup(timeout)
            self._runtime = ProcessRuntime(self._engine)
        elif name == "jax":
            from lamina.backend.jax.distribute import DeviceMesh
            self._engine = DeviceMesh(devices)
            self._runtime = _MeshRuntime(self._engine)
        else:
            raise BackendCannotTrainError(
                f"DataParallel needs a backend that trains; '{name}' runs "
                "inference only. Use LAMINA_BACKEND=torch or jax.")
        self.timeout = float(timeout)

    @property
    def rank(self):
        """This process's rank (0 on JAX's single controller)."""
        return self._engine.rank

    @property
    def num_replicas(self):
        """Processes (torch) or mesh devices (JAX) sharing each batch."""
        return self._engine.world

    @property
    def mesh(self):
        """The `jax.sharding.Mesh` (JAX backend); None on torch."""
        return getattr(self._engine, "mesh", None)

    def scope(self):
        """A context in which this distribution is in force, as with
        `set_distribution`; a model compiled inside keeps using it."""
        return _state._scope(self)

    # -- what fit, evaluate and predict call ----------------------------------
    def _data(self, source, model, kind):
        """`source` as this replica iterates it ('train', 'test' or
        'predict')."""
        return self._runtime.data(source, model, kind)

    def _start_fit(self, model, initial_epoch):
        """Makes every replica start from the same state (after callbacks
        restored a backup); returns the epoch to start at."""
        self._activate()
        return self._runtime.start_fit(model, initial_epoch)

    def _step(self, step_fn, model):
        """The training step as this replica runs it."""
        return self._runtime.step(step_fn, model)

    def _global_logs(self, model, logs, source):
        """`logs` over all replicas (read once per epoch/evaluation)."""
        return self._runtime.global_logs(model, logs, source)

    def _gather(self, result, source):
        """The predictions of all replicas, in order, on every one."""
        return self._runtime.gather(result, source)

    def _barrier(self):
        """Waits for every process (torch; JAX has one controller)."""
        barrier = getattr(self._engine, "barrier", None)
        if barrier is not None:
            barrier()

    def _activate(self):
        self._engine.activate()

    def _deactivate(self):
        self._engine.deactivate()

    def __repr__(self):
        return f"<DataParallel {self._engine.describe()}>"


class _MeshRuntime:
    """The trainer hooks for a JAX `DeviceMesh`: batches placed split over
    the mesh, state replicated; nothing to reduce or gather (one process
    holds the global arrays)."""

    def __init__(self, mesh):
        self.mesh = mesh

    def data(self, source, model, kind):
        return _Placed(source, self.mesh, model)

    def step(self, step_fn, model):
        return step_fn

    def start_fit(self, model, initial_epoch):
        self.mesh.replicate(_state_variables(model))
        return initial_epoch

    def global_logs(self, model, logs, source):
        return logs

    def gather(self, result, source):
        return result


class _Placed:
    """Batches of `source` placed on the mesh; after the first batch (which
    creates optimizer slots and metric state), that state is replicated
    too."""

    def __init__(self, source, mesh, model):
        self.source = source
        self.mesh = mesh
        self.model = model
        self.steps = source.steps

    def peek(self):
        return self.source.peek()

    def __iter__(self):
        first = True
        for batch in self.source:
            yield self.mesh.place_batch(batch)
            if first:
                first = False
                self.mesh.replicate(_state_variables(self.model))


def _state_variables(model):
    out = list(model.weights)
    optimizer = getattr(model, "optimizer", None)
    if optimizer is not None:
        out += optimizer.variables
    for metric in getattr(model, "metrics", ()):
        out += metric.variables
    return out
