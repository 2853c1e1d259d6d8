"""`ProgbarLogger`: the progress bar that `fit` shows with `verbose=1`."""

from lamina.callbacks.callback import Callback
from lamina.utils.progbar import Progbar


class ProgbarLogger(Callback):
    """Prints a progress bar per epoch (on a terminal), or one line per
    epoch (when output goes to a file or pipe, or with `verbose=2`)."""

    # Under data parallelism only rank 0 runs it (lamina.distribute).
    _chief_only = True

    def __init__(self):
        super().__init__()
        self.progbar = None
        self.epochs = 1
        self.verbose = 1
        self.target = None

    def set_params(self, params):
        super().set_params(params)
        self.verbose = params.get("verbose", 1)
        self.epochs = params.get("epochs", 1)
        self.target = params.get("steps")

    def _start(self, target=None):
        self.progbar = Progbar(target=target, verbose=self.verbose)

    def on_train_begin(self, logs=None):
        self._training = True

    def on_epoch_begin(self, epoch, logs=None):
        if self.verbose:
            print(f"Epoch {epoch + 1}/{self.epochs}", flush=True)
        self._start(self.target)

    def on_train_batch_end(self, batch, logs=None):
        self.progbar.update(batch + 1, logs)

    def on_epoch_end(self, epoch, logs=None):
        if self.progbar is not None:
            self.progbar.finish(logs)

    def on_test_begin(self, logs=None):
        if not getattr(self, "_training", False):
            self._start(self.params.get("steps"))

    def on_test_batch_end(self, batch, logs=None):
        if not getattr(self, "_training", False):
            self.progbar.update(batch + 1, logs)

    def on_test_end(self, logs=None):
        if not getattr(self, "_training", False):
            self.progbar.finish(logs)

    def on_predict_begin(self, logs=None):
        self._start(self.params.get("steps"))

    def on_predict_batch_end(self, batch, logs=None):
        self.progbar.update(batch + 1, None)

    def on_predict_end(self, logs=None):
        self.progbar.finish(None)

    def on_train_end(self, logs=None):
        self._training = False
