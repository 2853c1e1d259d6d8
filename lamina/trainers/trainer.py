"""`Trainer`: compile, fit, evaluate and predict, once for every backend.

The steps (`train_step`, `test_step`, `predict_step`) are written in
`lamina.ops`; the backend supplies `value_and_grad` and `make_step`, which
runs a step eagerly (torch), under `torch.compile`, or jitted (JAX). The
loop here owns epochs, batching, validation, callbacks and `History`.
Nothing in the loop reads a device value per step: the progress bar reads
the logs only when it redraws, and epoch logs are read once per epoch.
"""

import contextlib
import functools

from lamina import metrics as metrics_module
from lamina import optimizers
from lamina.backend.common.errors import BackendCannotTrainError
from lamina.callbacks.callback_list import CallbackList
from lamina.distribute import _state as _distribute
from lamina.layers.node import sorted_keys
from lamina.models import graph_values
from lamina.ops._bind import B
from lamina.trainers import data as data_lib
from lamina.trainers.compile_utils import CompileLoss, CompileMetrics
from lamina.trainers.py_dataset_adapter import PyDatasetData, is_py_dataset
from lamina.utils.progbar import to_float


def _check_backend_trains():
    if not B.supports_training:
        raise BackendCannotTrainError(
            f"The '{B.name}' backend runs inference only (predict and "
            "evaluate); it can't train. Choose a backend that can: "
            "LAMINA_BACKEND=torch or LAMINA_BACKEND=jax.")


def _verbose(verbose):
    return 1 if verbose == "auto" else int(verbose)


def _executions(source, step_fn, per_run):
    """Yields `(first_step, last_step, run)` for each execution: `run()`
    runs the step on the execution's `per_run` batches (fewer at the end)
    and returns the last step's logs."""
    if per_run == 1:
        for step, batch in enumerate(source):
            yield step, step, functools.partial(step_fn, batch)
        return
    run_many = getattr(step_fn, "run_many", None)

    def run(group):
        if run_many is not None:
            return run_many(group)
        for batch in group:
            logs = step_fn(batch)
        return logs
    group, first = [], 0
    for step, batch in enumerate(source):
        group.append(batch)
        if len(group) == per_run:
            yield first, step, functools.partial(run, group)
            group, first = [], step + 1
    if group:
        yield first, first + len(group) - 1, functools.partial(run, group)


class Trainer:
    """The training API mixed into `Model`."""

    def __init__(self):
        self.compiled = False
        self.optimizer = None
        self.loss = None
        self._compile_loss = None
        self._loss_reads_graph = False
        self._compile_metrics = None
        self._loss_tracker = None
        self.stop_training = False
        self.history = None
        self._step_fns = {}
        # As `compile(jit_compile="auto")` would: an uncompiled model's
        # `predict` is jitted on JAX (as in Keras 3), eager on torch.
        self.jit_compile = bool(getattr(B, "jit_by_default", False))
        self.run_eagerly = False
        self.steps_per_execution = 1

    # -- compile ------------------------------------------------------------
    def compile(self, optimizer="rmsprop", loss=None, loss_weights=None,
                metrics=None, weighted_metrics=None, run_eagerly=False,
                steps_per_execution=1, jit_compile="auto",
                auto_scale_loss=True, sample_weight_mode=None, **kwargs):
        """Configures the model for training.

        Args:
            optimizer: an optimizer name ('adam', 'sgd', ...) or instance.
            loss: a loss name, function or instance; or a list/dict with
                one per output.
            loss_weights: scalars weighting each output's loss.
            metrics: metric names/objects ('accuracy' is resolved from the
                loss and shapes), or a list/dict of them per output.
            weighted_metrics: metrics that receive `sample_weight`.
            run_eagerly: run steps without compilation (debugging).
            jit_compile: True compiles the step (torch.compile, jax.jit).
            steps_per_execution: batches run per execution in `fit` and
                `evaluate`; batch callbacks are called once per execution
                (with the execution's first and last step indices). On JAX
                one jitted call runs them all (a scan over the batches);
                torch runs them back to back.
            auto_scale_loss: under the 'mixed_float16' dtype policy, wrap
                the optimizer in a `LossScaleOptimizer`.
        """
        if "metric" in kwargs:
            raise TypeError("compile: unknown argument 'metric'; did you "
                            "mean `metrics=`?")
        if kwargs:
            raise TypeError(f"compile: unrecognized arguments "
                            f"{sorted(kwargs)}.")
        if sample_weight_mode not in (None, "temporal"):
            raise ValueError(f"compile: sample_weight_mode must be None or "
                             f"'temporal', got {sample_weight_mode!r}.")
        self.optimizer = optimizers.get(optimizer)
        policy = getattr(self, "dtype_policy", None)
        if auto_scale_loss and self.optimizer is not None and \
                policy is not None and policy.name == "mixed_float16":
            from lamina.mixed_precision import LossScaleOptimizer
            if not isinstance(self.optimizer, LossScaleOptimizer):
                self.optimizer = LossScaleOptimizer(
                    self.optimizer, name="loss_scale_optimizer")
        self.loss = loss
        self._compile_loss = CompileLoss(loss, loss_weights) \
            if loss is not None else None
        # A Keras 1/2 loss function may read the model's graph tensors
        # (`def vae_loss(x, y): ... z_mean ...`): each step then captures
        # their values for it (see lamina.models.graph_values).
        self._loss_reads_graph = any(
            graph_values.reads_graph_tensors(fn)
            for fn in data_lib.flatten(loss) if callable(fn))
        self._compile_metrics = CompileMetrics(metrics, weighted_metrics)
        self._loss_tracker = metrics_module.Mean(name="loss")
        self.run_eagerly = bool(run_eagerly)
        if jit_compile == "auto":
            jit_compile = getattr(B, "jit_by_default", False)
        self.jit_compile = bool(jit_compile) and not run_eagerly
        if isinstance(steps_per_execution, bool) or \
                not isinstance(steps_per_execution, int) or \
                steps_per_execution < 1:
            raise ValueError(f"compile: steps_per_execution must be a "
                             f"positive integer, got "
                             f"{steps_per_execution!r}.")
        self.steps_per_execution = steps_per_execution
        self._step_fns = {}
        self._distribution = _distribute.explicit()
        self.compiled = True

    def _assert_compiled(self, what):
        if not self.compiled:
            raise RuntimeError(f"You must call `compile()` before "
                               f"`{what}()`.")

    @property
    def metrics(self):
        out = []
        if self._loss_tracker is not None:
            out.append(self._loss_tracker)
        if self._compile_loss is not None and self._compile_loss.built \
                and self._compile_loss.trackers:
            out.extend(self._compile_loss.trackers)
        if self._compile_metrics is not None:
            out.extend(self._compile_metrics.all)
        return out

    @property
    def metrics_names(self):
        return [m.name for m in self.metrics]

    def reset_metrics(self):
        for m in self.metrics:
            m.reset_state()

    def _output_names(self):
        names = getattr(self, "output_names", None)
        if names:
            return list(names)
        return ["output"]

    def _build_compiled(self, y, y_pred):
        """Builds the loss and metrics objects on the first batch."""
        names = self._output_names()
        flat_pred = data_lib.flatten(y_pred)
        if len(names) != len(flat_pred):
            if isinstance(y_pred, dict) and all(
                    not isinstance(v, (dict, list, tuple))
                    for v in y_pred.values()):
                names = sorted_keys(y_pred)  # a subclassed model's dict
            elif len(flat_pred) > 1:
                names = [f"output_{i}" for i in range(len(flat_pred))]
            else:
                names = ["output"]
        if self._compile_loss is not None and not self._compile_loss.built:
            self._compile_loss.build(names)
        if not self._compile_metrics.built:
            fns = self._compile_loss.fns if self._compile_loss is not None \
                else [None] * len(names)
            self._compile_metrics.build(names, fns, y, y_pred)

    # -- steps (written once, in lamina.ops) ----------------------------
    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None,
                     training=True):
        """The compiled loss of `y_pred` against `y`, plus the model's own
        losses (weight penalties, activity penalties, `add_loss`)."""
        total = None
        if self._compile_loss is not None:
            if y is None:
                raise ValueError("The model was compiled with a loss, but "
                                 "no targets `y` were given.")
            total = self._compile_loss(y, y_pred, sample_weight)
        for extra in self.losses:
            if len(B.shape(extra)):  # Keras 3 sums a non-scalar term
                extra = B.sum(extra)
            total = extra if total is None else B.add(total, extra)
        if total is None:
            raise ValueError("No loss to minimize: compile with `loss=`, "
                             "or add losses in the model with `add_loss`.")
        return total

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        """Updates the compiled metrics; returns the logs dict."""
        if y is not None:
            self._compile_metrics.update_state(y, y_pred, sample_weight)
        return self.get_metrics_result()

    def get_metrics_result(self):
        """The logs: each metric's result, computed when first read (the
        progress bar reads them only when it redraws)."""
        return _LazyLogs(self.metrics)

    def _track_loss(self, loss, x):
        # The loss tracker is a Mean weighted by batch size (as Keras's);
        # updated directly, two in-place adds instead of Mean's general
        # weighting path, since this runs every step.
        size = B.shape(data_lib.flatten(x)[0])[0]
        tracker = self._loss_tracker
        tracker.total.assign_add(B.multiply(loss, float(size)))
        tracker.count.assign_add(float(size))

    def train_step(self, data):
        """One optimization step on a batch; returns the logs."""
        x, y, sample_weight = data_lib.unpack(data)
        variables = getattr(self, "_trainable_for_step", None)
        if variables is None:
            variables = self.trainable_variables

        def forward():
            with self._graph_values(training=True):
                y_pred = self(x, training=True)
                if not self._compile_metrics.built:
                    self._build_compiled(y, y_pred)
                loss = self.compute_loss(x=x, y=y, y_pred=y_pred,
                                         sample_weight=sample_weight,
                                         training=True)
            # The gradients are of the scaled loss (loss scaling; the
            # optimizer unscales them); the logs show the loss itself.
            return self.optimizer.scale_loss(loss), (loss, y_pred)

        (_, (loss, y_pred)), grads = B.value_and_grad(forward, variables)
        self.optimizer.apply(grads, variables)
        with B.no_grad():
            self._track_loss(loss, x)
            return self.compute_metrics(x, y, y_pred, sample_weight)

    def test_step(self, data):
        """Computes loss and metrics on a batch; returns the logs."""
        x, y, sample_weight = data_lib.unpack(data)
        with self._graph_values(training=False):
            y_pred = self(x, training=False)
            if not self._compile_metrics.built:
                self._build_compiled(y, y_pred)
            if self._compile_loss is not None or self.losses:
                loss = self.compute_loss(x=x, y=y, y_pred=y_pred,
                                         sample_weight=sample_weight,
                                         training=False)
                self._track_loss(loss, x)
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def _graph_values(self, training):
        """Where a step runs: a `graph_values.capture` when the compiled
        loss reads the model's graph tensors, else nothing."""
        if self._loss_reads_graph:
            return graph_values.capture(training=training)
        return contextlib.nullcontext()

    def predict_step(self, data):
        x, _, _ = data_lib.unpack(data)
        return self(x, training=False)

    def _step(self, kind):
        fn = self._step_fns.get(kind)
        if fn is None:
            body = {"train": self.train_step, "test": self.test_step,
                    "predict": self.predict_step}[kind]
            fn = B.make_step(body, jit_compile=self.jit_compile, kind=kind)
            self._step_fns[kind] = fn
        return fn

    def _build_on(self, source):
        """A subclassed model creates its weights on its first call: make
        that call on the first batch before any step runs."""
        if self.built:
            return
        x = data_lib.unpack(source.peek())[0]
        with B.no_grad():
            self(x)
        self.built = True

    # -- data -----------------------------------------------------------------
    def _make_data(self, x, y, sample_weight, batch_size, shuffle,
                   class_weight, steps):
        if data_lib.is_generator_like(x):
            if y is not None:
                raise ValueError("When `x` is a generator or dataset, `y` "
                                 "must not be given: the generator yields "
                                 "(x, y) batches.")
            if is_py_dataset(x):
                return PyDatasetData(x, shuffle=shuffle,
                                     class_weight=class_weight, steps=steps)
            return data_lib.GeneratorData(x, steps=steps,
                                          class_weight=class_weight)
        return data_lib.ArrayData(x, y, sample_weight,
                                  batch_size=batch_size or 32,
                                  shuffle=shuffle, class_weight=class_weight,
                                  steps=steps)

    # -- fit --------------------------------------------------------------------
    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto",
            callbacks=None, validation_split=0.0, validation_data=None,
            shuffle=True, class_weight=None, sample_weight=None,
            initial_epoch=0, steps_per_epoch=None, validation_steps=None,
            validation_batch_size=None, validation_freq=1, **kwargs):
        """Trains the model for `epochs` epochs; returns a `History`.

        (Keras 1/2 arguments such as `nb_epoch=` are translated by
        `lamina.legacy.model_methods` before this runs.)
        """
        if kwargs:
            raise TypeError(f"fit: unrecognized arguments {sorted(kwargs)}.")
        self._assert_compiled("fit")
        _check_backend_trains()
        verbose = _verbose(verbose)
        if validation_split and validation_data is None:
            if data_lib.is_generator_like(x):
                raise ValueError("validation_split is only supported for "
                                 "array inputs; pass `validation_data`.")
            (x, y, sample_weight), validation_data = \
                data_lib.split_validation(x, y, sample_weight,
                                          validation_split)
        train = self._make_data(x, y, sample_weight, batch_size, shuffle,
                                class_weight, steps_per_epoch)
        val = None
        if validation_data is not None:
            val = self._validation_source(validation_data,
                                          validation_batch_size or batch_size,
                                          validation_steps)
        strategy = _distribute.for_model(self)
        if strategy is not None:  # data parallel: this replica's part
            train = strategy._data(train, self, "train")
            if val is not None:
                val = strategy._data(val, self, "test")
        steps = train.steps
        cbs = CallbackList(callbacks, add_history=True,
                           add_progbar=verbose != 0, model=self,
                           epochs=epochs, steps=steps, verbose=verbose)
        self._build_on(train)
        self._trainable_for_step = self.trainable_variables
        step_fn = self._step("train")
        self.stop_training = False
        cbs.on_train_begin()
        # A callback that restores a backup (BackupAndRestore) sets where
        # training resumes.
        resume = getattr(self, "_initial_epoch_override", None)
        if resume is not None:
            del self._initial_epoch_override
            initial_epoch = int(resume)
        if strategy is not None:  # rank 0's state and epoch everywhere
            initial_epoch = strategy._start_fit(self, initial_epoch)
            step_fn = strategy._step(step_fn, self)
        want_batch_logs = cbs.has("on_train_batch_end")
        per_run = self.steps_per_execution
        want_batch_begin = cbs.has("on_train_batch_begin")
        epoch_logs = {}
        for epoch in range(initial_epoch, epochs):
            self.reset_metrics()
            cbs.on_epoch_begin(epoch)
            logs = None
            for first, last, run in _executions(train, step_fn, per_run):
                if want_batch_begin:
                    cbs.on_train_batch_begin(first)
                logs = run()
                if want_batch_logs:
                    cbs.on_train_batch_end(last, logs)
                if self.stop_training:
                    break
            if logs is None:
                raise ValueError("fit: the training data gave no batches "
                                 "(empty arrays or steps_per_epoch=0).")
            if strategy is not None:  # metrics over all replicas
                logs = strategy._global_logs(self, logs, train)
            epoch_logs = {k: to_float(v) for k, v in logs.items()}
            if val is not None and (epoch + 1) % validation_freq == 0:
                val_logs = self._run_evaluate(val, cbs=None)
                epoch_logs.update({f"val_{k}": v
                                   for k, v in val_logs.items()})
            cbs.on_epoch_end(epoch, epoch_logs)
            if self.stop_training:
                break
        cbs.on_train_end(epoch_logs)
        return cbs.history

    def _validation_source(self, validation_data, batch_size, steps):
        if data_lib.is_generator_like(validation_data):
            return self._make_data(validation_data, None, None, batch_size,
                                   False, None, steps)
        if not isinstance(validation_data, (tuple, list)) or \
                len(validation_data) not in (2, 3):
            raise ValueError("validation_data must be (x_val, y_val) or "
                             "(x_val, y_val, val_sample_weight), or a "
                             "generator.")
        vx, vy = validation_data[0], validation_data[1]
        vsw = validation_data[2] if len(validation_data) == 3 else None
        return data_lib.ArrayData(vx, vy, vsw, batch_size=batch_size or 32,
                                  steps=steps)

    # -- evaluate -------------------------------------------------------------
    def _run_evaluate(self, source, cbs):
        self._build_on(source)
        self.reset_metrics()
        step_fn = self._step("test")
        if cbs is not None:
            cbs.on_test_begin()
        want = cbs is not None and cbs.has("on_test_batch_end")
        want_begin = cbs is not None and cbs.has("on_test_batch_begin")
        logs = None
        for first, last, run in _executions(source, step_fn,
                                            self.steps_per_execution):
            if want_begin:
                cbs.on_test_batch_begin(first)
            logs = run()
            if want:
                cbs.on_test_batch_end(last, logs)
        if logs is None:
            raise ValueError("evaluate: the data gave no batches.")
        strategy = _distribute.for_model(self)
        if strategy is not None:  # metrics over all replicas
            logs = strategy._global_logs(self, logs, source)
        logs = {k: to_float(v) for k, v in logs.items()}
        if cbs is not None:
            cbs.on_test_end(logs)
        return logs

    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto",
                 sample_weight=None, steps=None, callbacks=None,
                 return_dict=False, **kwargs):
        """Loss and metrics on the given data: a float if there is only
        the loss, a list in `metrics_names` order, or a dict."""
        if kwargs:
            raise TypeError(f"evaluate: unrecognized arguments "
                            f"{sorted(kwargs)}.")
        self._assert_compiled("evaluate")
        source = self._make_data(x, y, sample_weight, batch_size, False,
                                 None, steps)
        strategy = _distribute.for_model(self)
        if strategy is not None:  # data parallel: this replica's part
            source = strategy._data(source, self, "test")
        verbose = _verbose(verbose)
        cbs = CallbackList(callbacks, add_progbar=verbose != 0, model=self,
                           steps=source.steps, verbose=verbose)
        logs = self._run_evaluate(source, cbs)
        if return_dict:
            return logs
        values = list(logs.values())
        return values[0] if len(values) == 1 else values

    # -- predict ----------------------------------------------------------------
    def predict(self, x, batch_size=None, verbose="auto", steps=None,
                callbacks=None):
        """The model's outputs for `x`, as NumPy arrays (a list or dict of
        arrays for several outputs)."""
        source = self._make_data(x, None, None, batch_size, False, None,
                                 steps)
        strategy = _distribute.for_model(self)
        if strategy is not None:  # data parallel: this replica's rows
            source = strategy._data(source, self, "predict")
        verbose = _verbose(verbose)
        cbs = CallbackList(callbacks, add_progbar=verbose != 0, model=self,
                           steps=source.steps, verbose=verbose)
        self._build_on(source)
        step_fn = self._step("predict")
        cbs.on_predict_begin()
        outputs = []
        want = cbs.has("on_predict_batch_end")
        for step, batch in enumerate(source):
            out = step_fn(batch)
            outputs.append(out)
            if want:
                cbs.on_predict_batch_end(step, {"outputs": out})
        cbs.on_predict_end()
        if not outputs:
            raise ValueError("predict: the data gave no batches.")
        if strategy is not None:  # every replica's rows, in order
            return strategy._gather(_concat_outputs(outputs), source)
        return _concat_outputs(outputs)

    # -- single batches ---------------------------------------------------------
    def train_on_batch(self, x, y=None, sample_weight=None,
                       class_weight=None, return_dict=False):
        """One training step on one batch; returns loss and metrics."""
        _check_backend_trains()
        self._assert_compiled("train_on_batch")
        batch = next(iter(data_lib.ArrayData(
            x, y, sample_weight, batch_size=_num_samples(x),
            class_weight=class_weight)))
        self._build_on(_Single(batch))
        self._trainable_for_step = self.trainable_variables
        logs = self._step("train")(batch)
        return _single_batch_result(logs, return_dict)

    def test_on_batch(self, x, y=None, sample_weight=None,
                      return_dict=False):
        """Loss and metrics on one batch."""
        self._assert_compiled("test_on_batch")
        self.reset_metrics()
        batch = next(iter(data_lib.ArrayData(
            x, y, sample_weight, batch_size=_num_samples(x))))
        logs = self._step("test")(batch)
        return _single_batch_result(logs, return_dict)

    def predict_on_batch(self, x):
        """The model's outputs for one batch, as NumPy arrays."""
        batch = next(iter(data_lib.ArrayData(x, batch_size=_num_samples(x))))
        return _concat_outputs([self._step("predict")(batch)])


class _Single:
    """One ready batch, as a data source that can be peeked."""

    def __init__(self, batch):
        self.batch = batch

    def peek(self):
        return self.batch


class _LazyLogs(dict):
    """A dict of metric results computed on first access of each key."""

    def __init__(self, metrics):
        super().__init__((m.name, None) for m in metrics)
        self._metrics = {m.name: m for m in metrics}

    def __getitem__(self, key):
        value = dict.__getitem__(self, key)
        if value is None:
            value = self._metrics[key].result()
            dict.__setitem__(self, key, value)
        return value

    def get(self, key, default=None):
        return self[key] if key in self else default

    def values(self):
        return [self[k] for k in self]

    def items(self):
        return [(k, self[k]) for k in self]

    def __iter__(self):
        return iter(list(dict.keys(self)))

    def copy(self):
        return dict(self.items())

    def __repr__(self):
        return repr(dict(self.items()))


def _num_samples(x):
    first = data_lib.flatten(data_lib._arrays(x))[0]
    return max(data_lib._length(first), 1)


def _single_batch_result(logs, return_dict):
    logs = {k: to_float(v) for k, v in logs.items()}
    if return_dict:
        return logs
    values = list(logs.values())
    return values[0] if len(values) == 1 else values


def _concat_outputs(outputs):
    first = outputs[0]
    if isinstance(first, dict):
        return {k: _concat_outputs([o[k] for o in outputs]) for k in first}
    if isinstance(first, (list, tuple)):
        return [_concat_outputs([o[i] for o in outputs])
                for i in range(len(first))]
    return B.convert_to_numpy(B.concatenate(outputs, axis=0)
                              if len(outputs) > 1 else outputs[0])
