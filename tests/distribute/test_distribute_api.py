"""`lamina.distribute` in one process: the public names, turning a
distribution on and off, rank-0-only callbacks, gradient buckets."""

import subprocess
import sys

import numpy as np
import pytest
from distribute_launch import environment

import lamina
from lamina import backend
from lamina.backend.common.errors import BackendCannotTrainError
from lamina.callbacks.callback_list import CallbackList
from lamina.distribute import _state

TRAINS = backend.backend() in ("torch", "jax")


@pytest.fixture(autouse=True)
def fresh_state(monkeypatch):
    """No distribution in force, and no torchrun variables."""
    monkeypatch.setattr(_state, "_global", _state._UNSET)
    monkeypatch.setattr(_state, "_scopes", [])
    monkeypatch.setattr(_state, "_detected", None)
    for key in ("RANK", "WORLD_SIZE", "LOCAL_RANK"):
        monkeypatch.delenv(key, raising=False)


def test_a_single_process_is_rank_0_of_1():
    assert lamina.distribute.distribution() is None
    assert lamina.distribute.rank() == 0
    assert lamina.distribute.world_size() == 1
    assert lamina.distribute.is_chief()


def test_rank_and_world_come_from_the_launcher_environment(monkeypatch):
    monkeypatch.setenv("RANK", "1")
    monkeypatch.setenv("WORLD_SIZE", "4")
    assert lamina.distribute.rank() == 1
    assert lamina.distribute.world_size() == 4
    assert not lamina.distribute.is_chief()


def test_set_distribution_checks_its_argument():
    with pytest.raises(TypeError, match="DataParallel or None"):
        lamina.distribute.set_distribution("mirrored")
    lamina.distribute.set_distribution(None)
    assert lamina.distribute.distribution() is None


@pytest.mark.parametrize("timeout", [0, -1, "5", True])
def test_timeout_must_be_positive_seconds(timeout):
    with pytest.raises(ValueError, match="timeout"):
        lamina.distribute.DataParallel(timeout=timeout)


@pytest.mark.skipif(TRAINS, reason="the numpy backend's refusal")
def test_numpy_backend_refuses():
    with pytest.raises(BackendCannotTrainError, match="torch or jax"):
        lamina.distribute.DataParallel()


test_numpy_backend_refuses.expects_cannot_train = True


@pytest.mark.skipif(not TRAINS, reason="needs a backend that trains")
def test_scope_sets_the_distribution_and_compile_keeps_it():
    strategy = lamina.distribute.DataParallel()
    assert strategy.rank == 0 and strategy.num_replicas >= 1
    with strategy.scope():
        assert lamina.distribute.distribution() is strategy
        model = lamina.Sequential([lamina.Input((3,)),
                                   lamina.layers.Dense(1)])
        model.compile(optimizer="sgd", loss="mse")
    assert lamina.distribute.distribution() is None
    assert _state.for_model(model) is strategy


@pytest.mark.skipif(not TRAINS, reason="needs a backend that trains")
def test_fit_under_a_one_replica_distribution_matches_plain_fit():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(20, 3)).astype("float32")
    y = x @ np.ones((3, 1), "float32")

    def train(distributed):
        lamina.distribute.set_distribution(
            lamina.distribute.DataParallel() if distributed else None)
        lamina.utils.set_random_seed(3)
        model = lamina.Sequential([lamina.Input((3,)),
                                   lamina.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
        history = model.fit(x, y, batch_size=8, epochs=2, verbose=0)
        return history.history["loss"], model.get_weights()

    (loss_a, w_a), (loss_b, w_b) = train(False), train(True)
    np.testing.assert_allclose(loss_b, loss_a, rtol=1e-6)
    for a, b in zip(w_a, w_b):
        np.testing.assert_allclose(b, a, rtol=1e-6)


def test_only_rank_0_runs_callbacks_that_print_or_write(monkeypatch,
                                                        tmp_path):
    def users(hook):
        logger = lamina.callbacks.CSVLogger(str(tmp_path / "log.csv"))
        early = lamina.callbacks.EarlyStopping()
        cbs = CallbackList([logger, early], add_progbar=True)
        return [type(c).__name__ for c in cbs._users[hook]]
    assert users("on_epoch_end") == ["ProgbarLogger", "CSVLogger",
                                     "EarlyStopping"]
    monkeypatch.setenv("RANK", "1")
    # EarlyStopping decides on logs that are the same on every rank.
    assert users("on_epoch_end") == ["EarlyStopping"]


@pytest.mark.skipif(backend.backend() != "torch", reason="torch buckets")
def test_gradient_buckets_group_by_dtype_and_cap_size(monkeypatch):
    import torch

    from lamina.backend.torch import distribute as torch_distribute
    monkeypatch.setattr(torch_distribute, "_BUCKET_BYTES", 64)
    tensors = [torch.zeros(8), torch.zeros(4, dtype=torch.float64),
               torch.zeros(8), torch.zeros(2), torch.zeros(3)]
    # float32: 32 + 32 bytes fill a bucket; float64 apart.
    assert torch_distribute._buckets(tensors) == [[0, 2], [1], [3, 4]]


@pytest.mark.skipif(backend.backend() != "torch", reason="torch import")
def test_import_lamina_loads_no_distributed_module():
    code = ("import sys, lamina; print(sorted(m for m in sys.modules if "
            "m.startswith('lamina') and m.endswith('.distribute')"
            " and 'backend' in m))")
    out = subprocess.run([sys.executable, "-c", code], check=False,
                         env=environment("torch"), capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
