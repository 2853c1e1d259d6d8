"""`run_layer_test`: the checks every layer gets, in one call.

1. the number of weights after build;
2. symbolic output shape == `compute_output_shape` == eager output shape;
3. `get_config` -> `from_config` gives the same outputs with the same
   weights;
4. backend gradients match float64 central finite differences, for the
   input and the weights (`check_gradients`);
5. one training step changes the trainable weights.
"""

import numpy as np

from lamina.backend.common.symbolic import SymbolicTensor
from lamina.ops._bind import B


def _np(x):
    return np.asarray(B.convert_to_numpy(x))


def _random_input(shape, dtype, rng):
    if dtype.startswith("int"):
        return rng.integers(0, 5, size=shape).astype(dtype)
    return rng.normal(size=shape).astype(dtype)


def check_gradients(layer, x, rng=None, samples=6, eps=1e-5, rtol=1e-4,
                    atol=1e-6, training=False):
    """Compares autodiff gradients of `sum(layer(x) * r)` with central
    finite differences, for `x` and for each trainable weight, in float64.

    `layer` must be built with dtype 'float64'. A few randomly chosen
    elements of each array are perturbed (all, if small).
    """
    rng = rng or np.random.default_rng(0)
    x = np.asarray(x, dtype="float64")
    x_var = B.Variable(x, dtype="float64", name="input")
    out = _np(layer(B.convert_to_tensor(x), training=training))
    proj = rng.normal(size=out.shape)
    proj_t = B.convert_to_tensor(proj)
    variables = [x_var] + list(layer.trainable_weights)

    def loss():
        y = layer(x_var.value, training=training)
        return B.sum(B.multiply(y, proj_t)), None

    (_, _), grads = B.value_and_grad(loss, variables)
    for variable, grad in zip(variables, grads):
        grad = _np(grad)
        base = _np(variable.value).copy()
        flat = base.reshape(-1)
        picks = range(flat.size) if flat.size <= samples else \
            rng.choice(flat.size, samples, replace=False)
        for i in picks:
            values = []
            for sign in (1, -1):
                bumped = flat.copy()
                bumped[i] += sign * eps
                variable.assign(bumped.reshape(base.shape))
                y = _np(layer(B.convert_to_tensor(_np(x_var.value)),
                              training=training))
                values.append(float((y * proj).sum()))
            variable.assign(base)
            numeric = (values[0] - values[1]) / (2 * eps)
            np.testing.assert_allclose(
                grad.reshape(-1)[i], numeric, rtol=rtol, atol=atol,
                err_msg=f"gradient of {variable.name}[{i}] in layer "
                        f"{layer.name}")


def run_layer_test(layer_cls, init_kwargs, input_shape,
                   expected_output_shape, expected_num_weights=None,
                   expected_num_trainable_weights=None, input_dtype="float32",
                   input_data=None, check_grads=True, run_training=True,
                   call_kwargs=None):
    """Builds `layer_cls(**init_kwargs)` and runs the standard checks.

    Args:
        layer_cls: the layer class.
        init_kwargs: constructor arguments.
        input_shape: full input shape, batch included.
        expected_output_shape: full expected output shape.
        expected_num_weights / expected_num_trainable_weights: counts.
        input_dtype: dtype of the generated input.
        input_data: a specific input instead of random data.
        check_grads: compare gradients with finite differences.
        run_training: check that one `fit` step changes the weights.
        call_kwargs: keyword arguments of the eager calls (e.g.
            `{"training": False}` for a layer that is random by default).
    Returns:
        The layer's eager output as a NumPy array.
    """
    from lamina import Model, Input
    rng = np.random.default_rng(0)
    x = input_data if input_data is not None else \
        _random_input(input_shape, input_dtype, rng)
    x = np.asarray(x)
    layer = layer_cls(**init_kwargs)
    # (2) symbolic shape
    sym = Input(batch_shape=(None,) + tuple(x.shape[1:]), dtype=str(x.dtype))
    sym_out = layer(sym)
    assert isinstance(sym_out, SymbolicTensor), type(sym_out)
    expected_sym = (None,) + tuple(expected_output_shape[1:])
    assert sym_out.shape == expected_sym, (sym_out.shape, expected_sym)
    # (1) weights
    if expected_num_weights is not None:
        assert len(layer.weights) == expected_num_weights, layer.weights
    if expected_num_trainable_weights is not None:
        assert len(layer.trainable_weights) == \
            expected_num_trainable_weights, layer.trainable_weights
    # (2) eager shape
    call_kwargs = dict(call_kwargs or {})
    out = _np(layer(B.convert_to_tensor(x), **call_kwargs))
    assert out.shape == tuple(expected_output_shape), out.shape
    if layer._has_output_shape_rule():
        shape = layer.compute_output_shape(tuple(x.shape))
        assert tuple(shape) == tuple(expected_output_shape), shape
    # (3) config round trip
    config = layer.get_config()
    clone = layer_cls.from_config(config)
    clone(B.convert_to_tensor(x), **call_kwargs)
    clone.set_weights(layer.get_weights())
    np.testing.assert_allclose(_np(clone(B.convert_to_tensor(x),
                                         **call_kwargs)), out,
                               rtol=1e-5, atol=1e-6)
    assert clone.get_config() == config
    # (4) gradients in float64
    if check_grads and B.supports_training and layer.trainable_weights \
            and x.dtype.kind == "f":
        kwargs64 = dict(init_kwargs, dtype="float64")
        layer64 = layer_cls(**kwargs64)
        x64 = x.astype("float64")
        layer64(B.convert_to_tensor(x64))
        layer64.set_weights([w.astype("float64")
                             for w in layer.get_weights()])
        check_gradients(layer64, x64, rng=rng)
    # (5) one fit step changes the trainable weights
    if run_training and B.supports_training and layer.trainable_weights:
        inp = Input(batch_shape=(None,) + tuple(x.shape[1:]),
                    dtype=str(x.dtype))
        fresh = layer_cls.from_config(config)
        model = Model(inp, fresh(inp))
        model.compile(optimizer="sgd", loss="mse")
        before = [w.copy() for w in model.get_weights()]
        model.fit(x, rng.normal(size=out.shape).astype("float32"),
                  batch_size=len(x), epochs=1, verbose=0)
        after = model.get_weights()
        assert any(not np.allclose(a, b) for a, b in zip(before, after)), \
            "one training step left every weight unchanged"
    return out
