"""What the benchmark scripts share: the hand-written torch epoch loop and
the timing. Each script keeps its own models, data and report."""

import os
import subprocess
import sys
import time


def torch_loop(model, opt, loss_fn, xt, yt, epochs, batch_size, device):
    """`run()`: `epochs` epochs of the idiomatic PyTorch loop (shuffled
    minibatches, zero_grad / backward / step); returns the last loss."""
    import torch
    n = len(xt)

    def run():
        model.train()
        for _ in range(epochs):
            perm = torch.randperm(n, device=device)
            for i in range(0, n, batch_size):
                idx = perm[i:i + batch_size]
                opt.zero_grad(set_to_none=True)
                loss = loss_fn(model(xt[idx]), yt[idx])
                loss.backward()
                opt.step()
        if device.type == "cuda":
            torch.cuda.synchronize()
        return float(loss.detach())
    return run


def timed(fn):
    """`(wall, cpu)` seconds of one call of `fn`."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def best_times(runs, repeats):
    """Best `(wall, cpu)` seconds of each of `runs`, after one warm-up call
    each (allocator, kernels, compilation), alternating them so that they
    share the machine's noise."""
    for fn in runs:
        fn()
    best = [[float("inf")] * 2 for _ in runs]
    for _ in range(repeats):
        for b, fn in zip(best, runs):
            wall, cpu = timed(fn)
            b[0], b[1] = min(b[0], wall), min(b[1], cpu)
    return best


def run_jax_child(script, threads=0):
    """Runs `script` again with `--jax-child` (and this run's arguments)
    under LAMINA_BACKEND=jax, for the script's JAX row; with `threads=1`,
    XLA's CPU backend is held to one thread too."""
    env = dict(os.environ, LAMINA_BACKEND="jax")
    if threads == 1:
        env["XLA_FLAGS"] = (env.get("XLA_FLAGS", "") +
                            " --xla_cpu_multi_thread_eigen=false"
                            " intra_op_parallelism_threads=1").strip()
    argv = [sys.executable, script, "--jax-child"] + sys.argv[1:]
    subprocess.run(argv, env=env, check=False)
