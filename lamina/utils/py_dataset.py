"""`PyDataset` (and its Keras 2 name `Sequence`): batches by index.

Subclass it, define `__len__` (the number of batches) and
`__getitem__(index)` (one batch: `x`, `(x, y)` or `(x, y, sample_weight)`),
and pass an instance to `fit` / `evaluate` / `predict`. With `workers > 1`
batches are prepared ahead in threads (or processes with
`use_multiprocessing=True`).
"""


class PyDataset:
    """Base class for datasets served batch by batch.

    Args:
        workers: how many batches to prepare in parallel (1: in the
            training loop itself).
        use_multiprocessing: prepare batches in processes instead of
            threads (the dataset must be usable from a forked process).
        max_queue_size: how many batches may be prepared ahead.

    Example:

    >>> import numpy as np
    >>> class Squares(PyDataset):
    ...     def __len__(self):
    ...         return 3
    ...     def __getitem__(self, i):
    ...         x = np.full((4, 1), float(i), "float32")
    ...         return x, x ** 2
    >>> len(Squares()), Squares()[2][1][0, 0]
    (3, 4.0)
    """

    def __init__(self, workers=1, use_multiprocessing=False,
                 max_queue_size=10):
        if int(workers) < 1 and workers != 0:
            raise ValueError(f"PyDataset: `workers` must be >= 1, got "
                             f"{workers!r}.")
        self._workers = max(int(workers), 1)
        self._use_multiprocessing = bool(use_multiprocessing)
        self._max_queue_size = max(int(max_queue_size), 1)

    @property
    def workers(self):
        return getattr(self, "_workers", 1)

    @property
    def use_multiprocessing(self):
        return getattr(self, "_use_multiprocessing", False)

    @property
    def max_queue_size(self):
        return getattr(self, "_max_queue_size", 10)

    def __getitem__(self, index):
        raise NotImplementedError(  # abstract: subclasses define it
            f"{type(self).__name__} must define __getitem__(index).")

    def __len__(self):
        raise NotImplementedError(  # abstract: subclasses define it
            f"{type(self).__name__} must define __len__().")

    @property
    def num_batches(self):
        return len(self)

    def __iter__(self):
        """The batches, in index order."""
        for index in range(len(self)):
            yield self[index]

    def on_epoch_begin(self):
        """Called at the start of each epoch."""

    def on_epoch_end(self):
        """Called at the end of each epoch (e.g. to reshuffle)."""


# Keras 2's name for the same idea.
Sequence = PyDataset
