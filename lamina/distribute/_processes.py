"""Data parallelism over processes (torch.distributed): what `fit`,
`evaluate` and `predict` do differently, written against `lamina.ops`
and the engine's `ProcessGroup` collectives.

- Arrays: every process cuts the same global batches (`batch_size` is the
  global batch) from the same permutation (the seed is drawn on rank 0 as
  one process would draw it and broadcast once per epoch), and keeps its
  slice: rows `[m*r//N, m*(r+1)//N)` of a global batch of `m` rows. The
  gradients are averaged weighted by each slice's share of the global
  batch, so that N processes take exactly the steps one process would.
- Generators and datasets are used as they are: each process's source is
  taken to be its own shard (as with torch's `DistributedSampler`), and
  the gradients are averaged equally.
- Metric state is summed over the processes once, when the epoch's (or the
  evaluation's) logs are read; never per step.
"""

import numpy as np

from lamina.ops._bind import B
from lamina.trainers import data as data_lib


class ProcessRuntime:
    """The trainer hooks for a `ProcessGroup`."""

    def __init__(self, group):
        self.group = group

    # -- data ---------------------------------------------------------------
    def data(self, source, model, kind):
        group = self.group
        if group.world == 1:
            return source
        if not isinstance(source, data_lib.ArrayData):
            return _OwnShard(source)
        if kind == "predict":
            return _predict_block(source, group)
        return _GlobalBatches(source, group, kind == "train")

    # -- fit ------------------------------------------------------------------
    def step(self, step_fn, model):
        """`step_fn` run with this process's share of each global batch
        set for the gradient average; an empty share (a last global batch
        smaller than N) joins the average with zero gradients."""
        group = self.group
        if group.world == 1:
            return step_fn
        last = {}

        def step(batch):
            share = getattr(batch, "share", None)
            group.share = share
            try:
                if share is None:
                    logs = step_fn(batch)
                elif share[0] == 0:
                    _empty_step(model, group)
                    logs = last.get("logs") or model.get_metrics_result()
                else:
                    logs = step_fn(tuple(batch))
            finally:
                group.share = None
            last["logs"] = logs
            return logs
        return step

    def start_fit(self, model, initial_epoch):
        """Rank 0's weights (and, once built, optimizer state) and resume
        epoch to every rank; returns the epoch to start at."""
        group = self.group
        if group.world == 1:
            return initial_epoch
        optimizer = model.optimizer
        weights = list(model.weights)
        group.move_to_device(weights + list(optimizer.variables)
                             + [v for m in model.metrics
                                for v in m.variables])
        size = sum(int(np.prod(v.shape)) for v in weights)
        epoch, built, size_0 = group.broadcast_ints(
            [initial_epoch, int(optimizer.built), size])
        if size != size_0:
            from lamina.distribute._state import DistributedError
            raise DistributedError(
                f"lamina.distribute: the model on rank {group.rank} has "
                f"{size} weight values, rank 0's has {size_0}: every "
                "process must build the same model.")
        if built and not optimizer.built:
            from lamina.saving import weights as weights_lib
            weights_lib.build_optimizer(model)
        if built:  # rank 0 decides whether optimizer state is sent
            weights = weights + list(optimizer.variables)
        group.broadcast_variables(weights)
        return epoch

    # -- logs -----------------------------------------------------------------
    def global_logs(self, model, logs, source):
        """`logs` with each metric's result over all processes."""
        if not getattr(source, "reduce_metrics", False):
            return logs
        metrics = {m.name: m for m in model.metrics}
        variables = [v for m in metrics.values() for v in m.variables
                     if v.aggregation in ("sum", "mean")]
        self.group.sum_variables(
            variables, {id(v) for v in variables if v.aggregation == "mean"})
        keys = list(logs)
        return {k: metrics[k].result() if k in metrics else logs[k]
                for k in keys}

    def gather(self, result, source):
        """Every rank's block of predictions, in rank order."""
        if not getattr(source, "gather", False):
            return result
        return _concatenate(self.group.all_gather(result))


class _GlobalBatches:
    """This process's slice of each global batch of an `ArrayData`."""

    def __init__(self, data, group, training):
        self.data = data
        self.group = group
        self.training = training
        self.steps = data.steps
        # With fewer samples (or a smaller global batch) than processes,
        # every process takes each global batch whole: the gradients are
        # the same everywhere, and the metrics are not summed.
        self.split = min(data.num_samples, data.batch_size) >= group.world
        self.reduce_metrics = self.split

    def peek(self):
        return self.data.peek()

    def __iter__(self):
        data, group = self.data, self.group
        n, size = data.num_samples, data.batch_size
        world, rank = group.world, group.rank
        if data.shuffle:
            rng = np.random.default_rng(group.shuffle_seed())
            perm = B.convert_to_tensor(rng.permutation(n).astype("int64"))

            def cut(a, lo, hi):
                return B.take(a, perm[lo:hi], axis=0)
        else:
            def cut(a, lo, hi):
                return a[lo:hi]
        structures = (data.x, data.y, data.sample_weight)
        piece = data_lib.slice_structure
        for step in range(self.steps):
            lo = step * size
            hi = min(lo + size, n)
            if not self.split:
                yield tuple(piece(s, cut, lo, hi) for s in structures)
                continue
            rows = hi - lo
            lo, hi = lo + rows * rank // world, \
                lo + rows * (rank + 1) // world
            if lo == hi:  # a last global batch smaller than N
                if self.training:
                    yield _Slice((None, None, None), (0, rows))
                continue
            yield _Slice(tuple(piece(s, cut, lo, hi) for s in structures),
                         (hi - lo, rows))


class _Slice(tuple):
    """A batch, with its rows' share of the global batch:
    `(rows here, rows in all)`."""

    def __new__(cls, batch, share):
        out = super().__new__(cls, batch)
        out.share = share
        return out


def _empty_step(model, group):
    """Joins the gradient all-reduce with no rows (weight 0) and applies
    the averaged gradients, as every other process does."""
    variables = getattr(model, "_trainable_for_step", None)
    if variables is None:
        variables = model.trainable_variables
    grads = group.reduce_gradients(group.zero_gradients(variables))
    with B.no_grad():
        model.optimizer.apply(grads, variables)


class _OwnShard:
    """A generator or dataset: this process's own shard, as it is."""

    reduce_metrics = True

    def __init__(self, source):
        self.source = source
        self.steps = source.steps

    def peek(self):
        return self.source.peek()

    def __iter__(self):
        return iter(self.source)


class _Block(data_lib.ArrayData):
    """This process's contiguous block of rows, for `predict`."""

    gather = True


def _predict_block(data, group):
    n, world, rank = data.num_samples, group.world, group.rank
    if n < world:
        return data  # every process predicts everything
    n = min(n, data.steps * data.batch_size)  # predict(steps=...)
    lo, hi = n * rank // world, n * (rank + 1) // world

    def part(a):
        return a[lo:hi]
    size = -(-data.batch_size // world)
    return _Block(data_lib.map_structure(part, data.x),
                  batch_size=max(size, 1))


def _concatenate(parts):
    first = parts[0]
    if isinstance(first, dict):
        return {k: _concatenate([p[k] for p in parts]) for k in first}
    if isinstance(first, (list, tuple)):
        return [_concatenate([p[i] for p in parts])
                for i in range(len(first))]
    return np.concatenate([np.asarray(p) for p in parts], axis=0)
