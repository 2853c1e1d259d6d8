"""Keras 1 and Keras 2 `.h5` model files, written with h5py.

Neither Keras 1 nor Keras 2 (TensorFlow) installs here, so these files are
built from the documented layout: root attributes `model_config` (JSON),
`keras_version`, `backend`, `training_config`; a `model_weights` group with
`layer_names`, and per layer `weight_names` and one dataset per name. The
configs use each era's schema: Keras 2's `inbound_nodes` lists with
kwargs and `batch_input_shape`; Keras 1's `Sequential` list, `Merge`
layer, `output_dim`/`init`/`border_mode`/`dim_ordering` arguments,
`{"name": "WeightRegularizer"}` objects and per-gate LSTM weights.
"""

import json

import h5py


def _write(path, config, weights, version, backend, training=None):
    """`weights`: [(layer_name, [(weight_name, array), ...]), ...]."""
    with h5py.File(path, "w") as f:
        f.attrs["model_config"] = json.dumps(config).encode()
        f.attrs["keras_version"] = version.encode()
        f.attrs["backend"] = backend.encode()
        if training is not None:
            f.attrs["training_config"] = json.dumps(training).encode()
        group = f.create_group("model_weights")
        group.attrs["layer_names"] = [n.encode() for n, _ in weights]
        for layer_name, arrays in weights:
            sub = group.create_group(layer_name)
            sub.attrs["weight_names"] = [n.encode() for n, _ in arrays]
            for name, array in arrays:
                sub.create_dataset(name, data=array)


def _dense(name, units, activation, regularizer=None):
    return {"class_name": "Dense", "config": {
        "name": name, "trainable": True, "dtype": "float32", "units": units,
        "activation": activation, "use_bias": True,
        "kernel_initializer": {"class_name": "GlorotUniform",
                               "config": {"seed": None}},
        "bias_initializer": {"class_name": "Zeros", "config": {}},
        "kernel_regularizer": regularizer, "bias_regularizer": None,
        "activity_regularizer": None, "kernel_constraint": None,
        "bias_constraint": None}}


def _node(*names):
    return [[[name, 0, 0, {}] for name in names]]


def keras2_functional(path, rng):
    """tf.keras 2: two inputs, Dense, GRU (reset gate first), Concatenate,
    compiled with Adam; returns the arrays by layer name."""
    arrays = {
        "dense": [rng.normal(size=(4, 3)), rng.normal(size=3)],
        "gru": [rng.normal(size=(2, 9)), rng.normal(size=(3, 9)),
                rng.normal(size=9)],
        "out": [rng.normal(size=(6, 2)), rng.normal(size=2)],
    }
    arrays = {k: [a.astype("float32") * 0.5 for a in v]
              for k, v in arrays.items()}
    gru = {"class_name": "GRU", "config": {
        "name": "gru", "trainable": True, "dtype": "float32",
        "return_sequences": False, "return_state": False,
        "go_backwards": False, "stateful": False, "unroll": False,
        "time_major": False, "units": 3, "activation": "tanh",
        "recurrent_activation": "sigmoid", "use_bias": True,
        "kernel_initializer": {"class_name": "GlorotUniform",
                               "config": {"seed": None}},
        "recurrent_initializer": {"class_name": "Orthogonal",
                                  "config": {"gain": 1.0, "seed": None}},
        "bias_initializer": {"class_name": "Zeros", "config": {}},
        "dropout": 0.0, "recurrent_dropout": 0.0, "implementation": 2}}
    layers = [
        {"class_name": "InputLayer", "name": "a", "inbound_nodes": [],
         "config": {"batch_input_shape": [None, 4], "dtype": "float32",
                    "sparse": False, "ragged": False, "name": "a"}},
        {"class_name": "InputLayer", "name": "b", "inbound_nodes": [],
         "config": {"batch_input_shape": [None, 5, 2], "dtype": "float32",
                    "sparse": False, "ragged": False, "name": "b"}},
        dict(_dense("dense", 3, "relu", {"class_name": "L2",
                                          "config": {"l2": 0.01}}),
             name="dense", inbound_nodes=_node("a")),
        dict(gru, name="gru", inbound_nodes=_node("b")),
        {"class_name": "Concatenate", "name": "concatenate",
         "config": {"name": "concatenate", "trainable": True,
                    "dtype": "float32", "axis": -1},
         "inbound_nodes": _node("dense", "gru")},
        dict(_dense("out", 2, "softmax"), name="out",
             inbound_nodes=_node("concatenate")),
    ]
    config = {"class_name": "Functional", "config": {
        "name": "model", "layers": layers,
        "input_layers": [["a", 0, 0], ["b", 0, 0]],
        "output_layers": [["out", 0, 0]]}}
    training = {
        "loss": "categorical_crossentropy", "metrics": ["accuracy"],
        "weighted_metrics": None, "loss_weights": None,
        "optimizer_config": {"class_name": "Adam", "config": {
            "name": "Adam", "learning_rate": 0.002, "decay": 0.0,
            "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07,
            "amsgrad": False}}}
    names = {"dense": ["kernel:0", "bias:0"],
             "gru": ["gru_cell/kernel:0", "gru_cell/recurrent_kernel:0",
                     "gru_cell/bias:0"],
             "out": ["kernel:0", "bias:0"]}
    weights = [("a", []), ("b", []), ("concatenate", [])] + [
        (layer, [(f"{layer}/{n}", a) for n, a in zip(names[layer],
                                                     arrays[layer])])
        for layer in ("dense", "gru", "out")]
    _write(path, config, weights, "2.13.1", "tensorflow", training)
    return arrays


def keras1_sequential(path, rng, backend="theano"):
    """Keras 1.2: a Theano-ordering convnet as a Sequential list config,
    with a `WeightRegularizer` and a `MaxNorm` in Keras 1's form."""
    kernel = rng.normal(size=(2, 1, 3, 3)).astype("float32")  # th layout
    arrays = {"convolution2d_1": [kernel, rng.normal(size=2)],
              "dense_1": [rng.normal(size=(32, 3)) * 0.3,
                          rng.normal(size=3)]}
    arrays = {k: [a.astype("float32") for a in v] for k, v in arrays.items()}
    layers = [
        {"class_name": "Convolution2D", "config": {
            "name": "convolution2d_1", "trainable": True,
            "batch_input_shape": [None, 1, 6, 6], "input_dtype": "float32",
            "nb_filter": 2, "nb_row": 3, "nb_col": 3,
            "init": "glorot_uniform", "activation": "relu",
            "border_mode": "valid", "subsample": [1, 1],
            "dim_ordering": "th", "W_regularizer": None,
            "b_regularizer": None, "activity_regularizer": None,
            "W_constraint": None, "b_constraint": None, "bias": True}},
        {"class_name": "Flatten", "config": {"name": "flatten_1",
                                             "trainable": True}},
        {"class_name": "Dense", "config": {
            "name": "dense_1", "trainable": True, "output_dim": 3,
            "init": "glorot_uniform", "activation": "softmax",
            "W_regularizer": {"name": "WeightRegularizer", "l1": 0.0,
                              "l2": 0.01},
            "b_regularizer": None, "activity_regularizer": None,
            "W_constraint": {"name": "MaxNorm", "m": 2, "axis": 0},
            "b_constraint": None, "bias": True, "input_dim": None}},
    ]
    config = {"class_name": "Sequential", "config": layers}
    training = {"loss": "categorical_crossentropy", "metrics": ["accuracy"],
                "sample_weight_mode": None, "loss_weights": None,
                "optimizer_config": {"class_name": "SGD", "config": {
                    "lr": 0.01, "momentum": 0.0, "decay": 0.0,
                    "nesterov": False}}}
    weights = [("convolution2d_1",
                [("convolution2d_1_W", kernel),
                 ("convolution2d_1_b", arrays["convolution2d_1"][1])]),
               ("flatten_1", []),
               ("dense_1", [("dense_1_W", arrays["dense_1"][0]),
                            ("dense_1_b", arrays["dense_1"][1])])]
    _write(path, config, weights, "1.2.2", backend, training)
    return arrays


def keras1_functional(path, rng):
    """Keras 1.2 `Model(input=..., output=...)` with `merge(mode='concat')`
    and an LSTM stored as twelve per-gate weights (i, c, f, o)."""
    gates = {}
    for gate in "icfo":
        gates[gate] = [rng.normal(size=(3, 2)), rng.normal(size=(2, 2)),
                       rng.normal(size=2)]
    gates = {g: [a.astype("float32") * 0.5 for a in v]
             for g, v in gates.items()}
    dense = [rng.normal(size=(4, 2)).astype("float32"),
             rng.normal(size=2).astype("float32")]
    layers = [
        {"class_name": "InputLayer", "name": "input_1", "inbound_nodes": [],
         "config": {"batch_input_shape": [None, 4, 3],
                    "input_dtype": "float32", "sparse": False,
                    "name": "input_1"}},
        {"class_name": "InputLayer", "name": "input_2", "inbound_nodes": [],
         "config": {"batch_input_shape": [None, 2],
                    "input_dtype": "float32", "sparse": False,
                    "name": "input_2"}},
        {"class_name": "LSTM", "name": "lstm_1",
         "inbound_nodes": [[["input_1", 0, 0]]],
         "config": {"name": "lstm_1", "trainable": True, "output_dim": 2,
                    "init": "glorot_uniform", "inner_init": "orthogonal",
                    "forget_bias_init": "one", "activation": "tanh",
                    "inner_activation": "sigmoid", "W_regularizer": None,
                    "U_regularizer": None, "b_regularizer": None,
                    "dropout_W": 0.0, "dropout_U": 0.0,
                    "return_sequences": False, "go_backwards": False,
                    "stateful": False, "unroll": False,
                    "consume_less": "cpu", "input_dim": 3,
                    "input_length": None}},
        {"class_name": "Merge", "name": "merge_1",
         "inbound_nodes": [[["lstm_1", 0, 0], ["input_2", 0, 0]]],
         "config": {"name": "merge_1", "mode": "concat", "concat_axis": -1,
                    "dot_axes": -1, "mode_type": "raw",
                    "output_shape": None, "output_shape_type": "raw",
                    "output_mask": None, "output_mask_type": "raw",
                    "arguments": {}}},
        {"class_name": "Dense", "name": "dense_1",
         "inbound_nodes": [[["merge_1", 0, 0]]],
         "config": {"name": "dense_1", "trainable": True, "output_dim": 2,
                    "init": "glorot_uniform", "activation": "linear",
                    "W_regularizer": None, "b_regularizer": None,
                    "activity_regularizer": None, "W_constraint": None,
                    "b_constraint": None, "bias": True, "input_dim": 4}},
    ]
    config = {"class_name": "Model", "config": {
        "name": "model_1", "layers": layers,
        "input_layers": [["input_1", 0, 0], ["input_2", 0, 0]],
        "output_layers": [["dense_1", 0, 0]]}}
    lstm = [(f"lstm_1_{kind}_{g}", gates[g][j]) for g in "icfo"
            for j, kind in enumerate("WUb")]
    weights = [("input_1", []), ("input_2", []), ("lstm_1", lstm),
               ("merge_1", []),
               ("dense_1", [("dense_1_W", dense[0]),
                            ("dense_1_b", dense[1])])]
    _write(path, config, weights, "1.2.2", "tensorflow")
    return gates, dense
