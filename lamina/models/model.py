"""`Model`: a layer with training (`compile`/`fit`/...) and saving.

`Model(inputs, outputs)` builds a `Functional` model; subclassing `Model`
and defining `call` makes a subclassed model. The 2016 tutorial's
`Model(input=a, output=b)` spelling is accepted with a warning.
"""

from lamina.layers.layer import Layer
from lamina.legacy.arguments import warn_once
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


class Model(Trainer, Layer):
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
    def save(self, filepath, overwrite=True):
        """Saves the model (config, weights, optimizer state) to a `.keras`
        file that Keras 3 can load too."""
        from lamina.saving.archive import save_model
        save_model(self, filepath, overwrite=overwrite)

    def save_weights(self, filepath, overwrite=True):
        """Saves the weights to a `.weights.h5` file (Keras 3 layout)."""
        from lamina.saving.archive import save_weights
        save_weights(self, filepath, overwrite=overwrite)

    def load_weights(self, filepath, skip_mismatch=False):
        """Loads weights from a `.weights.h5`, `.keras` or Keras 2 `.h5`
        file; a file that doesn't match raises and changes nothing."""
        from lamina.saving.archive import load_weights
        load_weights(self, filepath, skip_mismatch=skip_mismatch)

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
