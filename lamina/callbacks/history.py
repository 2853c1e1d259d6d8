"""`History`: records the epoch logs; `fit` returns it."""

from lamina.callbacks.callback import Callback
from lamina.legacy.history_keys import HistoryDict


class History(Callback):
    """`history.history[key]` is the list of per-epoch values of `key`
    (`loss`, metrics, `val_` versions); `history.epoch` the epoch indices.
    Lookups also accept Keras 1/2 names (`history.history['acc']` for
    `accuracy`), without adding keys (`lamina.legacy.history_keys`).
    """

    def __init__(self):
        super().__init__()
        self.history = HistoryDict()
        self.epoch = []

    def on_train_begin(self, logs=None):
        self.epoch = []

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)
        if self.model is not None:
            self.model.history = self
