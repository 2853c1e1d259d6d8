import threading
import time

import numpy as np
import pytest

import lamina
from lamina import layers


def model():
    a = lamina.Input(shape=(3,))
    m = lamina.Model(a, layers.Dense(1)(a))
    m.compile(lamina.optimizers.SGD(0.05), "mse")
    return m


X = np.random.default_rng(0).normal(size=(64, 3)).astype("float32")
Y = X @ np.array([[1.0], [-1.0], [0.5]], "float32")


class Batches(lamina.utils.PyDataset):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.epochs_ended = 0
        self.seen = []

    def __len__(self):
        return 8

    def __getitem__(self, i):
        self.seen.append(i)
        time.sleep(0.001)
        return X[i * 8:(i + 1) * 8], Y[i * 8:(i + 1) * 8]

    def on_epoch_end(self):
        self.epochs_ended += 1


@pytest.mark.parametrize("workers,multi", [(1, False), (3, False),
                                           (2, True)])
def test_py_dataset_trains_and_evaluates(workers, multi):
    if multi and lamina.backend.backend() == "jax":
        pytest.skip("forking a process after JAX has started its threads "
                    "can deadlock (JAX warns); thread workers are tested")
    ds = Batches(workers=workers, use_multiprocessing=multi)
    m = model()
    hist = m.fit(ds, epochs=3, verbose=0)
    assert len(hist.history["loss"]) == 3
    assert hist.history["loss"][-1] < hist.history["loss"][0]
    assert ds.epochs_ended == 3
    assert m.evaluate(ds, verbose=0) == pytest.approx(
        m.evaluate(X, Y, batch_size=8, verbose=0), rel=1e-5)
    assert m.predict(ds, verbose=0).shape == (64, 1)
    assert threading.active_count() < 10  # worker threads are gone


def test_keras2_sequence_name():
    assert lamina.utils.Sequence is lamina.utils.PyDataset


def test_py_dataset_shuffles_batch_order():
    ds = Batches()
    model().fit(ds, epochs=1, shuffle=True, verbose=0)
    assert sorted(ds.seen) == list(range(8)) and ds.seen != list(range(8))


def test_early_stop_with_workers_does_not_hang():
    class Stop(lamina.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            if batch == 2:
                self.model.stop_training = True
    ds = Batches(workers=2)
    start = time.time()
    model().fit(ds, epochs=5, callbacks=[Stop()], verbose=0)
    assert time.time() - start < 30 and ds.epochs_ended == 1


def test_torch_dataloader_on_any_backend():
    torch = pytest.importorskip("torch")
    data = torch.utils.data.TensorDataset(torch.tensor(X), torch.tensor(Y))
    loader = torch.utils.data.DataLoader(data, batch_size=16)
    m = model()
    hist = m.fit(loader, epochs=2, verbose=0)
    assert len(hist.history["loss"]) == 2
    assert m.evaluate(loader, verbose=0) == pytest.approx(
        m.evaluate(X, Y, batch_size=16, verbose=0), rel=1e-5)


def test_validation_freq():
    m = model()
    hist = m.fit(X, Y, epochs=4, validation_data=(X, Y), validation_freq=2,
                 verbose=0)
    assert len(hist.history["val_loss"]) == 2
