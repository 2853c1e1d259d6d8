"""lamina: Keras-style neural networks on PyTorch (default), JAX or NumPy.

>>> import lamina
>>> a = lamina.Input(shape=(4,))
>>> model = lamina.Model(a, lamina.layers.Dense(2)(a))
>>> model.count_params()
10
"""

__version__ = "0.1.0"

from lamina import backend  # noqa: E402  (reads the config first)
from lamina import (  # noqa: E402
    activations, callbacks, constraints, datasets, distribute, initializers,
    layers,
    losses, mixed_precision,
    metrics, models, ops, optimizers, random, regularizers, utils)
from lamina.layers import Input, InputSpec, Layer  # noqa: E402
from lamina.models import Model, Sequential  # noqa: E402

__all__ = [
    "Input", "InputSpec", "Layer", "Model", "Sequential", "__version__",
    "activations", "backend", "callbacks", "constraints", "datasets",
    "distribute",
    "initializers", "mixed_precision",
    "layers", "losses", "metrics", "models", "ops", "optimizers", "random",
    "regularizers", "utils"]
