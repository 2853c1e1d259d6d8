"""Benchmark: lamina's `fit` on the MNIST convnet against hand-written loops.

The model is the classic Keras MNIST convnet: Conv2D(32, 3x3, relu) ->
MaxPooling2D(2) -> Conv2D(64, 3x3, relu) -> MaxPooling2D(2) -> Flatten ->
Dropout(0.5) -> Dense(10, softmax); Adam, sparse categorical crossentropy,
batch 128, on synthetic 28x28x1 images (6,000 by default).

Torch row: lamina (channels_last, as Keras users write it) against the
idiomatic PyTorch loop (nn.Conv2d on NCHW-shaped tensors), stored both
as contiguous NCHW and in torch's channels_last memory format, in this
process, alternating. JAX row: lamina with LAMINA_BACKEND=jax against a
hand-written jax.jit + optax step, in a child process. Each run reports
the best of `--repeats` epochs in wall time and in CPU time
(`time.process_time`, less disturbed by other jobs on a shared machine),
and the ratio hand-written time / lamina time (1.0: no overhead; above 1,
lamina is faster).

On a busy machine, `--threads 1` (or OMP_WAIT_POLICY=PASSIVE) gives
steadier numbers: with several OpenMP threads competing for cores, each
kernel launch can spin-wait, which charges CPU time per op.

    python benchmarks/convnet.py [--epochs 1] [--repeats 3] [--samples 6000]
        [--data-format channels_last|channels_first] [--threads N]
        [--no-jax]

This is a benchmark, not a test: nothing asserts on time.
"""

import argparse

import numpy as np

import harness


def data(n, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.random((n, 28, 28, 1), dtype=np.float32)
    w = rng.normal(size=(28 * 28, 10)).astype(np.float32)
    y = (x.reshape(n, -1) @ w).argmax(1).astype(np.int64)
    return x, y


def hand_written_torch(x, y, epochs, batch_size, device, memory_format):
    """The idiomatic PyTorch loop: nn.Sequential on NCHW-shaped tensors,
    stored contiguously (`memory_format='contiguous'`) or the way torch's
    performance guide recommends (`'channels_last'`: NHWC in memory)."""
    import torch
    from torch import nn
    torch.manual_seed(0)
    model = nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Dropout(0.5), nn.Linear(1600, 10)).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    # NCHW with standard strides. (With one channel, `.contiguous()` of
    # permuted NHWC data keeps a channel stride of 1, which torch reads as
    # channels_last: the format choice must be explicit.)
    xt = torch.as_tensor(x, device=device).permute(0, 3, 1, 2).clone(
        memory_format=torch.contiguous_format)
    if memory_format == "channels_last":
        model = model.to(memory_format=torch.channels_last)
        xt = xt.contiguous(memory_format=torch.channels_last)
    yt = torch.as_tensor(y, device=device)
    return harness.torch_loop(model, opt, loss_fn, xt, yt, epochs,
                              batch_size, device)


def hand_written_jax(x, y, epochs, batch_size):
    """The idiomatic JAX loop: a jitted value_and_grad + optax step."""
    import jax
    import jax.numpy as jnp
    import optax
    from jax import lax

    def glorot(key, shape, fan_in, fan_out):
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        return jax.random.uniform(key, shape, jnp.float32, -limit, limit)

    keys = jax.random.split(jax.random.PRNGKey(0), 3)
    params = {
        "c1": (glorot(keys[0], (3, 3, 1, 32), 9, 288), jnp.zeros(32)),
        "c2": (glorot(keys[1], (3, 3, 32, 64), 288, 576), jnp.zeros(64)),
        "d": (glorot(keys[2], (1600, 10), 1600, 10), jnp.zeros(10)),
    }
    opt = optax.adam(1e-3)
    numbers = ("NHWC", "HWIO", "NHWC")

    def conv_relu(h, w, b):
        h = lax.conv_general_dilated(h, w, (1, 1), "VALID",
                                     dimension_numbers=numbers)
        return jax.nn.relu(h + b)

    def pool(h):
        return lax.reduce_window(h, -jnp.inf, lax.max, (1, 2, 2, 1),
                                 (1, 2, 2, 1), "VALID")

    def loss_fn(params, xb, yb, key):
        h = pool(conv_relu(xb, *params["c1"]))
        h = pool(conv_relu(h, *params["c2"]))
        h = h.reshape(h.shape[0], -1)
        keep = jax.random.bernoulli(key, 0.5, h.shape)
        h = jnp.where(keep, h / 0.5, 0.0)
        logits = h @ params["d"][0] + params["d"][1]
        return optax.softmax_cross_entropy_with_integer_labels(
            logits, yb).mean()

    @jax.jit
    def step(params, opt_state, xb, yb, key):
        key, sub = jax.random.split(key)
        loss, grads = jax.value_and_grad(loss_fn)(params, xb, yb, sub)
        updates, opt_state = opt.update(grads, opt_state, params)
        return optax.apply_updates(params, updates), opt_state, loss, key

    xd, yd = jnp.asarray(x), jnp.asarray(y)
    n = len(x)
    rng = np.random.default_rng(0)
    state = {"params": params, "opt": opt.init(params),
             "key": jax.random.PRNGKey(1)}

    def run():
        params, opt_state, key = state["params"], state["opt"], state["key"]
        for _ in range(epochs):
            perm = jnp.asarray(rng.permutation(n))
            for i in range(0, n, batch_size):
                idx = perm[i:i + batch_size]
                params, opt_state, loss, key = step(params, opt_state,
                                                    xd[idx], yd[idx], key)
        state.update(params=params, opt=opt_state, key=key)
        return float(loss)
    return run


def with_lamina(x, y, epochs, batch_size, data_format):
    import lamina
    from lamina import layers
    from lamina.layers.convolutional import Conv2D
    from lamina.layers.pooling import MaxPooling2D
    lamina.utils.set_random_seed(0)
    shape = (28, 28, 1)
    if data_format == "channels_first":
        x = np.ascontiguousarray(np.moveaxis(x, -1, 1))
        shape = (1, 28, 28)
    model = lamina.Sequential([
        layers.Input(shape=shape),
        Conv2D(32, (3, 3), activation="relu", data_format=data_format),
        MaxPooling2D((2, 2), data_format=data_format),
        Conv2D(64, (3, 3), activation="relu", data_format=data_format),
        MaxPooling2D((2, 2), data_format=data_format),
        layers.Flatten(),
        layers.Dropout(0.5),
        layers.Dense(10, activation="softmax")])
    model.compile(optimizer=lamina.optimizers.Adam(1e-3),
                  loss="sparse_categorical_crossentropy")

    def run():
        hist = model.fit(x, y, batch_size=batch_size, epochs=epochs,
                         verbose=0)
        return hist.history["loss"][-1]
    return run


def report(samples, names, best):
    """Samples/s of each run; ratios hand-written / lamina (the last)."""
    ours = best[-1]
    for label, i in (("wall", 0), ("cpu ", 1)):
        print(f"  {label}: " + "   ".join(
            f"{name} {samples / b[i]:6.0f}/s" for name, b in
            zip(names, best)))
        print("        ratio lamina/hand-written: " + "   ".join(
            f"vs {name} {b[i] / ours[i]:.3f}" for name, b in
            zip(names[:-1], best[:-1])))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--samples", type=int, default=6000)
    parser.add_argument("--data-format", default="channels_last",
                        choices=["channels_last", "channels_first"])
    parser.add_argument("--threads", type=int, default=0,
                        help="torch intra-op threads (0: torch's default); "
                        "1 gives steadier numbers on a busy machine")
    parser.add_argument("--no-jax", action="store_true",
                        help="skip the JAX row")
    parser.add_argument("--jax-child", action="store_true",
                        help=argparse.SUPPRESS)
    args = parser.parse_args()

    x, y = data(args.samples)
    samples = args.samples * args.epochs
    if args.jax_child:
        import jax
        ref = hand_written_jax(x, y, args.epochs, args.batch_size)
        ours = with_lamina(x, y, args.epochs, args.batch_size,
                           args.data_format)
        best = harness.best_times([ref, ours], args.repeats)
        print(f"JAX {jax.__version__} on {jax.devices()[0].platform} "
              f"(lamina {args.data_format})")
        report(samples, ["jax.jit+optax", "lamina"], best)
        return
    import torch
    from lamina.ops._bind import B
    if args.threads:
        torch.set_num_threads(args.threads)
    device = B.get_device()
    runs = [hand_written_torch(x, y, args.epochs, args.batch_size, device,
                               fmt) for fmt in ("contiguous",
                                                "channels_last")]
    runs.append(with_lamina(x, y, args.epochs, args.batch_size,
                            args.data_format))
    best = harness.best_times(runs, args.repeats)
    print(f"torch {torch.__version__} on {device}, "
          f"{torch.get_num_threads()} threads (lamina {args.data_format}, "
          f"{samples} samples)")
    report(samples, ["torch NCHW", "torch channels_last", "lamina"], best)
    if not args.no_jax:
        harness.run_jax_child(__file__)


if __name__ == "__main__":
    main()
