"""Benchmark: lamina's `fit` on an LSTM text classifier against
hand-written loops.

The model is Keras's IMDB LSTM example: Embedding(20000, 128) ->
LSTM(128) -> Dense(1, sigmoid), Adam, binary crossentropy, sequences of
80 token ids, batch 32, on 3,200 synthetic samples. Rows:

- torch: lamina (LAMINA_BACKEND=torch) against an idiomatic PyTorch loop
  (nn.Embedding + nn.LSTM(batch_first=True) + nn.Linear, torch.optim.Adam),
  in this process, alternating;
- jax: lamina (LAMINA_BACKEND=jax) against a hand-written jax.jit + optax
  step with a `lax.scan` LSTM, in a child process.

Each row prints samples/second and the ratio lamina / hand-written (1.0
means no overhead), by wall time and by process CPU time (steadier when
the machine is shared).

    python benchmarks/lstm.py [--epochs 1] [--repeats 3] [--samples 3200]
        [--threads N] [--no-jax] [--jax-steps]

`--jax-steps` adds a diagnostic JAX row: the jitted training steps
alone, called back to back on one batch already on the device (lamina's:
the step `fit` runs, from the model's private step cache), waiting only
for the last loss. Next to the `fit` row it tells the compiled step's own
speed from the cost of the loop around it (batching, shuffling).

`--threads 1` runs torch and XLA single-threaded (both sides alike): on a
machine shared with other jobs, multi-threaded kernels wait on
descheduled threads and the timings become mostly noise.

This is a benchmark, not a test: nothing asserts on time.
"""

import argparse

import harness
import numpy as np

VOCAB, EMBED, UNITS, STEPS = 20000, 128, 128, 80


def data(n, seed=0):
    """Token ids in [1, VOCAB) and a label that depends on them."""
    rng = np.random.default_rng(seed)
    x = rng.integers(1, VOCAB, size=(n, STEPS)).astype(np.int32)
    y = (x[:, :10].mean(1) > VOCAB / 2).astype(np.float32)[:, None]
    return x, y


def hand_written(x, y, epochs, batch_size, device):
    import torch
    from torch import nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = nn.Embedding(VOCAB, EMBED)
            self.lstm = nn.LSTM(EMBED, UNITS, batch_first=True)
            self.dense = nn.Linear(UNITS, 1)

        def forward(self, tokens):
            _, (h, _) = self.lstm(self.embedding(tokens))
            return torch.sigmoid(self.dense(h[0]))

    torch.manual_seed(0)
    model = Net().to(device)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.BCELoss()
    xt = torch.as_tensor(x, device=device).long()
    yt = torch.as_tensor(y, device=device)
    return harness.torch_loop(model, opt, loss_fn, xt, yt, epochs,
                              batch_size, device)


def hand_written_jax(x, y, epochs, batch_size):
    """The idiomatic JAX loop: a `lax.scan` LSTM cell, value_and_grad,
    optax.adam, one jitted step."""
    import jax
    import jax.numpy as jnp
    import optax

    k = jax.random.split(jax.random.PRNGKey(0), 4)

    def glorot(key, shape):
        limit = np.sqrt(6.0 / sum(shape))
        return jax.random.uniform(key, shape, jnp.float32, -limit, limit)

    params = {
        "embedding": jax.random.uniform(k[0], (VOCAB, EMBED), jnp.float32,
                                        -0.05, 0.05),
        "w": glorot(k[1], (EMBED, 4 * UNITS)),
        "u": glorot(k[2], (UNITS, 4 * UNITS)),
        "b": jnp.zeros((4 * UNITS,), jnp.float32),
        "dense_w": glorot(k[3], (UNITS, 1)),
        "dense_b": jnp.zeros((1,), jnp.float32),
    }
    opt = optax.adam(1e-3)
    state = {"params": params, "opt": opt.init(params)}

    def forward(p, tokens):
        xs = jnp.swapaxes(p["embedding"][tokens], 0, 1)  # time major

        def cell(carry, x_t):
            h, c = carry
            z = x_t @ p["w"] + h @ p["u"] + p["b"]
            i, f, g, o = jnp.split(z, 4, axis=-1)
            c = jax.nn.sigmoid(f) * c + jax.nn.sigmoid(i) * jnp.tanh(g)
            h = jax.nn.sigmoid(o) * jnp.tanh(c)
            return (h, c), None

        zeros = jnp.zeros((tokens.shape[0], UNITS), jnp.float32)
        (h, _), _ = jax.lax.scan(cell, (zeros, zeros), xs)
        return jax.nn.sigmoid(h @ p["dense_w"] + p["dense_b"])

    def loss_fn(p, xb, yb):
        prob = jnp.clip(forward(p, xb), 1e-7, 1 - 1e-7)
        return -jnp.mean(yb * jnp.log(prob) + (1 - yb) * jnp.log(1 - prob))

    @jax.jit
    def step(p, opt_state, xb, yb):
        loss, grads = jax.value_and_grad(loss_fn)(p, xb, yb)
        updates, opt_state = opt.update(grads, opt_state, p)
        return optax.apply_updates(p, updates), opt_state, loss

    xd, yd = jnp.asarray(x), jnp.asarray(y)
    n = len(x)
    rng = np.random.default_rng(0)

    xb, yb = xd[:batch_size], yd[:batch_size]

    def one_step():
        p, opt_state, loss = step(state["params"], state["opt"], xb, yb)
        state["params"], state["opt"] = p, opt_state
        return loss

    def run():
        p, opt_state = state["params"], state["opt"]
        for _ in range(epochs):
            perm = jnp.asarray(rng.permutation(n))
            for i in range(0, n, batch_size):
                idx = perm[i:i + batch_size]
                p, opt_state, loss = step(p, opt_state, xd[idx], yd[idx])
        state["params"], state["opt"] = p, opt_state
        return float(loss)
    run.one_step = one_step
    return run


def with_lamina(x, y, epochs, batch_size):
    import lamina
    from lamina import layers, ops
    from lamina.layers import recurrent
    lamina.utils.set_random_seed(0)
    model = lamina.Sequential([
        layers.Input(shape=(STEPS,), dtype="int32"),
        recurrent.Embedding(VOCAB, EMBED),
        recurrent.LSTM(UNITS),
        layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=lamina.optimizers.Adam(1e-3),
                  loss="binary_crossentropy")

    def run():
        hist = model.fit(x, y, batch_size=batch_size, epochs=epochs,
                         verbose=0)
        return hist.history["loss"][-1]

    batch = (ops.convert_to_tensor(x[:batch_size]),
             ops.convert_to_tensor(y[:batch_size]))

    def one_step():  # the jitted step of `fit`, after a first fit
        return model._step_fns["train"](batch)["loss"]
    run.one_step = one_step
    return run


def steps_alone(run, steps):
    """`steps` calls of `run.one_step` (a diagnostic row's run)."""
    def go():
        for _ in range(steps):
            loss = run.one_step()
        return float(loss)
    return go


def report(label, best, samples):
    (ref_wall, ref_cpu), (our_wall, our_cpu) = best
    print(f"{label:28s} hand-written {samples / ref_wall:8.0f} samples/s, "
          f"lamina {samples / our_wall:8.0f} samples/s")
    print(f"{'':28s} ratio lamina / hand-written: wall "
          f"{ref_wall / our_wall:.3f}, cpu {ref_cpu / our_cpu:.3f}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--samples", type=int, default=3200)
    parser.add_argument("--threads", type=int, default=0,
                        help="intra-op threads for torch and XLA (0: their "
                        "defaults)")
    parser.add_argument("--no-jax", action="store_true",
                        help="skip the JAX row")
    parser.add_argument("--jax-steps", action="store_true",
                        help="also time the JAX training step alone")
    parser.add_argument("--jax-child", action="store_true",
                        help=argparse.SUPPRESS)
    args = parser.parse_args()

    x, y = data(args.samples)
    samples = args.samples * args.epochs
    if args.jax_child:
        import jax
        runs = [hand_written_jax(x, y, args.epochs, args.batch_size),
                with_lamina(x, y, args.epochs, args.batch_size)]
        label = f"jax {jax.__version__} ({jax.devices()[0].platform})"
        report(label, harness.best_times(runs, args.repeats), samples)
        if args.jax_steps:
            steps = -(-samples // args.batch_size)
            best = harness.best_times(
                [steps_alone(run, steps) for run in runs], args.repeats)
            report("jax: the step alone", best, steps * args.batch_size)
        return
    import torch

    from lamina.ops._bind import B
    if args.threads:
        torch.set_num_threads(args.threads)
    device = B.get_device()
    print(f"LSTM classifier: Embedding({VOCAB}, {EMBED}) -> LSTM({UNITS}) "
          f"-> Dense(1), {STEPS} steps, batch {args.batch_size}, "
          f"{args.samples} samples x {args.epochs} epoch(s); torch "
          f"{torch.__version__}, {torch.get_num_threads()} threads, {device}")
    best = harness.best_times(
        [hand_written(x, y, args.epochs, args.batch_size, device),
         with_lamina(x, y, args.epochs, args.batch_size)], args.repeats)
    report(f"torch ({device})", best, samples)
    if not args.no_jax:
        harness.run_jax_child(__file__, args.threads)


if __name__ == "__main__":
    main()
