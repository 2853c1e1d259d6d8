"""`History.history` answering Keras 1/2 metric names.

Keras 1 and 2 (before 2.3) logged `metrics=['accuracy']` as `acc` /
`val_acc`; Keras 3 (and lamina) log `accuracy`. Programs of every era read
`history.history['acc']`. `HistoryDict` is a plain dict of what was logged,
whose lookups (`[]`, `get`, `in`) also understand the other era's name of
a metric; iterating, printing and saving show only the logged keys.
"""

# Each pair names one metric in two eras; either finds the other.
_PAIRS = (("acc", "accuracy"), ("mse", "mean_squared_error"),
          ("mae", "mean_absolute_error"),
          ("mape", "mean_absolute_percentage_error"),
          ("msle", "mean_squared_logarithmic_error"))
_ALIASES = {}
for _a, _b in _PAIRS:
    _ALIASES[_a] = _b
    _ALIASES[_b] = _a
del _a, _b


def _alternatives(key):
    """Other spellings of `key`, e.g. 'val_acc' -> ['val_accuracy'] and
    'dense_1_acc' -> ['dense_1_accuracy']."""
    if not isinstance(key, str):
        return []
    out = []
    for name, other in _ALIASES.items():
        if key == name:
            out.append(other)
        elif key.endswith("_" + name):
            out.append(key[:-len(name)] + other)
    return out


class HistoryDict(dict):
    """A dict of per-epoch values whose lookups accept Keras 1/2 names."""

    def _resolve(self, key):
        if dict.__contains__(self, key):
            return key
        for other in _alternatives(key):
            if dict.__contains__(self, other):
                return other
        return key

    def __getitem__(self, key):
        return dict.__getitem__(self, self._resolve(key))

    def __contains__(self, key):
        return dict.__contains__(self, self._resolve(key))

    def get(self, key, default=None):
        return dict.get(self, self._resolve(key), default)
