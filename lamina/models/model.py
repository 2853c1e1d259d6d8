"""`Model`: a layer with training (`compile`/`fit`/...) and saving.

`Model(inputs, outputs)` builds a `Functional` model; subclassing `Model`
and defining `call` makes a subclassed model. The 2016 tutorial's
`Model(input=a, output=b)` spelling is accepted with a warning.
"""

from lamina.layers.layer import Layer
from lamina.legacy.arguments import warn_once
from lamina.legacy.model_methods import LegacyModelMethods
from lamina.trainers.trainer import Trainer


def _functional_args(args, kwargs):
    """Pulls (inputs, outputs) out of Model(...)'s arguments, or None."""
    kwargs = dict(kwargs)
    if "input" in kwargs or "output" in kwargs:
        warn_once("Model-input-output", "Model(input=..., output=...) is the "
                  "Keras 1 spelling; write Model(inputs=..., outputs=...).")
        if "input" in kwargs:
            kwargs["inputs"] = kwargs.pop("input")
        if "output" in kwargs:
            kwargs["outputs"] = kwargs.pop("output")
    if len(args) >= 2:
        kwargs.setdefault("inputs", args[0])
        kwargs.setdefault("outputs", args[1])
        args = args[2:]
    elif len(args) == 1 and "outputs" in kwargs:
        kwargs.setdefault("inputs", args[0])
        args = ()
    if "inputs" in kwargs and "outputs" in kwargs:
        return args, kwargs
    return None


def _free_batch(shape):
    """The shape(s) with the batch axis left free (None)."""
    if isinstance(shape, dict):
        return {k: _free_batch(v) for k, v in shape.items()}
    if isinstance(shape, list):
        return [_free_batch(s) for s in shape]
    return (None,) + tuple(shape[1:]) if shape else shape


def _shape_lists(shape):
    if isinstance(shape, dict):
        return {k: _shape_lists(v) for k, v in shape.items()}
    if isinstance(shape, (list, tuple)) and shape and \
            isinstance(shape[0], (list, tuple, dict)):
        return [_shape_lists(s) for s in shape]
    return list(shape)


class Model(LegacyModelMethods, Trainer, Layer):
    """A trainable graph of layers.

    Example (functional):

    >>> import lamina
    >>> a = lamina.Input(shape=(3,))
    >>> b = lamina.layers.Dense(2)(a)
    >>> model = lamina.Model(inputs=a, outputs=b)
    >>> model.output_shape
    (None, 2)
    """

    def __new__(cls, *args, **kwargs):
        if cls is Model and _functional_args(args, kwargs) is not None:
            from lamina.models.functional import Functional
            return Functional.__new__(Functional)
        return super().__new__(cls)

    def __init__(self, *args, **kwargs):
        from lamina.models.functional import Functional
        found = _functional_args(args, kwargs)
        if found is not None and not isinstance(self, Functional):
            raise TypeError(
                "A subclass of Model was given `inputs` and `outputs`; "
                "subclass `lamina.models.Functional` for that, or define "
                "`call`.")
        Layer.__init__(self, *args, **kwargs)
        Trainer.__init__(self)

    def _build_on_first_call(self, first_input):
        if not self.built:  # kept for saving (`build_config`)
            from lamina.layers.layer import _shapes
            self._build_input_shape = _shapes(first_input)
        super()._build_on_first_call(first_input)

    def get_build_config(self):
        """`{"input_shape": ...}` of the first call (Keras 3's
        `build_config`), or None when the model isn't built that way."""
        shape = getattr(self, "_build_input_shape", None)
        if shape is None:
            return None
        return {"input_shape": _shape_lists(_free_batch(shape))}

    def build_from_config(self, config):
        """Builds a subclassed model from `get_build_config()`'s output by
        calling it once on zeros of that shape (a None axis counts 1)."""
        from lamina.saving.archive import build_from_shape
        build_from_shape(self, config.get("input_shape"))

    def call(self, *args, **kwargs):
        raise NotImplementedError(  # abstract: subclasses define `call`
            f"Model '{self.name}': a subclassed Model must define "
            "`call(self, inputs, training=None)`.")

    @property
    def layers(self):
        return list(self._layers)

    def get_layer(self, name=None, index=None):
        """A layer of the model by `name` or by `index` into `layers`."""
        if index is not None:
            layers = self.layers
            if not -len(layers) <= index < len(layers):
                raise ValueError(f"get_layer: index {index} is out of range "
                                 f"for a model with {len(layers)} layers.")
            return layers[index]
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise ValueError(f"No such layer: '{name}'. Existing layers are: "
                         f"{[l.name for l in self.layers]}.")

    def reset_states(self):
        """Resets the state of every stateful layer (e.g. a stateful LSTM)
        in the model, nested models included."""
        pending = list(self.layers)
        while pending:
            layer = pending.pop()
            if layer is self:
                continue
            if getattr(layer, "stateful", False) and \
                    hasattr(layer, "reset_states"):
                layer.reset_states()
            pending.extend(getattr(layer, "_layers", []))

    def summary(self, line_length=None, positions=None, print_fn=None,
                expand_nested=False, show_trainable=False):
        """Prints a table of the layers, their output shapes, parameter
        counts and connections, with totals."""
        from lamina.utils.summary import print_summary
        print_summary(self, line_length=line_length, positions=positions,
                      print_fn=print_fn, expand_nested=expand_nested,
                      show_trainable=show_trainable)

    # -- saving ------------------------------------------------------------
    def save(self, filepath, overwrite=True, **kwargs):
        """Saves the model (config, weights, optimizer state): a `.keras`
        file (Keras 3's format) or a legacy `.h5` file; Keras 3 loads
        both. `kwargs`: `include_optimizer`, `save_format` (see
        `lamina.saving.save_model`). Under data parallelism rank 0
        writes the file (every rank holds the same weights) and every rank
        returns once it is written."""
        from lamina.distribute import _state
        from lamina.saving.archive import save_model
        _state.chief_writes(lambda: save_model(
            self, filepath, overwrite=overwrite, **kwargs))

    def save_weights(self, filepath, overwrite=True):
        """Saves the weights to a `.weights.h5` file (Keras 3 layout);
        under data parallelism, from rank 0 (as `save`)."""
        from lamina.distribute import _state
        from lamina.saving.archive import save_weights
        _state.chief_writes(lambda: save_weights(
            self, filepath, overwrite=overwrite))

    def load_weights(self, filepath, skip_mismatch=False, by_name=False):
        """Loads weights from a `.weights.h5`, `.keras` or legacy `.h5`
        file; a file that doesn't match raises and changes nothing.
        `by_name=True` (legacy `.h5` only) matches layers by name."""
        from lamina.saving.archive import load_weights
        load_weights(self, filepath, skip_mismatch=skip_mismatch,
                     by_name=by_name)

    def export(self, filepath, format="onnx", verbose=True, **kwargs):
        """Exports the model for serving (inference only).

        Args:
            filepath: where to write, e.g. 'model.onnx'.
            format: 'onnx' (through the engine's own exporter; needs the
                torch backend and the `onnx` package).
            verbose: print where the file was written.
            **kwargs: `input_signature` (shapes with None for free
                axes), `opset_version`.
        """
        from lamina.saving.export import export_model
        export_model(self, filepath, format=format, verbose=verbose,
                     **kwargs)

    def to_json(self, **kwargs):
        """The model's config as JSON (see `models.model_from_json`);
        `kwargs` go to `json.dumps`."""
        from lamina.saving.archive import model_to_json
        return model_to_json(self, **kwargs)

    def get_config(self):
        return {"name": self.name, "trainable": self.trainable}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        if "input_layers" in config and "layers" in config:
            from lamina.models.functional import Functional
            from lamina.models.functional_config import \
                functional_from_config
            return functional_from_config(
                cls if issubclass(cls, Functional) else Functional, config,
                custom_objects)
        return cls(**config)
