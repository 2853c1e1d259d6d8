"""GPU check: lamina under `torchrun --nproc_per_node=1` on a CUDA machine.

Launched by `benchmarks/gpu/run.sh`. lamina should start an NCCL process
group of one, keep the weights on `cuda:0`, and train to the same weights
as a plain (undistributed) run of the same seeded script on the same GPU.
Prints one JSON line: backend, world size, device of the weights, the
largest weight difference and the loss of each run.
"""

import json
import os
import sys

import numpy as np


def train(seed=0):
    import lamina
    lamina.utils.set_random_seed(seed)
    model = lamina.Sequential([
        lamina.Input((20,)), lamina.layers.Dense(64, activation="relu"),
        lamina.layers.Dense(3, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    rng = np.random.default_rng(1)
    x = rng.normal(size=(512, 20)).astype("float32")
    y = (x[:, :3]).argmax(1)
    history = model.fit(x, y, batch_size=64, epochs=3, shuffle=False,
                        verbose=0)
    return model, history.history["loss"]


def main():
    if os.environ.get("PLAIN"):
        model, losses = train()
        print(json.dumps({"weights": [w.tolist()
                                      for w in model.get_weights()],
                          "loss": losses}))
        return
    import torch.distributed as dist

    import lamina
    # A world of one is not distributed by default: ask for the group.
    lamina.distribute.set_distribution(lamina.distribute.DataParallel())
    model, losses = train()
    strategy = lamina.distribute.distribution()
    report = {
        "backend": dist.get_backend() if dist.is_initialized() else None,
        "world": lamina.distribute.world_size(),
        "strategy": repr(strategy),
        "weights_device": str(model.weights[0].value.device),
        "loss": losses,
    }
    plain = json.loads(sys.stdin.read()) if not sys.stdin.isatty() else None
    if plain:
        report["max_weight_difference"] = max(
            float(np.abs(np.asarray(a) - b).max())
            for a, b in zip(plain["weights"], model.get_weights()))
        report["plain_loss"] = plain["loss"]
    print("NCCL-CHECK " + json.dumps(report))


if __name__ == "__main__":
    main()
