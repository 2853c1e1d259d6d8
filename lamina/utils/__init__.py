"""`lamina.utils`: helpers around models (Keras's `keras.utils`).

`to_categorical` and `normalize` prepare NumPy data, `set_random_seed`
makes runs repeatable, `Progbar` draws progress, and `print_summary` prints
a model's layer table (what `model.summary()` calls).
`timeseries_dataset_from_array`, `split_dataset`,
`image_dataset_from_directory` and `text_dataset_from_directory` give
`PyDataset`s of NumPy batches where Keras gives `tf.data` datasets.
"""

import random as _py_random

import numpy as _np

from lamina.saving import (
    CustomObjectScope,
    custom_object_scope,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
)
from lamina.utils import np_utils  # the Keras 1 module name
from lamina.utils.dataset_utils import (
    split_dataset,
    timeseries_dataset_from_array,
)
from lamina.utils.directory_datasets import (
    image_dataset_from_directory,
    text_dataset_from_directory,
)
from lamina.utils.file_utils import get_file
from lamina.utils.np_utils import normalize, to_categorical
from lamina.utils.progbar import Progbar
from lamina.utils.py_dataset import PyDataset, Sequence
from lamina.utils.summary import print_summary


def set_random_seed(seed):
    """Seeds every random generator lamina draws from.

    That is Python's `random` (which seeds layers' `SeedGenerator`s made
    without a seed and the shuffling in `fit`), NumPy's global generator
    (which does both under the keras alias, as in Keras 1 and 2) and the
    engine's global generator (unseeded initializers, `lamina.random`
    calls with `seed=None`), so that a script run twice gives the same
    numbers.

    Args:
        seed: an integer in `[0, 2**32)`.

    Example:

    >>> import lamina
    >>> lamina.utils.set_random_seed(1)
    >>> a = lamina.random.uniform((2,))
    >>> lamina.utils.set_random_seed(1)
    >>> b = lamina.random.uniform((2,))
    >>> bool(lamina.ops.all(a == b))
    True
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, _np.integer)):
        raise TypeError(f"set_random_seed: `seed` must be an integer; got "
                        f"{seed!r} (of type {type(seed).__name__}).")
    seed = int(seed)
    if not 0 <= seed < 2**32:
        raise ValueError(f"set_random_seed: `seed` must be in [0, 2**32); "
                         f"got {seed}.")
    from lamina.ops._bind import B
    _py_random.seed(seed)
    _np.random.seed(seed)
    B.random.set_global_seed(seed)


__all__ = [
    "CustomObjectScope",
    "Progbar",
    "PyDataset",
    "Sequence",
    "custom_object_scope",
    "get_custom_objects",
    "get_file",
    "get_registered_name",
    "get_registered_object",
    "image_dataset_from_directory",
    "normalize",
    "np_utils",
    "print_summary",
    "register_keras_serializable",
    "set_random_seed",
    "split_dataset",
    "text_dataset_from_directory",
    "timeseries_dataset_from_array",
    "to_categorical",
]
