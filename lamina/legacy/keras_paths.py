"""Which lamina module stands in for each `keras.*` module path, every era.

`MODULES` maps a Keras module path to its sources, tried in order when a
name is looked up. A source is a lamina module path (all its public names)
or `(path, "Name Other")` (only those names). The first source must exist
for the Keras path to import; a later one that is missing only makes its
own names fail, with an error naming it. Keras 1 and 2 split `keras.layers`
into submodules (`keras.layers.core`, `.convolutional`, ...); each of those
simply exposes all of `lamina.layers`.
"""

_EXTRAS = "lamina.legacy.keras_extras"
_LAYERS = "lamina.layers"
_BACKEND = "lamina.legacy.keras_backend"
_SAVING = ("lamina.saving",
           ("CustomObjectScope custom_object_scope "
            "register_keras_serializable serialize_keras_object "
            "deserialize_keras_object"))
_ENGINE = (
    (_LAYERS, "Layer InputSpec Input InputLayer Merge merge"),
    ("lamina.models", "Model Sequential Functional"),
    ("lamina.layers.node", "Node"),
    (_EXTRAS, "Network Container get_source_inputs"),
)

MODULES = {
    "keras": (
        ("lamina", "Input InputSpec Layer Model Sequential"),
        ("lamina.losses", "Loss"),
        ("lamina.metrics", "Metric"),
        ("lamina.optimizers", "Optimizer"),
        ("lamina.regularizers", "Regularizer"),
        ("lamina.initializers", "Initializer"),
        ("lamina.constraints", "Constraint"),
        ("lamina.backend.common.variables", "Variable"),
        (_EXTRAS, "__version__ version KerasTensor"),
    ),
    "keras.models": ("lamina.models", (
        _EXTRAS, "model_from_config model_from_yaml Network")),
    "keras.layers": (_LAYERS,),
    "keras.activations": ("lamina.activations",),
    "keras.backend": (_BACKEND,),
    "keras.callbacks": ("lamina.callbacks",),
    "keras.config": (
        ("lamina.backend", ("backend floatx set_floatx epsilon "
                            "set_epsilon image_data_format "
                            "set_image_data_format")),
        ("lamina.mixed_precision", "dtype_policy set_dtype_policy"),
    ),
    "keras.constraints": ("lamina.constraints",),
    "keras.datasets": ("lamina.datasets",),
    # Keras 3's data-parallel API: DataParallel, set_distribution, ...
    "keras.distribution": ("lamina.distribute",),
    "keras.engine": _ENGINE,
    "keras.initializations": ("lamina.initializations",),
    "keras.initializers": ("lamina.initializers",),
    "keras.losses": ("lamina.losses",),
    "keras.metrics": ("lamina.metrics",),
    "keras.mixed_precision": ("lamina.mixed_precision",),
    "keras.objectives": ("lamina.losses",),
    "keras.ops": ("lamina.ops",),
    "keras.optimizers": ("lamina.optimizers",),
    "keras.optimizers.schedules": ("lamina.optimizers.schedules",),
    # tf.keras 2.3-2.8 kept the dataset makers here too.
    "keras.preprocessing": ("lamina.preprocessing", (
        "lamina.utils", "image_dataset_from_directory "
        "text_dataset_from_directory timeseries_dataset_from_array")),
    "keras.preprocessing.image": ("lamina.preprocessing.image",),
    "keras.preprocessing.sequence": ("lamina.preprocessing.sequence",),
    "keras.preprocessing.text": ("lamina.preprocessing.text",),
    "keras.random": ("lamina.random",),
    "keras.regularizers": ("lamina.regularizers",),
    "keras.saving": ("lamina.saving", (_EXTRAS, "get_custom_objects")),
    "keras.utils": (
        "lamina.utils",
        _SAVING,
        (_EXTRAS, ("get_custom_objects plot_model model_to_dot "
                   "get_source_inputs")),
        ("lamina.utils.file_utils", "get_file"),
        ("lamina.preprocessing.sequence", "pad_sequences"),
        ("lamina.preprocessing.image",
         "load_img img_to_array array_to_img save_img"),
    ),
    "keras.utils.data_utils": (
        ("lamina.utils", "Sequence PyDataset"),
        ("lamina.utils.file_utils", "get_file"),
    ),
    "keras.utils.generic_utils": (
        ("lamina.utils", "Progbar"),
        _SAVING,
        (_EXTRAS, "get_custom_objects"),
    ),
    "keras.utils.layer_utils": (
        ("lamina.utils.summary", "print_summary count_params"),
        (_EXTRAS, "get_source_inputs"),
    ),
    "keras.utils.np_utils": ("lamina.utils.np_utils",),
    "keras.utils.vis_utils": ((_EXTRAS, "plot_model model_to_dot"),),
    "keras.wrappers": ("lamina.wrappers",),
    "keras.wrappers.scikit_learn": ("lamina.wrappers.scikit_learn",),
}

# Keras 1/2 submodules of keras.layers; each exposes all of lamina.layers.
for _name in ("advanced_activations", "convolutional",
              "convolutional_recurrent", "core", "cudnn_recurrent",
              "embeddings", "experimental", "experimental.preprocessing",
              "local", "merge", "noise", "normalization", "pooling",
              "recurrent", "wrappers"):
    MODULES[f"keras.layers.{_name}"] = (_LAYERS,)

# Keras 2's engine modules (tf.keras and keras 2.0 - 2.x spellings).
for _name in ("base_layer", "functional", "input_layer", "input_spec",
              "network", "sequential", "topology", "training"):
    MODULES[f"keras.engine.{_name}"] = _ENGINE

# Keras 2's per-engine backend modules: all the same `K` functions here.
for _name in ("cntk_backend", "common", "tensorflow_backend",
              "theano_backend"):
    MODULES[f"keras.backend.{_name}"] = (_BACKEND,)

# Keras 3's ops submodules, and later Keras 2 optimizer/precision paths.
for _name in ("core", "image", "linalg", "math", "nn", "numpy"):
    MODULES[f"keras.ops.{_name}"] = ("lamina.ops",)
MODULES["keras.optimizers.legacy"] = ("lamina.optimizers",)
MODULES["keras.optimizers.experimental"] = ("lamina.optimizers",)
MODULES["keras.mixed_precision.experimental"] = ("lamina.mixed_precision",)

for _name in ("boston_housing", "california_housing", "cifar10", "cifar100",
              "fashion_mnist", "imdb", "mnist", "reuters"):
    MODULES[f"keras.datasets.{_name}"] = (f"lamina.datasets.{_name}",)
del _name

# Keras 1's `from keras.layers import merge` is a function; Keras 2's
# `keras.layers.merge` is a module. The module is callable as the function,
# so both spellings work whichever was imported first.
CALLABLE = {"keras.layers.merge": ("lamina.legacy.merge", "merge")}


def sources(path):
    """The `[(module, names or None), ...]` sources of a Keras path, or None
    if lamina has no equivalent."""
    entry = MODULES.get(path)
    if entry is None:
        return None
    out = []
    for source in entry:
        if isinstance(source, str):
            out.append((source, None))
        else:
            out.append((source[0], tuple(source[1].split())))
    return out
