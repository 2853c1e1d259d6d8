"""Data parallelism on torch.distributed: 2 Gloo processes on CPU,
launched with torchrun, against one process."""

import csv
import importlib.util
import json
import os
import textwrap

import numpy as np
import pytest
from distribute_launch import processes, torchrun

from lamina import backend

pytestmark = pytest.mark.skipif(
    backend.backend() != "torch",
    reason="torch.distributed runs only on the torch backend (the JAX mesh "
           "is tested under LAMINA_BACKEND=jax)")

# Trains two small models (SGD on 49 samples: the last global batch of 1
# leaves rank 1 empty; Adam on 53: the last batch splits 2/3, and runs 3
# steps per execution). Importable, to run the same code in one process.
TRAIN = textwrap.dedent('''
    import json, os, sys
    import numpy as np
    import lamina

    RANK = os.environ.get("RANK", "single")

    class LocalRows(lamina.callbacks.Callback):
        """Samples this process trained on in the epoch (the loss tracker's
        count, read before fit sums it over processes)."""
        def on_train_batch_end(self, batch, logs=None):
            self.rows = float(self.model.metrics[0].count.numpy())

    def run(out, optimizer, n, steps_per_execution):
        lamina.utils.set_random_seed(0)
        model = lamina.Sequential([
            lamina.Input((5,)), lamina.layers.Dense(8, activation="tanh"),
            lamina.layers.Dense(3, activation="softmax")])
        model.compile(optimizer=optimizer, metrics=["accuracy"],
                      loss="sparse_categorical_crossentropy",
                      steps_per_execution=steps_per_execution)
        rng = np.random.default_rng(1)
        x = rng.normal(size=(n, 5)).astype("float32")
        y = rng.integers(0, 3, size=n)
        rows = LocalRows()
        tag = f"{optimizer}-{RANK}"
        callbacks = [rows, lamina.callbacks.CSVLogger(
            os.path.join(out, f"log-{tag}.csv")),
            lamina.callbacks.ModelCheckpoint(
                os.path.join(out, f"ckpt-{tag}.weights.h5"),
                save_weights_only=True)]
        history = model.fit(x, y, batch_size=16, epochs=2, verbose=2,
                            callbacks=callbacks)
        # Every rank saves; rank 0 writes, and the file is there when
        # save returns on any rank.
        model.save(os.path.join(out, f"model-{tag}.keras"))
        chief_file = os.path.join(out, f"model-{optimizer}-0.keras")
        return {"history": history.history, "rows": rows.rows,
                "saw_chief_file": os.path.exists(chief_file),
                "weights": [w.tolist() for w in model.get_weights()],
                "evaluate": model.evaluate(x, y, batch_size=8, verbose=0),
                "predict": model.predict(x, batch_size=8,
                                         verbose=0).tolist()}

    def main(out):
        return {"sgd": run(out, "sgd", 49, 1),
                "adam": run(out, "adam", 53, 3)}

    if __name__ == "__main__":
        out = sys.argv[1]
        # Each rank's own console, to see who prints.
        sys.stdout = open(os.path.join(out, f"stdout-{RANK}.txt"), "w")
        result = main(out)
        result["rank"] = lamina.distribute.rank()
        result["world"] = lamina.distribute.world_size()
        with open(os.path.join(out, f"result-{RANK}.json"), "w") as f:
            json.dump(result, f)
''')


def _single_process(script, out):
    spec = importlib.util.spec_from_file_location("dp_train", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.main(str(out))


@pytest.fixture(scope="module")
def two_processes(tmp_path_factory):
    work = tmp_path_factory.mktemp("dp")
    script = work / "train.py"
    script.write_text(TRAIN)
    out = work / "out"
    out.mkdir()
    run = torchrun(script, out)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    ranks = [json.loads((out / f"result-{r}.json").read_text())
             for r in (0, 1)]
    single_out = work / "single"
    single_out.mkdir()
    return ranks, _single_process(script, single_out), out


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_two_processes_train_as_one_with_twice_the_batch(two_processes,
                                                         optimizer):
    ranks, single, _ = two_processes
    assert [r["rank"] for r in ranks] == [0, 1]
    assert [r["world"] for r in ranks] == [2, 2]
    for r in ranks:
        for got, want in zip(r[optimizer]["weights"],
                             single[optimizer]["weights"]):
            np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    # The same steps, not each process on all the data: the shares add up
    # to the data, and neither process saw it all.
    shares = [r[optimizer]["rows"] for r in ranks]
    n = 49 if optimizer == "sgd" else 53
    assert sum(shares) == n and max(shares) < n


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_logs_hold_metrics_over_all_processes(two_processes, optimizer):
    ranks, single, _ = two_processes
    want = single[optimizer]
    for r in ranks:
        got = r[optimizer]
        for key in ("loss", "accuracy"):
            np.testing.assert_allclose(got["history"][key],
                                       want["history"][key], rtol=1e-5)
        np.testing.assert_allclose(got["evaluate"], want["evaluate"],
                                   rtol=1e-5)
        # predict: every rank gets all the rows, in order.
        np.testing.assert_allclose(got["predict"], want["predict"],
                                   rtol=1e-5, atol=1e-6)


def test_only_rank_0_prints_and_writes_files(two_processes):
    ranks, single, out = two_processes
    names = sorted(os.listdir(out))
    for optimizer in ("sgd", "adam"):
        assert f"log-{optimizer}-0.csv" in names
        assert f"ckpt-{optimizer}-0.weights.h5" in names
        assert f"log-{optimizer}-1.csv" not in names
        assert f"ckpt-{optimizer}-1.weights.h5" not in names
        assert f"model-{optimizer}-0.keras" in names
        assert f"model-{optimizer}-1.keras" not in names
        assert all(rank[optimizer]["saw_chief_file"] for rank in ranks)
        with open(out / f"log-{optimizer}-0.csv") as f:
            rows = list(csv.DictReader(f))
        np.testing.assert_allclose(
            [float(row["loss"]) for row in rows],
            single[optimizer]["history"]["loss"], rtol=1e-5)
    assert "Epoch 1/2" in (out / "stdout-0.txt").read_text()
    assert "Epoch" not in (out / "stdout-1.txt").read_text()


# Rank 1 dies in the second epoch (with DIE set); BackupAndRestore holds
# the state after the first. Each rank notes the epochs it began.
FAULT = textwrap.dedent('''
    import os, sys
    import numpy as np
    import lamina

    rank = int(os.environ["RANK"])

    class Die(lamina.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.epoch = epoch
            with open(os.path.join(sys.argv[1], f"epochs-{rank}"), "a") as f:
                f.write(f"{epoch}\\n")
        def on_train_batch_begin(self, batch, logs=None):
            if os.environ.get("DIE") and rank == 1 and self.epoch == 1 \\
                    and batch == 1:
                os._exit(1)

    lamina.distribute.set_distribution(
        lamina.distribute.DataParallel(timeout=10))
    lamina.utils.set_random_seed(0)
    model = lamina.Sequential([lamina.Input((4,)),
                               lamina.layers.Dense(2)])
    model.compile(optimizer="adam", loss="mse")
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 4)).astype("float32")
    backup = lamina.callbacks.BackupAndRestore(
        os.path.join(sys.argv[1], "backup"))
    model.fit(x, x[:, :2], batch_size=8, epochs=3, verbose=0,
              callbacks=[Die(), backup])
    np.save(os.path.join(sys.argv[1], f"weights-{rank}.npy"),
            model.get_weights()[0])
''')


def test_dead_rank_stops_the_other_and_a_restart_resumes(tmp_path):
    script = tmp_path / "fault.py"
    script.write_text(FAULT)
    (survivor, _, error), (dead, _, _) = processes(script, tmp_path, DIE=1)
    assert dead == 1
    # The survivor stops (bounded by the launch timeout) with the error
    # naming the likely dead rank and the timeout, instead of hanging.
    assert survivor != 0
    assert "DistributedError" in error, error[-3000:]
    assert "rank 1 likely died or hung" in error
    assert "timeout is 10 s" in error
    backup = tmp_path / "backup" / "latest.weights.h5"
    assert backup.exists()
    for r in (0, 1):
        (tmp_path / f"epochs-{r}").write_text("")
    run = torchrun(script, tmp_path)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    for r in (0, 1):  # both resumed after the backed-up epoch
        assert (tmp_path / f"epochs-{r}").read_text().split() == ["1", "2"]
    np.testing.assert_array_equal(np.load(tmp_path / "weights-0.npy"),
                                  np.load(tmp_path / "weights-1.npy"))
    assert not backup.exists()  # deleted when fit finished
