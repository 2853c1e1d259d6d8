"""Batches from a `PyDataset` (or any object with `__len__` and
`__getitem__` returning batches), optionally prepared ahead by workers.

Workers never outlive the epoch: the pool is shut down in a `finally`
when the epoch's iteration ends, also when training stops early, so `fit`
can't hang at an epoch boundary.
"""

import concurrent.futures
import multiprocessing
import random as _py_random

from lamina.backend.common.seed import make_default_seed
from lamina.trainers import data as data_lib

_WORKER_DATASET = None


def _set_worker_dataset(dataset):
    global _WORKER_DATASET
    _WORKER_DATASET = dataset


def _worker_item(index):
    return _WORKER_DATASET[index]


class PyDatasetData:
    """Iterates a dataset's batches once per epoch.

    Args:
        dataset: the `PyDataset` (or Keras `Sequence`-like object).
        shuffle: visit the batches in a new random order every epoch.
        class_weight: `{class: weight}` turned into sample weights.
        steps: at most this many batches per epoch.
    """

    def __init__(self, dataset, shuffle=False, class_weight=None,
                 steps=None):
        self.dataset = dataset
        self.shuffle = bool(shuffle)
        self.convert = data_lib.GeneratorData(iter(()),
                                              class_weight=class_weight)
        count = len(dataset)
        self.steps = count if steps is None else min(int(steps), count)

    def peek(self):
        """The first batch, e.g. to build a model on."""
        return self.convert._convert(self.dataset[0])

    def _order(self):
        order = list(range(self.steps))
        if self.shuffle:
            _py_random.Random(make_default_seed()).shuffle(order)
        return order

    def __iter__(self):
        dataset = self.dataset
        hook = getattr(dataset, "on_epoch_begin", None)
        if hook is not None:
            hook()
        try:
            workers = getattr(dataset, "workers", 1)
            if workers <= 1:
                for index in self._order():
                    yield self.convert._convert(dataset[index])
            elif getattr(dataset, "use_multiprocessing", False):
                yield from self._from_processes(workers)
            else:
                yield from self._from_threads(workers)
        finally:
            hook = getattr(dataset, "on_epoch_end", None)
            if hook is not None:
                hook()

    def _from_threads(self, workers):
        ahead = max(getattr(self.dataset, "max_queue_size", 10), workers)
        pool = concurrent.futures.ThreadPoolExecutor(workers)
        order = self._order()
        pending = []
        try:
            position = 0
            while position < len(order) and len(pending) < ahead:
                pending.append(pool.submit(self.dataset.__getitem__,
                                           order[position]))
                position += 1
            while pending:
                batch = pending.pop(0).result()
                if position < len(order):
                    pending.append(pool.submit(self.dataset.__getitem__,
                                               order[position]))
                    position += 1
                yield self.convert._convert(batch)
        finally:
            for future in pending:
                future.cancel()
            pool.shutdown(wait=True, cancel_futures=True)

    def _from_processes(self, workers):
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() \
            else "spawn"
        context = multiprocessing.get_context(method)
        pool = context.Pool(workers, initializer=_set_worker_dataset,
                            initargs=(self.dataset,))
        try:
            for batch in pool.imap(_worker_item, self._order()):
                yield self.convert._convert(batch)
        finally:
            pool.terminate()
            pool.join()


def is_py_dataset(x):
    return hasattr(x, "__getitem__") and hasattr(x, "__len__") and \
        not hasattr(x, "__array__") and not isinstance(
            x, (list, tuple, dict, str, bytes))
