"""Benchmark: lamina's `predict` against a hand-written inference loop.

Two models: the MNIST MLP (784-512-512-10) and the MNIST convnet (two
Conv2D + MaxPooling2D, Flatten, Dropout, Dense). Each predicts on NumPy
inputs held on the host (10,000 samples, batch 256 by default) and hands
back a NumPy array, as `predict` does, so both sides pay for the copies in
and out.

Torch row: `model.predict(x)` against the idiomatic loop, `torch.no_grad()`
(`inference_mode`) over `nn.Sequential` batches, each copied to the device
and its output copied back, then `np.concatenate`d. The convnet's loop runs
on NHWC data permuted to NCHW per batch, as a hand-written loop fed Keras-
layout arrays must. JAX row (child process): lamina with
LAMINA_BACKEND=jax against a `jax.jit`-compiled forward function per batch.
The ratio is hand-written time / lamina time (1.0: no overhead).

    python benchmarks/predict.py [--samples 10000] [--batch-size 256]
        [--repeats 5] [--threads N] [--no-jax]

This is a benchmark, not a test: nothing asserts on time.
"""

import argparse

import numpy as np

import harness


def data(n, seed=0):
    rng = np.random.default_rng(seed)
    return {"mlp": rng.random((n, 784), dtype=np.float32),
            "convnet": rng.random((n, 28, 28, 1), dtype=np.float32)}


def lamina_model(name):
    import lamina
    from lamina import layers
    lamina.utils.set_random_seed(0)
    if name == "mlp":
        stack = [layers.Input((784,)), layers.Dense(512, activation="relu"),
                 layers.Dense(512, activation="relu"),
                 layers.Dense(10, activation="softmax")]
    else:
        stack = [layers.Input((28, 28, 1)),
                 layers.Conv2D(32, 3, activation="relu"),
                 layers.MaxPooling2D(2),
                 layers.Conv2D(64, 3, activation="relu"),
                 layers.MaxPooling2D(2), layers.Flatten(),
                 layers.Dropout(0.5), layers.Dense(10, activation="softmax")]
    return lamina.Sequential(stack)


def with_lamina(name, x, batch_size):
    model = lamina_model(name)

    def run():
        return model.predict(x, batch_size=batch_size, verbose=0)
    return run


def hand_written_torch(name, x, batch_size, device):
    import torch
    from torch import nn
    torch.manual_seed(0)
    if name == "mlp":
        model = nn.Sequential(nn.Linear(784, 512), nn.ReLU(),
                              nn.Linear(512, 512), nn.ReLU(),
                              nn.Linear(512, 10), nn.Softmax(-1))
    else:
        model = nn.Sequential(
            nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Dropout(0.5), nn.Linear(1600, 10),
            nn.Softmax(-1))
    model = model.to(device).eval()

    def run():
        out = []
        with torch.inference_mode():
            for i in range(0, len(x), batch_size):
                xb = torch.as_tensor(x[i:i + batch_size], device=device)
                if name == "convnet":
                    xb = xb.permute(0, 3, 1, 2)
                out.append(model(xb).cpu().numpy())
        return np.concatenate(out)
    return run


def hand_written_jax(name, x, batch_size):
    import jax
    import jax.numpy as jnp
    from jax import lax

    keys = iter(jax.random.split(jax.random.PRNGKey(0), 8))

    def param(*shape):
        return jax.random.normal(next(keys), shape, jnp.float32) * 0.05

    if name == "mlp":
        params = [(param(784, 512), param(512)), (param(512, 512),
                                                  param(512)),
                  (param(512, 10), param(10))]

        def forward(params, xb):
            h = xb
            for w, b in params[:-1]:
                h = jax.nn.relu(h @ w + b)
            return jax.nn.softmax(h @ params[-1][0] + params[-1][1])
    else:
        params = [(param(3, 3, 1, 32), param(32)),
                  (param(3, 3, 32, 64), param(64)),
                  (param(1600, 10), param(10))]

        def forward(params, xb):
            h = xb
            for w, b in params[:2]:
                h = lax.conv_general_dilated(
                    h, w, (1, 1), "VALID",
                    dimension_numbers=("NHWC", "HWIO", "NHWC")) + b
                h = jax.nn.relu(h)
                h = lax.reduce_window(h, -jnp.inf, lax.max, (1, 2, 2, 1),
                                      (1, 2, 2, 1), "VALID")
            h = h.reshape(h.shape[0], -1)
            return jax.nn.softmax(h @ params[2][0] + params[2][1])

    step = jax.jit(forward)

    def run():
        out = [np.asarray(step(params, x[i:i + batch_size]))
               for i in range(0, len(x), batch_size)]
        return np.concatenate(out)
    return run


def report(label, samples, best_ref, best_ours):
    print(f"{label:8s} hand-written {samples / best_ref[0]:9.0f} samples/s"
          f"   lamina predict {samples / best_ours[0]:9.0f} samples/s"
          f"   ratio {best_ref[0] / best_ours[0]:.3f} (wall), "
          f"{best_ref[1] / best_ours[1]:.3f} (cpu)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=10000)
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--no-jax", action="store_true")
    parser.add_argument("--jax-child", action="store_true",
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    xs = data(args.samples)
    if args.jax_child:
        import jax
        print(f"JAX {jax.__version__} on {jax.devices()[0].platform}")
        for name, x in xs.items():
            ref = hand_written_jax(name, x, args.batch_size)
            ours = with_lamina(name, x, args.batch_size)
            best_ref, best_ours = harness.best_times([ref, ours],
                                                     args.repeats)
            report(name, len(x), best_ref, best_ours)
        return
    import torch
    if args.threads:
        torch.set_num_threads(args.threads)
    from lamina.ops._bind import B
    device = B.get_device()
    print(f"device: {device}  torch {torch.__version__}  threads "
          f"{torch.get_num_threads()}")
    for name, x in xs.items():
        ref = hand_written_torch(name, x, args.batch_size, device)
        ours = with_lamina(name, x, args.batch_size)
        best_ref, best_ours = harness.best_times([ref, ours], args.repeats)
        report(name, len(x), best_ref, best_ours)
    if not args.no_jax:
        harness.run_jax_child(__file__, args.threads)


if __name__ == "__main__":
    main()
