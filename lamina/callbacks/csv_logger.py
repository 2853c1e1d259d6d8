"""`CSVLogger`: writes each epoch's logs as a row of a CSV file."""

import collections.abc
import csv
import os

import numpy as np

from lamina.callbacks.callback import Callback


def _cell(value):
    """A log value as a CSV cell: lists become "[a, b]"."""
    if isinstance(value, str):
        return value
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return value.item()
    if isinstance(value, collections.abc.Iterable):
        return f'"[{", ".join(map(str, value))}]"'
    return value


class CSVLogger(Callback):
    """Streams the epoch results to a CSV file.

    The columns are 'epoch' (counted from 0) and the keys of the first
    epoch's logs, sorted; a key missing in a later epoch is written as
    'NA'. The file is flushed after every row.

    Args:
        filename: the CSV file, e.g. 'run/log.csv'.
        separator: the string between fields.
        append: True appends to an existing file (the header is written
            only if the file is empty); False overwrites it.

    Example:
        >>> logger = CSVLogger("/tmp/training.log")
        >>> logger.sep
        ','
    """

    # Under data parallelism only rank 0 runs it (lamina.distribute).
    _chief_only = True

    def __init__(self, filename, separator=",", append=False):
        super().__init__()
        try:
            self.filename = os.fspath(filename)
        except TypeError:
            raise TypeError(f"CSVLogger: `filename` must be a string or "
                            f"path, got {filename!r}.") from None
        if not isinstance(separator, str) or len(separator) != 1:
            raise ValueError(f"CSVLogger: `separator` must be a single "
                             f"character, got {separator!r}.")
        self.sep = separator
        self.append = bool(append)
        self.writer = None
        self.keys = None
        self.append_header = True
        self.csv_file = None

    def on_train_begin(self, logs=None):
        mode = "w"
        if self.append:
            mode = "a"
            if os.path.exists(self.filename):
                with open(self.filename) as f:
                    self.append_header = not f.readline()
        self._close()
        # Open across fit (closed in on_train_end), so no `with` block.
        self.csv_file = open(self.filename, mode, newline="")  # noqa: SIM115
        self.writer = None
        self.keys = None

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if self.csv_file is None:  # used outside fit: open on first use
            self.on_train_begin()
        if self.keys is None:
            self.keys = sorted(logs)
        if self.writer is None:
            dialect = type("_Dialect", (csv.excel,),
                           {"delimiter": self.sep})
            self.writer = csv.DictWriter(
                self.csv_file, fieldnames=["epoch"] + self.keys,
                dialect=dialect)
            if self.append_header:
                self.writer.writeheader()
        row = {"epoch": epoch}
        row.update((key, _cell(logs.get(key, "NA"))) for key in self.keys)
        self.writer.writerow(row)
        self.csv_file.flush()

    def on_train_end(self, logs=None):
        self._close()
        self.writer = None

    def _close(self):
        if self.csv_file is not None and not self.csv_file.closed:
            self.csv_file.close()
        self.csv_file = None

    def get_config(self):
        return {"filename": self.filename, "separator": self.sep,
                "append": self.append}
