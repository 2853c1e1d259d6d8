"""What `compile(loss=, metrics=, loss_weights=)` becomes: one object that
computes the total loss over all outputs and one that updates the metrics.

Both are built on the first batch, when the shapes of targets and
predictions are known (needed to resolve 'accuracy' as Keras does).
"""

from lamina import losses as losses_module
from lamina import metrics as metrics_module
from lamina.ops._bind import B


def _as_list(structure, names, role):
    """Per-output entries from a single value, a list or a dict."""
    if isinstance(structure, dict):
        unknown = [k for k in structure if k not in names]
        if unknown:
            raise ValueError(f"compile: `{role}` has keys {unknown} that "
                             f"are not output names; outputs are {names}.")
        return [structure.get(n) for n in names]
    if isinstance(structure, (list, tuple)):
        if len(structure) != len(names):
            raise ValueError(f"compile: `{role}` has {len(structure)} "
                             f"entries, but the model has {len(names)} "
                             f"outputs ({names}).")
        return list(structure)
    return [structure] * len(names)


def flat_outputs(y, names):
    """Targets or predictions as a list in output order."""
    if y is None:
        return [None] * len(names)
    if isinstance(y, dict):
        missing = [n for n in names if n not in y]
        if missing:
            raise ValueError(f"Targets for outputs {missing} are missing; "
                             f"got keys {sorted(y)}.")
        return [y[n] for n in names]
    if isinstance(y, (list, tuple)):
        if len(y) != len(names):
            raise ValueError(f"The model has {len(names)} outputs "
                             f"({names}), but {len(y)} targets were given.")
        return list(y)
    return [y]


class CompileLoss:
    """The compiled loss: per-output losses, weighted and summed."""

    def __init__(self, loss, loss_weights=None):
        self.loss = loss
        self.loss_weights = loss_weights
        self.built = False
        self.names = None

    def build(self, output_names):
        self.names = list(output_names)
        entries = _as_list(self.loss, self.names, "loss")
        self.fns = [None if e is None else _loss_object(e)
                    for e in entries]
        if all(f is None for f in self.fns):
            raise ValueError("compile: `loss` gives no loss for any output.")
        weights = self.loss_weights
        self.weights = [1.0] * len(self.names) if weights is None else \
            [1.0 if w is None else float(w)
             for w in _as_list(weights, self.names, "loss_weights")]
        self.trackers = None
        if len([f for f in self.fns if f is not None]) > 1:
            self.trackers = [metrics_module.Mean(name=f"{n}_loss")
                             for n in self.names]
        self.built = True

    def __call__(self, y_true, y_pred, sample_weight=None):
        ys = flat_outputs(y_true, self.names)
        ps = flat_outputs(y_pred, self.names)
        sws = flat_outputs(sample_weight, self.names) \
            if isinstance(sample_weight, (list, tuple, dict)) \
            else [sample_weight] * len(self.names)
        total = None
        for i, (fn, y, p, sw, w) in enumerate(zip(self.fns, ys, ps, sws,
                                                  self.weights)):
            if fn is None:
                continue
            if y is None:
                raise ValueError(f"No target given for output "
                                 f"'{self.names[i]}', which has a loss.")
            value = fn(y, p, sample_weight=sw) if sw is not None \
                else fn(y, p)
            if self.trackers is not None:
                self.trackers[i].update_state(B.stop_gradient(value))
            if w != 1.0:
                value = B.multiply(value, w)
            total = value if total is None else B.add(total, value)
        return total


def _loss_object(entry):
    """A `Loss` instance (which reduces to a scalar) for a compile entry;
    plain functions are wrapped, named as Keras names them."""
    fn = losses_module.get(entry)
    if isinstance(fn, losses_module.Loss):
        return fn
    return losses_module.LossFunctionWrapper(
        fn, name=getattr(fn, "__name__", "loss"))


def _resolve_accuracy(name, loss_fn, y, p):
    """'accuracy' / 'acc' become the accuracy that fits the loss and the
    target and prediction shapes, keeping the name the user wrote."""
    loss_name = getattr(loss_fn, "name", getattr(loss_fn, "__name__", ""))
    y_shape, p_shape = tuple(B.shape(y)), tuple(B.shape(p))
    if "sparse_categorical" in loss_name:
        cls = metrics_module.SparseCategoricalAccuracy
    elif "binary" in loss_name or (p_shape and p_shape[-1] == 1):
        cls = metrics_module.BinaryAccuracy
    elif len(y_shape) < len(p_shape) or (y_shape and y_shape[-1] == 1 and
                                         p_shape[-1] > 1):
        cls = metrics_module.SparseCategoricalAccuracy
    else:
        cls = metrics_module.CategoricalAccuracy
    return cls(name=name)


def _make_metric(entry, loss_fn, y, p):
    if isinstance(entry, str) and entry in ("accuracy", "acc"):
        return _resolve_accuracy(entry, loss_fn, y, p)
    if isinstance(entry, str) and entry in ("crossentropy", "ce"):
        name = getattr(loss_fn, "name", "")
        kind = ("sparse_categorical_crossentropy"
                if "sparse" in name else "binary_crossentropy"
                if "binary" in name else "categorical_crossentropy")
        metric = metrics_module.get(kind)
        metric.name = entry
        return metric
    metric = metrics_module.get(entry)
    if not hasattr(metric, "update_state"):
        metric = metrics_module.MeanMetricWrapper(
            metric, name=getattr(metric, "__name__", "metric"))
    if isinstance(entry, str):
        metric.name = entry  # Keras logs a metric under the string given
    return metric


class CompileMetrics:
    """The compiled metrics, per output, with Keras's naming."""

    def __init__(self, metrics, weighted_metrics):
        self.metrics = metrics
        self.weighted_metrics = weighted_metrics
        self.built = False
        self.all = []

    def _entries(self, spec, names):
        if spec is None:
            return [[] for _ in names]
        if isinstance(spec, dict):
            per = _as_list(spec, names, "metrics")
        elif isinstance(spec, (list, tuple)) and len(names) > 1 and \
                len(spec) == len(names) and all(
                    isinstance(s, (list, tuple)) or s is None for s in spec):
            per = list(spec)
        else:
            per = [spec] * len(names)
        return [[] if s is None else list(s) if isinstance(s, (list, tuple))
                else [s] for s in per]

    def build(self, output_names, loss_fns, y_true, y_pred):
        names = list(output_names)
        ys = flat_outputs(y_true, names)
        ps = flat_outputs(y_pred, names)
        self.plain, self.weighted = [], []
        taken = set()
        for spec, target, weighted in ((self.metrics, self.plain, False),
                                       (self.weighted_metrics, self.weighted,
                                        True)):
            for i, entries in enumerate(self._entries(spec, names)):
                for entry in entries:
                    if ys[i] is None:
                        continue
                    metric = _make_metric(entry, loss_fns[i], ys[i], ps[i])
                    name = metric.name
                    if len(names) > 1:
                        name = f"{names[i]}_{name}"
                    if weighted and name in taken:
                        name = f"weighted_{name}"
                    taken.add(name)
                    metric.name = name
                    target.append((i, metric))
        self.all = [m for _, m in self.plain + self.weighted]
        self.names = names
        self.built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        ys = flat_outputs(y_true, self.names)
        ps = flat_outputs(y_pred, self.names)
        sws = flat_outputs(sample_weight, self.names) \
            if isinstance(sample_weight, (list, tuple, dict)) \
            else [sample_weight] * len(self.names)
        for i, metric in self.plain:
            metric.update_state(ys[i], ps[i])
        for i, metric in self.weighted:
            metric.update_state(ys[i], ps[i], sample_weight=sws[i])

    def reset_state(self):
        for metric in self.all:
            metric.reset_state()
