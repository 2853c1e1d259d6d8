"""Keras 1/2 model methods and arguments, mixed into `Model`.

`fit_generator`, `evaluate_generator` and `predict_generator` are `fit`,
`evaluate` and `predict` on a generator; Keras 1's sample counts
(`samples_per_epoch`, `nb_val_samples`, `val_samples`) become step counts
using the size of the generator's first batch, as Keras 1 ended an epoch
once that many samples were seen. `predict_classes` / `predict_proba` are
Keras 1/2's Sequential methods. `compile(class_mode=)` and
`fit(show_accuracy=)` are accepted where lamina can honour them exactly.
Each old spelling warns once with its modern rewrite.
"""

import functools
import itertools
import math

import numpy as np

from lamina.legacy.arguments import warn_once
from lamina.trainers import data as data_lib
from lamina.trainers.trainer import Trainer

# Keras 1 names of the generator methods' arguments -> Keras 2 names.
_GENERATOR_RENAMES = {"nb_epoch": "epochs", "max_q_size": "max_queue_size",
                      "nb_worker": "workers",
                      "pickle_safe": "use_multiprocessing"}
_DEFAULTS = {"epochs": 1, "max_queue_size": 10, "workers": 1,
             "use_multiprocessing": False}


def _batch_size(batch):
    x = data_lib.unpack(batch)[0]
    first = data_lib.flatten(x)[0]
    return len(first)


def _first_batch_size(source):
    """`(size of the first batch, source to use instead)`: an iterator
    gets the peeked batch put back in front."""
    if hasattr(source, "__getitem__") and hasattr(source, "__len__") and \
            not isinstance(source, (list, tuple)):
        return _batch_size(source[0]), source  # a Sequence / PyDataset
    if iter(source) is not source:  # re-iterable (e.g. a DataLoader)
        return _batch_size(next(iter(source))), source
    first = next(source)
    return _batch_size(first), itertools.chain([first], source)


def _samples_to_steps(method, name, samples, source, steps_name):
    """Steps covering `samples` samples of `source`'s batches."""
    size, source = _first_batch_size(source)
    steps = max(math.ceil(samples / size), 1)
    modern = method.replace("_generator", "")
    warn_once((method, name),
              f"{method}({name}={samples}) counts samples (Keras 1); with "
              f"this generator's batches of {size} write {modern}("
              f"generator, ..., {steps_name}={steps}) (Keras 2 and later "
              "count batches).")
    return steps, source


def _rename(method, kwargs, given):
    """Renames Keras 1 keywords; `given` maps the Keras 2 names to the
    values passed for them (None or the default when not passed)."""
    for old, new in _GENERATOR_RENAMES.items():
        if old in kwargs:
            if new in kwargs or given.get(new) not in (None, _DEFAULTS[new]):
                raise TypeError(f"{method}: got both '{old}' (Keras 1) and "
                                f"'{new}'; pass only '{new}'.")
            value = kwargs.pop(old)
            warn_once((method, old), f"{method}({old}={value!r}) is the "
                      f"Keras 1 spelling; write {method}({new}={value!r}).")
            kwargs[new] = value


def _no_parallel_loading(method, workers, use_multiprocessing):
    if workers not in (0, 1) or use_multiprocessing:
        warn_once((method, "workers"),
                  f"{method}(workers={workers}, use_multiprocessing="
                  f"{use_multiprocessing}) has no effect in lamina: batches "
                  "are drawn from a generator in the training thread (for "
                  "parallel loading use a PyDataset with workers=...).")


def _has_accuracy(spec):
    if spec is None:
        return False
    if isinstance(spec, dict):
        return any(_has_accuracy(v) for v in spec.values())
    if isinstance(spec, (list, tuple)):
        return any(_has_accuracy(v) for v in spec)
    name = spec if isinstance(spec, str) else getattr(
        spec, "name", getattr(spec, "__name__", type(spec).__name__))
    name = str(name).lower()
    return name in ("acc", "accuracy") or name.endswith(("_acc",
                                                         "accuracy"))


def _show_accuracy(model, method, kwargs):
    """Keras 0.x/1's `show_accuracy=True`: fine when accuracy is compiled
    in (it is then reported anyway), else an error with the fix."""
    if "show_accuracy" not in kwargs:
        return
    value = kwargs.pop("show_accuracy")
    if not value:
        warn_once((method, "show_accuracy"), f"{method}(show_accuracy="
                  "False) is the Keras 0.x spelling; remove it.")
        return
    metrics = model._compile_metrics
    if metrics is not None and (_has_accuracy(metrics.metrics) or
                                _has_accuracy(metrics.weighted_metrics)):
        warn_once((method, "show_accuracy"), f"{method}(show_accuracy=True)"
                  " is the Keras 0.x spelling; accuracy is already a "
                  "compiled metric, so remove it.")
        return
    raise ValueError(f"{method}(show_accuracy=True) was removed in Keras 1 "
                     "and the model has no accuracy metric; write compile("
                     "..., metrics=['accuracy']) and drop show_accuracy.")


def _keras1_compile_arguments(args, kwargs):
    """Keras 1/2's `compile(optimizer, loss, metrics, loss_weights)` order
    (Keras 3 puts `loss_weights` third) and Keras 0.x's `class_mode`."""
    if "class_mode" in kwargs:
        mode = kwargs.pop("class_mode")
        warn_once(("compile", "class_mode"),
                  f"compile(class_mode={mode!r}) was removed in Keras 1 and "
                  "has no effect: lamina picks the accuracy (binary or "
                  "categorical) from the loss and the output shape; remove "
                  "it.")
    if len(args) >= 3 and _looks_like_metrics(args[2]):
        if "metrics" in kwargs:
            raise TypeError("compile: got metrics both by position and by "
                            "keyword.")
        warn_once(("compile", "positional-metrics"),
                  "compile(optimizer, loss, metrics) passes metrics by "
                  "position as Keras 1/2 did (Keras 3 has loss_weights "
                  "there); write compile(optimizer, loss, metrics=...).")
        if len(args) > 4:
            raise TypeError("compile: pass the arguments after metrics and "
                            "loss_weights by keyword.")
        kwargs["metrics"] = args[2]
        if len(args) == 4:
            if "loss_weights" in kwargs:
                raise TypeError("compile: got loss_weights both by position "
                                "and by keyword.")
            kwargs["loss_weights"] = args[3]
        args = args[:2]
    return args, kwargs


def _looks_like_metrics(value):
    items = value.values() if isinstance(value, dict) else value \
        if isinstance(value, (list, tuple)) else [value]
    items = list(items)
    return bool(items) and not all(
        isinstance(v, (int, float)) and not isinstance(v, bool)
        for v in items)


class LegacyModelMethods:
    """Keras 1/2 methods and arguments of `Model` (see module docstring)."""

    @functools.wraps(Trainer.compile)
    def compile(self, *args, **kwargs):
        args, kwargs = _keras1_compile_arguments(args, kwargs)
        return super().compile(*args, **kwargs)

    @functools.wraps(Trainer.fit)
    def fit(self, *args, **kwargs):
        _show_accuracy(self, "fit", kwargs)
        if "nb_epoch" in kwargs:
            value = kwargs.pop("nb_epoch")
            if "epochs" in kwargs or len(args) >= 4:
                raise TypeError("fit: got both 'nb_epoch' (Keras 1 "
                                "spelling) and 'epochs'; pass only "
                                "'epochs'.")
            warn_once("fit-nb_epoch", "fit(nb_epoch=...) is the Keras 1 "
                      f"spelling; write fit(epochs={value}).")
            kwargs["epochs"] = value
        return super().fit(*args, **kwargs)

    @functools.wraps(Trainer.evaluate)
    def evaluate(self, *args, **kwargs):
        _show_accuracy(self, "evaluate", kwargs)
        return super().evaluate(*args, **kwargs)

    def fit_generator(self, generator, steps_per_epoch=None, epochs=1,
                      verbose=1, callbacks=None, validation_data=None,
                      validation_steps=None, validation_freq=1,
                      class_weight=None, max_queue_size=10, workers=1,
                      use_multiprocessing=False, shuffle=True,
                      initial_epoch=0, **kwargs):
        """Keras 1/2's `fit_generator`: `fit(generator, ...)`.

        Keras 1's `samples_per_epoch` / `nb_val_samples` count samples:
        they become `steps_per_epoch` / `validation_steps` using the size
        of the first batch. `nb_epoch`, `nb_worker`, `pickle_safe`,
        `max_q_size` are Keras 1's `epochs`, `workers`,
        `use_multiprocessing`, `max_queue_size`; the last three only set
        how Keras prefetched batches and have no effect here. A second
        positional argument is Keras 2's `steps_per_epoch`.
        """
        _rename("fit_generator", kwargs, {
            "epochs": epochs, "workers": workers,
            "max_queue_size": max_queue_size,
            "use_multiprocessing": use_multiprocessing})
        epochs = kwargs.pop("epochs", epochs)
        workers = kwargs.pop("workers", workers)
        use_multiprocessing = kwargs.pop("use_multiprocessing",
                                         use_multiprocessing)
        kwargs.pop("max_queue_size", None)
        samples = kwargs.pop("samples_per_epoch", None)
        val_samples = kwargs.pop("nb_val_samples", None)
        if kwargs:
            raise TypeError(f"fit_generator: unrecognized arguments "
                            f"{sorted(kwargs)}.")
        if samples is not None:
            if steps_per_epoch is not None:
                raise TypeError("fit_generator: got both samples_per_epoch "
                                "(Keras 1) and steps_per_epoch.")
            steps_per_epoch, generator = _samples_to_steps(
                "fit_generator", "samples_per_epoch", samples, generator,
                "steps_per_epoch")
        if val_samples is not None and data_lib.is_generator_like(
                validation_data):
            if validation_steps is not None:
                raise TypeError("fit_generator: got both nb_val_samples "
                                "(Keras 1) and validation_steps.")
            validation_steps, validation_data = _samples_to_steps(
                "fit_generator", "nb_val_samples", val_samples,
                validation_data, "validation_steps")
        if steps_per_epoch is None and not hasattr(generator, "__len__"):
            raise ValueError("fit_generator: a generator needs "
                             "steps_per_epoch (batches per epoch; Keras 1: "
                             "samples_per_epoch, in samples).")
        _no_parallel_loading("fit_generator", workers, use_multiprocessing)
        warn_once(("fit_generator", "method"),
                  "fit_generator(generator, ...) is the Keras 1/2 spelling; "
                  "write fit(generator, steps_per_epoch=..., ...).")
        return self.fit(generator, steps_per_epoch=steps_per_epoch,
                        epochs=epochs, verbose=verbose, callbacks=callbacks,
                        validation_data=validation_data,
                        validation_steps=validation_steps,
                        validation_freq=validation_freq,
                        class_weight=class_weight, shuffle=shuffle,
                        initial_epoch=initial_epoch)

    def evaluate_generator(self, generator, steps=None, max_queue_size=10,
                           workers=1, use_multiprocessing=False, verbose=0,
                           **kwargs):
        """Keras 1/2's `evaluate_generator`: `evaluate(generator, steps=)`;
        Keras 1's `val_samples` counts samples (see `fit_generator`)."""
        generator, steps = self._generator_steps(
            "evaluate_generator", generator, steps, workers,
            use_multiprocessing, kwargs)
        return self.evaluate(generator, steps=steps, verbose=verbose)

    def predict_generator(self, generator, steps=None, max_queue_size=10,
                          workers=1, use_multiprocessing=False, verbose=0,
                          **kwargs):
        """Keras 1/2's `predict_generator`: `predict(generator, steps=)`;
        Keras 1's `val_samples` counts samples (see `fit_generator`)."""
        generator, steps = self._generator_steps(
            "predict_generator", generator, steps, workers,
            use_multiprocessing, kwargs)
        return self.predict(generator, steps=steps, verbose=verbose)

    def _generator_steps(self, method, generator, steps, workers,
                         use_multiprocessing, kwargs):
        _rename(method, kwargs, {"workers": workers,
                                 "use_multiprocessing": use_multiprocessing})
        workers = kwargs.pop("workers", workers)
        use_multiprocessing = kwargs.pop("use_multiprocessing",
                                         use_multiprocessing)
        kwargs.pop("max_queue_size", None)
        samples = kwargs.pop("val_samples", None)
        if kwargs:
            raise TypeError(f"{method}: unrecognized arguments "
                            f"{sorted(kwargs)}.")
        if samples is not None:
            if steps is not None:
                raise TypeError(f"{method}: got both val_samples (Keras 1) "
                                "and steps.")
            steps, generator = _samples_to_steps(method, "val_samples",
                                                 samples, generator, "steps")
        if steps is None and not hasattr(generator, "__len__"):
            raise ValueError(f"{method}: a generator needs `steps` (batches;"
                             " Keras 1: val_samples, in samples).")
        _no_parallel_loading(method, workers, use_multiprocessing)
        modern = method.replace("_generator", "")
        warn_once((method, "method"),
                  f"{method}(generator, ...) is the Keras 1/2 spelling; "
                  f"write {modern}(generator, steps=...).")
        return generator, steps

    def predict_classes(self, x, batch_size=32, verbose=0):
        """Keras 1/2's class predictions: the argmax of the output, or
        `output > 0.5` for a single (sigmoid) output unit."""
        proba = self.predict(x, batch_size=batch_size, verbose=verbose)
        if proba.shape[-1] > 1:
            warn_once(("predict_classes", "argmax"),
                      "predict_classes(x) was removed in Keras 2.6; write "
                      "np.argmax(model.predict(x), axis=-1).")
            return np.argmax(proba, axis=-1)
        warn_once(("predict_classes", "threshold"),
                  "predict_classes(x) was removed in Keras 2.6; write "
                  "(model.predict(x) > 0.5).astype('int32').")
        return (proba > 0.5).astype("int32")

    def predict_proba(self, x, batch_size=32, verbose=0):
        """Keras 1/2's `predict_proba`: the model's output (`predict`)."""
        warn_once(("predict_proba", "method"),
                  "predict_proba(x) was removed in Keras 2.6; write "
                  "model.predict(x).")
        return self.predict(x, batch_size=batch_size, verbose=verbose)
