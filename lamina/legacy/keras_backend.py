"""`keras.backend` of Keras 1 and 2 (`from keras import backend as K`).

The functions old programs call as `K.<name>`, written on `lamina.ops` so
they run on torch, JAX and NumPy alike. They take tensors, `Variable`s or
NumPy arrays. Called on symbolic tensors while drawing a model (`K.mean(z)`
on a layer's output) they record a layer, as Keras 2 with TensorFlow did.

Differences from Keras, all where a graph engine had no eager equivalent:

- `shape(x)` is the static shape, a tuple of ints (Keras: a tensor).
- `function(inputs, outputs)` draws a functional `Model` between the
  symbolic tensors; `learning_phase()` among the inputs sets `training`.
- `gradients`, `placeholder`, `get_session`, `set_session`, `K.tf` and
  `function(..., updates=...)` raise `GraphOnlyError` saying what to write.
- The loss functions take `(target, output)`, Keras 2's order. Keras 1's
  `categorical_crossentropy(output, target)` positional order is not
  detected: pass keywords (`target=..., output=...`) in old code.
- `backend()` names lamina's engine: 'torch', 'jax' or 'numpy'.

The functions live in four parts, all re-exported here:
`keras_backend_math.py` (tensor math, shapes, `dot`, `batch_dot`),
`keras_backend_nn.py` (activations, losses, random, convolution, `rnn`),
`keras_backend_variables.py` (variables and their values) and
`keras_backend_graph.py` (`function`, the learning phase, graph errors).
"""

from lamina import backend as _config
from lamina.legacy.arguments import warn_once as _warn_once
from lamina.legacy.keras_backend_graph import *
from lamina.legacy.keras_backend_graph import ENGINE_MODULES as _ENGINES
from lamina.legacy.keras_backend_graph import GraphOnlyError
from lamina.legacy.keras_backend_math import *
from lamina.legacy.keras_backend_nn import *
from lamina.legacy.keras_backend_variables import *

# -- settings (lamina.backend's, under Keras's names) -------------------

floatx = _config.floatx
set_floatx = _config.set_floatx
epsilon = _config.epsilon
set_epsilon = _config.set_epsilon
image_data_format = _config.image_data_format
set_image_data_format = _config.set_image_data_format
normalize_data_format = _config.standardize_data_format


def backend():
    """The engine lamina runs on: 'torch', 'jax' or 'numpy'."""
    return _config.backend()


def image_dim_ordering():
    """Keras 1's name for the image layout: 'th' (channels first) or
    'tf' (channels last)."""
    _warn_once("K.image_dim_ordering",
              "K.image_dim_ordering() is the Keras 1 spelling; write "
              "K.image_data_format() ('channels_first' / 'channels_last').")
    return "th" if _config.image_data_format() == "channels_first" \
        else "tf"


def set_image_dim_ordering(dim_ordering):
    """Keras 1's setter: 'th' means channels first, 'tf' channels last."""
    formats = {"th": "channels_first", "tf": "channels_last"}
    if dim_ordering not in formats:
        raise ValueError(f"set_image_dim_ordering: expected 'th' or 'tf', "
                         f"got {dim_ordering!r}.")
    _warn_once("K.set_image_dim_ordering",
              f"K.set_image_dim_ordering({dim_ordering!r}) is the Keras 1 "
              f"spelling; write K.set_image_data_format("
              f"{formats[dim_ordering]!r}).")
    _config.set_image_data_format(formats[dim_ordering])


def __getattr__(name):
    if name in _ENGINES:
        raise GraphOnlyError(
            f"keras.backend.{name} was the graph engine's module (TensorFlow "
            f"or Theano); lamina runs on {_config.backend()} and has none. "
            "Write tensor code with lamina.ops (Keras 3's keras.ops names) "
            "or the keras.backend functions.")
    if name.startswith("__"):
        raise AttributeError(name)
    raise AttributeError(
        f"keras.backend has no function {name!r} in lamina "
        "(lamina.legacy.keras_backend). Write it with lamina.ops, whose "
        "names are Keras 3's keras.ops.")
