"""`CallbackList`: runs a list of callbacks, skipping hooks nobody uses."""

from lamina.callbacks.callback import Callback
from lamina.callbacks.history import History
from lamina.callbacks.progbar_logger import ProgbarLogger
from lamina.distribute import _state as _distribute

_HOOKS = ("on_epoch_begin", "on_epoch_end", "on_train_begin",
          "on_train_end", "on_test_begin", "on_test_end",
          "on_predict_begin", "on_predict_end", "on_train_batch_begin",
          "on_train_batch_end", "on_test_batch_begin", "on_test_batch_end",
          "on_predict_batch_begin", "on_predict_batch_end")


def _overrides(cb, hook):
    """Whether `cb` does something in `hook`: its class overrides the no-op
    method, or the instance holds its own function (`LambdaCallback`)."""
    if hook in getattr(cb, "__dict__", ()):
        return True
    return getattr(type(cb), hook, None) is not getattr(Callback, hook)


class CallbackList:
    """Callbacks in order, a progress bar first and `History` last.

    Only the callbacks that override a batch hook are called per batch,
    so an unused hook costs nothing on the hot path.
    """

    def __init__(self, callbacks=None, add_history=False, add_progbar=False,
                 model=None, **params):
        self.callbacks = list(callbacks or [])
        for cb in self.callbacks:
            if not isinstance(cb, Callback):
                raise TypeError(f"callbacks: expected Callback instances, "
                                f"got {cb!r}.")
        self.history = None
        if add_progbar and not any(isinstance(c, ProgbarLogger)
                                   for c in self.callbacks):
            self.callbacks.insert(0, ProgbarLogger())
        if add_history:
            self.history = next((c for c in self.callbacks
                                 if isinstance(c, History)), None)
            if self.history is None:
                self.history = History()
                self.callbacks.append(self.history)
        if model is not None:
            for cb in self.callbacks:
                cb.set_model(model)
        self.set_params(params)
        self._users = {}
        active = self.callbacks
        if not _distribute.is_chief():  # rank 0 alone prints and writes
            active = [c for c in active
                      if not getattr(c, "_chief_only", False)]
        for hook in _HOOKS:
            users = [c for c in active if _overrides(c, hook)]
            if hook == "on_train_batch_begin":
                users += [c for c in active
                          if _overrides(c, "on_batch_begin")
                          and c not in users]
            if hook == "on_train_batch_end":
                users += [c for c in active
                          if _overrides(c, "on_batch_end")
                          and c not in users]
            self._users[hook] = users

    def set_params(self, params):
        self.params = params
        for cb in self.callbacks:
            cb.set_params(params)

    def set_model(self, model):
        for cb in self.callbacks:
            cb.set_model(model)

    def has(self, hook):
        return bool(self._users[hook])

    def _call(self, hook, *args):
        for cb in self._users[hook]:
            getattr(cb, hook)(*args)

    def on_train_begin(self, logs=None): self._call("on_train_begin", logs)
    def on_train_end(self, logs=None): self._call("on_train_end", logs)
    def on_test_begin(self, logs=None): self._call("on_test_begin", logs)
    def on_test_end(self, logs=None): self._call("on_test_end", logs)

    def on_predict_begin(self, logs=None):
        self._call("on_predict_begin", logs)

    def on_predict_end(self, logs=None):
        self._call("on_predict_end", logs)

    def on_epoch_begin(self, epoch, logs=None):
        self._call("on_epoch_begin", epoch, logs)

    def on_epoch_end(self, epoch, logs=None):
        self._call("on_epoch_end", epoch, logs)

    def on_train_batch_begin(self, batch, logs=None):
        for cb in self._users["on_train_batch_begin"]:
            if _overrides(cb, "on_train_batch_begin"):
                cb.on_train_batch_begin(batch, logs)
            else:
                cb.on_batch_begin(batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        for cb in self._users["on_train_batch_end"]:
            if _overrides(cb, "on_train_batch_end"):
                cb.on_train_batch_end(batch, logs)
            else:
                cb.on_batch_end(batch, logs)

    def on_test_batch_begin(self, batch, logs=None):
        self._call("on_test_batch_begin", batch, logs)

    def on_test_batch_end(self, batch, logs=None):
        self._call("on_test_batch_end", batch, logs)

    def on_predict_batch_begin(self, batch, logs=None):
        self._call("on_predict_batch_begin", batch, logs)

    def on_predict_batch_end(self, batch, logs=None):
        self._call("on_predict_batch_end", batch, logs)
