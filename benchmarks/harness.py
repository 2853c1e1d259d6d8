"""What the benchmark scripts share: the hand-written torch epoch loop and
the timing. Each script keeps its own models, data and report."""

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
