"""Benchmark: lamina's `fit` against a hand-written PyTorch loop.

The model is the classic MNIST MLP, 784-512-512-10 (relu, softmax), Adam,
batch 128, on 60,000 synthetic samples. Both run in this process on the
same device, alternating, and the script prints samples/second for each
and the ratio lamina / hand-written (1.0 means no overhead).

    python benchmarks/mlp.py [--epochs 2] [--repeats 3] [--metrics]
        [--verbose 0|1|2] [--threads N] [--no-jax]

Both run on lamina's default device (cuda:0 when CUDA is available;
`LAMINA_DEVICE=cpu` forces the CPU).

This is a benchmark, not a test: nothing asserts on time.
"""

import argparse
import os
import subprocess
import sys

import numpy as np

import harness


def import_times():
    """Seconds to import torch, and lamina (which imports torch), each in a
    fresh interpreter."""
    out = {}
    for name in ("torch", "lamina"):
        code = ("import time; t = time.perf_counter(); import " + name +
                "; print(time.perf_counter() - t)")
        best = min(float(subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True,
            check=True).stdout) for _ in range(3))
        out[name] = best
    return out


def data(n=60000, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.random((n, 784), dtype=np.float32)
    w = rng.normal(size=(784, 10)).astype(np.float32)
    y = (x @ w).argmax(1).astype(np.int64)
    return x, y


def hand_written(x, y, epochs, batch_size, device):
    import torch
    from torch import nn
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(784, 512), nn.ReLU(),
                          nn.Linear(512, 512), nn.ReLU(),
                          nn.Linear(512, 10)).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    xt = torch.as_tensor(x, device=device)
    yt = torch.as_tensor(y, device=device)
    return harness.torch_loop(model, opt, loss_fn, xt, yt, epochs,
                              batch_size, device)


def hand_written_jax(x, y, epochs, batch_size):
    """The idiomatic JAX loop: a jitted step of value_and_grad + optax."""
    import jax
    import jax.numpy as jnp
    import optax

    def dense(key, n_in, n_out):
        limit = np.sqrt(6.0 / (n_in + n_out))
        w = jax.random.uniform(key, (n_in, n_out), jnp.float32, -limit,
                               limit)
        return w, jnp.zeros((n_out,), jnp.float32)

    keys = jax.random.split(jax.random.PRNGKey(0), 3)
    params = [dense(keys[0], 784, 512), dense(keys[1], 512, 512),
              dense(keys[2], 512, 10)]
    opt = optax.adam(1e-3)
    state = {"params": params, "opt": opt.init(params)}

    def loss_fn(params, xb, yb):
        h = xb
        for w, b in params[:-1]:
            h = jax.nn.relu(h @ w + b)
        logits = h @ params[-1][0] + params[-1][1]
        return optax.softmax_cross_entropy_with_integer_labels(
            logits, yb).mean()

    @jax.jit
    def step(params, opt_state, xb, yb):
        loss, grads = jax.value_and_grad(loss_fn)(params, xb, yb)
        updates, opt_state = opt.update(grads, opt_state, params)
        return optax.apply_updates(params, updates), opt_state, loss

    xd, yd = jnp.asarray(x), jnp.asarray(y)
    n = len(x)
    rng = np.random.default_rng(0)

    def run():
        params, opt_state = state["params"], state["opt"]
        for _ in range(epochs):
            perm = jnp.asarray(rng.permutation(n))
            for i in range(0, n, batch_size):
                idx = perm[i:i + batch_size]
                params, opt_state, loss = step(params, opt_state, xd[idx],
                                               yd[idx])
        state["params"], state["opt"] = params, opt_state
        return float(loss)
    return run


def with_lamina(x, y, epochs, batch_size, metrics, verbose):
    import lamina
    from lamina import layers
    lamina.utils.set_random_seed(0)
    model = lamina.Sequential([
        layers.Input(shape=(784,)),
        layers.Dense(512, activation="relu"),
        layers.Dense(512, activation="relu"),
        layers.Dense(10, activation="softmax")])
    model.compile(optimizer=lamina.optimizers.Adam(1e-3),
                  loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"] if metrics else None)

    def run():
        hist = model.fit(x, y, batch_size=batch_size, epochs=epochs,
                         verbose=verbose)
        return hist.history["loss"][-1]
    return run


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--metrics", action="store_true",
                        help="compile lamina with metrics=['accuracy']")
    parser.add_argument("--verbose", type=int, default=0)
    parser.add_argument("--samples", type=int, default=60000)
    parser.add_argument("--threads", type=int, default=0,
                        help="intra-op threads for torch and XLA (0: their "
                        "defaults); 1 keeps a busy 2-core machine's timings "
                        "from being mostly scheduling noise")
    parser.add_argument("--no-jax", action="store_true",
                        help="skip the JAX row")
    parser.add_argument("--jax-child", action="store_true",
                        help=argparse.SUPPRESS)
    args = parser.parse_args()

    x, y = data(args.samples)
    if args.jax_child:
        return jax_row(x, y, args)
    times = import_times()
    import torch
    if args.threads:
        torch.set_num_threads(args.threads)
    from lamina.ops._bind import B
    device = B.get_device()
    ref = hand_written(x, y, args.epochs, args.batch_size, device)
    ours = with_lamina(x, y, args.epochs, args.batch_size, args.metrics,
                       args.verbose)
    (best_ref, _), (best_ours, _) = harness.best_times([ref, ours],
                                                       args.repeats)
    samples = args.samples * args.epochs
    backend = os.environ.get("LAMINA_BACKEND", "torch")
    print(f"device: {device}  torch {torch.__version__}  threads "
          f"{torch.get_num_threads()}  lamina {backend}")
    print(f"import torch: {times['torch']:.2f} s   import lamina: "
          f"{times['lamina']:.2f} s")
    print(f"hand-written torch: {samples / best_ref:10.0f} samples/s")
    print(f"lamina fit:         {samples / best_ours:10.0f} samples/s"
          f"   (metrics={'accuracy' if args.metrics else 'none'}, "
          f"verbose={args.verbose})")
    print(f"ratio lamina / hand-written: {best_ref / best_ours:.3f}")
    if not args.no_jax:
        harness.run_jax_child(__file__, args.threads)


def jax_row(x, y, args):
    """The same comparison on JAX: lamina (LAMINA_BACKEND=jax) against a
    hand-written jax.jit + optax step, in this (child) process."""
    import jax
    ref = hand_written_jax(x, y, args.epochs, args.batch_size)
    ours = with_lamina(x, y, args.epochs, args.batch_size, args.metrics,
                       args.verbose)
    (best_ref, _), (best_ours, _) = harness.best_times([ref, ours],
                                                       args.repeats)
    samples = args.samples * args.epochs
    print(f"JAX {jax.__version__} on {jax.devices()[0].platform}")
    print(f"hand-written jax.jit+optax: {samples / best_ref:10.0f} "
          "samples/s")
    print(f"lamina fit (jax):           {samples / best_ours:10.0f} "
          "samples/s")
    print(f"ratio lamina / hand-written (jax): {best_ref / best_ours:.3f}")


if __name__ == "__main__":
    main()
