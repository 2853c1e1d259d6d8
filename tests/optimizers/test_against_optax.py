"""lamina's optimizers against optax's on the same problem.

The quadratic problem of `conftest.py` is run for 20 steps by a lamina
optimizer (on the backend under test) and by its optax counterpart (on
JAX), from the same start with the same gradients; the weights must agree
to float32 tolerance. Keras's Nadam (Dozat's momentum schedule) and Ftrl
have no optax counterpart: they are checked against NumPy references in
their own test modules.
"""

import numpy as np
import pytest

from lamina import optimizers

optax = pytest.importorskip("optax")
jnp = pytest.importorskip("jax.numpy")

LR = 0.05
# lamina optimizer, its optax counterpart.
PAIRS = {
    "sgd": (lambda: optimizers.SGD(LR), lambda: optax.sgd(LR)),
    "sgd_momentum": (lambda: optimizers.SGD(LR, momentum=0.9),
                     lambda: optax.sgd(LR, momentum=0.9)),
    "sgd_nesterov": (lambda: optimizers.SGD(LR, momentum=0.9, nesterov=True),
                     lambda: optax.sgd(LR, momentum=0.9, nesterov=True)),
    "adam": (lambda: optimizers.Adam(LR, epsilon=1e-7),
             lambda: optax.adam(LR, eps=1e-7)),
    "adamw": (lambda: optimizers.AdamW(LR, weight_decay=0.1, epsilon=1e-7),
              lambda: optax.adamw(LR, weight_decay=0.1, eps=1e-7)),
    "adamax": (lambda: optimizers.Adamax(LR, epsilon=1e-7),
               lambda: optax.adamax(LR, eps=1e-7)),
    "adagrad": (lambda: optimizers.Adagrad(LR, initial_accumulator_value=0.1,
                                           epsilon=1e-7),
                lambda: optax.adagrad(LR, initial_accumulator_value=0.1,
                                      eps=1e-7)),
    "rmsprop": (lambda: optimizers.RMSprop(LR, rho=0.9, epsilon=1e-7),
                lambda: optax.rmsprop(LR, decay=0.9, eps=1e-7)),
    "rmsprop_momentum": (
        lambda: optimizers.RMSprop(LR, rho=0.9, momentum=0.5, epsilon=1e-7),
        lambda: optax.rmsprop(LR, decay=0.9, eps=1e-7, momentum=0.5)),
    "rmsprop_centered": (
        lambda: optimizers.RMSprop(LR, rho=0.9, centered=True, epsilon=1e-7),
        lambda: optax.rmsprop(LR, decay=0.9, eps=1e-7, centered=True)),
    "adadelta": (lambda: optimizers.Adadelta(1.0, rho=0.95, epsilon=1e-6),
                 lambda: optax.adadelta(1.0, rho=0.95, eps=1e-6)),
    "lion": (lambda: optimizers.Lion(LR, beta_1=0.9, beta_2=0.99),
             lambda: optax.lion(LR, b1=0.9, b2=0.99, weight_decay=0.0)),  # optax's default is 1e-3
    "lion_decay": (
        lambda: optimizers.Lion(LR, weight_decay=0.1),
        lambda: optax.lion(LR, weight_decay=0.1)),
    # SGD, not Adam, under clipping: Adam's step barely depends on the
    # gradient's scale, so it would hardly notice a wrong clip.
    "sgd_global_clipnorm": (
        lambda: optimizers.SGD(LR, momentum=0.9, global_clipnorm=0.5),
        lambda: optax.chain(optax.clip_by_global_norm(0.5),
                            optax.sgd(LR, momentum=0.9))),
    "sgd_clipvalue": (
        lambda: optimizers.SGD(LR, momentum=0.9, clipvalue=0.2),
        lambda: optax.chain(optax.clip(0.2), optax.sgd(LR, momentum=0.9))),
}


def run_optax(problem, transform, steps):
    params = [jnp.asarray(w.astype("float32")) for w in problem.initial]
    state = transform.init(params)
    for k in range(steps):
        grads = problem.gradients([np.asarray(p) for p in params], k)
        updates, state = transform.update(
            [jnp.asarray(g) for g in grads], state, params)
        params = optax.apply_updates(params, updates)
    return [np.asarray(p) for p in params]


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_matches_optax(quadratic, name):
    ours, theirs = PAIRS[name]
    got = quadratic.run_lamina(ours(), steps=20)
    want = run_optax(quadratic, theirs(), steps=20)
    for a, b in zip(got, want):
        np.testing.assert_allclose(a, b, rtol=2e-5, atol=2e-6)
