"""`LambdaCallback`: a callback made of plain functions."""

from lamina.callbacks.callback import Callback

# Hooks and their arguments: epoch hooks get (epoch, logs), batch hooks
# (batch, logs), the others (logs).
_HOOKS = (
    "on_epoch_begin", "on_epoch_end", "on_train_begin", "on_train_end",
    "on_batch_begin", "on_batch_end", "on_train_batch_begin",
    "on_train_batch_end", "on_test_begin", "on_test_end",
    "on_test_batch_begin", "on_test_batch_end", "on_predict_begin",
    "on_predict_end", "on_predict_batch_begin", "on_predict_batch_end")


class LambdaCallback(Callback):
    """Calls the given functions at the matching points of training.

    Each hook is a function: `on_epoch_begin(epoch, logs)`,
    `on_epoch_end(epoch, logs)`, `on_batch_begin(batch, logs)`,
    `on_batch_end(batch, logs)`, `on_train_begin(logs)`,
    `on_train_end(logs)`, and any other hook by keyword
    (`on_train_batch_end`, `on_test_begin`, `on_predict_batch_end`, ...).
    Only the hooks given are registered, so the training loop doesn't pay
    for a per-batch call that does nothing.

    Args:
        on_epoch_begin: called at the start of each epoch.
        on_epoch_end: called at the end of each epoch.
        on_batch_begin: called before each training batch.
        on_batch_end: called after each training batch.
        on_train_begin: called when training starts.
        on_train_end: called when training ends.
        **kwargs: the other hooks, by name.

    Example:
        >>> seen = []
        >>> cb = LambdaCallback(on_epoch_end=lambda epoch, logs:
        ...                     seen.append(epoch))
        >>> cb.on_epoch_end(0, {})
        >>> seen
        [0]
    """

    def __init__(self, on_epoch_begin=None, on_epoch_end=None,
                 on_batch_begin=None, on_batch_end=None,
                 on_train_begin=None, on_train_end=None, **kwargs):
        super().__init__()
        unknown = sorted(k for k in kwargs if k not in _HOOKS)
        if unknown:
            raise TypeError(f"LambdaCallback: unknown hooks {unknown}; the "
                            f"hooks are {list(_HOOKS)}.")
        hooks = dict(kwargs, on_epoch_begin=on_epoch_begin,
                     on_epoch_end=on_epoch_end, on_batch_begin=on_batch_begin,
                     on_batch_end=on_batch_end, on_train_begin=on_train_begin,
                     on_train_end=on_train_end)
        for alias in ("begin", "end"):
            old, new = f"on_batch_{alias}", f"on_train_batch_{alias}"
            if hooks.get(old) is not None and hooks.get(new) is not None:
                raise ValueError(f"LambdaCallback: got both `{old}` and "
                                 f"`{new}`, which are the same hook; pass "
                                 "only one.")
        self._hooks = {}
        for name, fn in hooks.items():
            if fn is None:
                continue
            if not callable(fn):
                raise TypeError(f"LambdaCallback: `{name}` must be a "
                                f"function, got {fn!r}.")
            # An instance attribute shadows the no-op method, and
            # `CallbackList` registers the hooks found on the instance.
            setattr(self, name, fn)
            self._hooks[name] = fn

    def get_config(self):
        # The hooks are Python functions: the config round-trips in
        # memory but can't be written to JSON.
        return dict(self._hooks)
