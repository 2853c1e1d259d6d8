"""Torch backend: the torch.distributed collectives data parallelism uses.

Loaded only when a `lamina.distribute.DataParallel` is made on the torch
backend, so `import lamina` never imports this. `ProcessGroup` starts (or
joins) the process group that `torchrun` describes in the environment
(RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT): NCCL when lamina
runs on CUDA, each process on `cuda:LOCAL_RANK`; Gloo on CPU. Every
collective runs under the group's timeout, and a failure (a peer that
died or hung) comes out as `lamina.distribute.DistributedError`.
"""

import atexit
import contextlib
import datetime
import os

import torch
import torch.distributed as dist

from lamina.backend.common.seed import make_default_seed
from lamina.backend.torch import core
from lamina.backend.torch import step as step_lib
from lamina.distribute._state import DistributedError

# Gradients are all-reduced in flat buckets of about this many bytes: few
# calls for a small model, bounded extra memory for a large one (the size
# DistributedDataParallel uses, `bucket_cap_mb=25`).
_BUCKET_BYTES = 25 * 2 ** 20
_LAUNCH_VARS = ("RANK", "WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT")


class ProcessGroup:
    """This process's place in the torch.distributed process group.

    Args:
        timeout: seconds a collective waits for the other processes before
            failing.
    """

    def __init__(self, timeout):
        self.timeout = float(timeout)
        self.share = None  # (rows here, rows in the global batch)
        if not dist.is_available():
            raise RuntimeError("lamina.distribute: this torch build has no "
                               "torch.distributed; install a standard "
                               "torch wheel.")
        self.local_rank = int(os.environ.get("LOCAL_RANK", "0"))
        if not dist.is_initialized() and \
                any(k not in os.environ for k in _LAUNCH_VARS):
            # A plain `python script.py`: one process, no group.
            self.rank, self.world, self.backend = 0, 1, None
            return
        self._choose_gpu()
        if not dist.is_initialized():
            # For messages until the group answers.
            self.rank = int(os.environ["RANK"])
            self.world = int(os.environ["WORLD_SIZE"])
            self._start()
        self.rank = dist.get_rank()
        self.world = dist.get_world_size()
        self.backend = dist.get_backend()

    def _choose_gpu(self):
        if core.DEVICE.type != "cuda":
            return
        # One GPU per process: everything lamina creates from now on goes
        # to cuda:LOCAL_RANK (a GPU named in the config is kept only when
        # this machine runs one process), and a bare 'cuda' (used by NCCL's
        # object collectives) follows set_device.
        alone = int(os.environ.get("LOCAL_WORLD_SIZE", "1")) == 1
        device = core.DEVICE if alone and core.DEVICE.index is not None \
            else torch.device("cuda", self.local_rank)
        torch.cuda.set_device(device)
        core.DEVICE = device

    def _start(self):
        backend = "nccl" if core.DEVICE.type == "cuda" else "gloo"
        with self._collective("init_process_group"):
            dist.init_process_group(
                backend=backend,
                timeout=datetime.timedelta(seconds=self.timeout))
        # The group lamina started is ended before the interpreter exits,
        # as torch asks: left to static destructors, Gloo's threads can
        # abort the process at exit ("terminate called ...").
        atexit.register(_end_group)

    def describe(self):
        return (f"rank {self.rank} of {self.world} ({self.backend}, "
                f"{core.DEVICE})")

    # -- errors -------------------------------------------------------------
    @contextlib.contextmanager
    def _collective(self, what):
        try:
            yield
        except DistributedError:
            raise
        except RuntimeError as error:
            others = [r for r in range(getattr(self, "world", 0))
                      if r != getattr(self, "rank", -1)]
            if len(others) == 1:
                suspect = f"rank {others[0]} likely died or hung"
            elif others:
                suspect = (f"one of ranks {others} likely died or hung "
                           "(its own log names the cause)")
            else:
                suspect = "a peer process likely died or hung"
            raise DistributedError(
                f"lamina.distribute: {what} failed on rank "
                f"{getattr(self, 'rank', '?')}: {suspect}; the process "
                f"group timeout is {self.timeout:g} s "
                f"(DataParallel(timeout=...)). Cause: "
                f"{type(error).__name__}: {error}") from error

    # -- collectives ----------------------------------------------------------
    def barrier(self):
        """Returns when every process has reached it."""
        if self.world > 1:
            with self._collective("barrier"):
                dist.barrier()

    def broadcast_ints(self, values):
        """`values` (ints) as rank 0 has them."""
        tensor = torch.tensor(list(values), dtype=torch.int64,
                              device=core.DEVICE)
        with self._collective("broadcast"):
            dist.broadcast(tensor, 0)
        return [int(v) for v in tensor.tolist()]

    def shuffle_seed(self):
        """A seed drawn on rank 0 (as a single process would draw it) and
        shared with every rank, so all ranks cut the same permutation."""
        seed = make_default_seed() if self.rank == 0 else 0
        return self.broadcast_ints([seed])[0]

    def broadcast_variables(self, variables):
        """Sets every variable to rank 0's value (one call per dtype)."""
        for group in _by_dtype(variables):
            flat = torch.cat([_raw(v).reshape(-1) for v in group])
            with self._collective("broadcast (weights)"):
                dist.broadcast(flat, 0)
            _write_back(group, flat)

    def sum_variables(self, variables, mean=()):
        """All-reduces the variables in place: the sum over ranks, or the
        mean for the variables in `mean` (a set of ids)."""
        for group in _by_dtype(variables):
            flat = torch.cat([_raw(v).reshape(-1) for v in group])
            with self._collective("all_reduce (metrics)"):
                dist.all_reduce(flat)
            _write_back(group, flat, [id(v) in mean for v in group],
                        self.world)

    def all_gather(self, obj):
        """`[obj of rank 0, obj of rank 1, ...]` on every rank."""
        out = [None] * self.world
        with self._collective("all_gather_object (predict)"):
            dist.all_gather_object(out, obj)
        return out

    @torch.compiler.disable
    def reduce_gradients(self, grads):
        """The gradients averaged over ranks, each rank weighted by its
        share of the global batch (`share`) or equally; one all-reduce per
        bucket, all in flight together."""
        share = self.share
        factor = share[0] / share[1] if share else 1.0 / self.world
        out = list(grads)
        pending = []
        with torch.no_grad(), self._collective("all_reduce (gradients)"):
            for index in _buckets(out):
                flat = torch.cat([out[i].reshape(-1) for i in index])
                flat.mul_(factor)
                pending.append((index, flat,
                                dist.all_reduce(flat, async_op=True)))
            for index, flat, work in pending:
                work.wait()
                sizes = [out[i].numel() for i in index]
                for i, piece in zip(index, flat.split(sizes)):
                    out[i] = piece.view_as(out[i])
        return out

    def zero_gradients(self, variables):
        return [torch.zeros_like(_raw(v)) for v in variables]

    # -- switching on and off -------------------------------------------------
    def activate(self):
        if self.world > 1:
            step_lib._reduce_gradients = self.reduce_gradients

    def deactivate(self):
        if step_lib._reduce_gradients == self.reduce_gradients:
            step_lib._reduce_gradients = None

    def move_to_device(self, variables):
        """Variables made before the group chose this process's GPU are
        moved onto it."""
        for v in variables:
            if v.value.device != core.DEVICE:
                v._value = v.value.detach().to(core.DEVICE)
                v._value.requires_grad_(False)
                v._set_trainable_flag()


def _end_group():
    if dist.is_initialized():
        dist.destroy_process_group()


def _raw(variable):
    value = variable.value.detach()
    return value.to(torch.uint8) if value.dtype == torch.bool else value


def _by_dtype(variables):
    groups = {}
    for v in variables:
        groups.setdefault(str(_raw(v).dtype), []).append(v)
    return list(groups.values())


def _write_back(group, flat, means=None, world=1):
    sizes = [v.value.numel() for v in group]
    for k, (v, piece) in enumerate(zip(group, flat.split(sizes))):
        if means is not None and means[k]:
            piece = piece / world if piece.is_floating_point() \
                else piece // world
        v.assign(piece.view(v.shape).to(v.value.dtype))


def _buckets(tensors):
    """Indices of `tensors` grouped by dtype and device, in order, each
    group cut into runs of about `_BUCKET_BYTES`."""
    out, open_buckets = [], {}
    for i, t in enumerate(tensors):
        key = (t.dtype, t.device)
        bucket = open_buckets.get(key)
        if bucket is None:
            bucket = open_buckets[key] = [[], 0]
            out.append(bucket)
        bucket[0].append(i)
        bucket[1] += t.numel() * t.element_size()
        if bucket[1] >= _BUCKET_BYTES:
            del open_buckets[key]
    return [b[0] for b in out]

