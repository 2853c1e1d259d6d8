"""`timeseries_dataset_from_array`: windows checked against plain NumPy
slicing loops."""

import numpy as np
import pytest

import lamina
from lamina.utils import dataset_utils
from lamina.utils.py_dataset import PyDataset

tsd = dataset_utils.timeseries_dataset_from_array


def reference_windows(data, length, stride, rate, start=None, end=None,
                      targets=None):
    """Window start positions and windows, by a plain slicing loop."""
    start = 0 if start is None else start
    end = len(data) if end is None else end
    starts, windows = [], []
    i = start
    while i + (length - 1) * rate < end:
        if targets is not None and i >= len(targets):
            break
        starts.append(i)
        windows.append(data[i:i + length * rate:rate])
        i += stride
    return starts, windows


CASES = [
    # sequence_length, sequence_stride, sampling_rate, start, end, batch
    (3, 1, 1, None, None, 4),
    (5, 2, 1, None, None, 3),
    (4, 3, 2, None, None, 128),
    (10, 3, 2, None, None, 7),
    (2, 1, 3, 5, None, 5),
    (3, 2, 1, None, 30, 4),
    (4, 1, 2, 7, 41, 6),
    (1, 5, 1, 3, 49, 2),
]


@pytest.mark.parametrize("length,stride,rate,start,end,batch", CASES)
def test_windows_match_slicing(length, stride, rate, start, end, batch):
    data = np.arange(50 * 2, dtype="float32").reshape(50, 2)
    ds = tsd(data, None, length, sequence_stride=stride,
             sampling_rate=rate, batch_size=batch, start_index=start,
             end_index=end)
    starts, expected = reference_windows(data, length, stride, rate,
                                         start, end)
    assert isinstance(ds, PyDataset)
    assert len(ds) == -(-len(starts) // batch)
    batches = list(ds)
    assert len(batches) == len(ds)
    for b in batches[:-1]:
        assert b.shape[0] == batch
    got = np.concatenate(batches)
    np.testing.assert_array_equal(got, np.stack(expected))
    assert got.dtype == data.dtype
    np.testing.assert_array_equal(ds[-1], batches[-1])


@pytest.mark.parametrize("length,stride,rate,start,end,batch", CASES[:5])
def test_targets_aligned_with_window_start(length, stride, rate, start,
                                           end, batch):
    data = np.random.RandomState(0).rand(50, 3)
    targets = np.arange(50) * 10
    ds = tsd(data, targets, length, sequence_stride=stride,
             sampling_rate=rate, batch_size=batch, start_index=start,
             end_index=end)
    starts, expected = reference_windows(data, length, stride, rate,
                                         start, end)
    xs, ys = zip(*list(ds))
    np.testing.assert_array_equal(np.concatenate(xs), np.stack(expected))
    np.testing.assert_array_equal(np.concatenate(ys), targets[starts])


def test_shorter_targets_drop_windows_without_target():
    # Keras's forecasting recipe: targets = data[sequence_length:].
    data = np.arange(20)
    targets = data[4:]
    ds = tsd(data, targets, 4, batch_size=100)
    starts, expected = reference_windows(data, 4, 1, 1, targets=targets)
    x, y = ds[0]
    np.testing.assert_array_equal(x, np.stack(expected))
    np.testing.assert_array_equal(y, targets[starts])
    np.testing.assert_array_equal(y, x[:, -1] + 1)  # the next value


def test_shuffle_is_seeded_and_a_permutation():
    data = np.arange(60)
    kwargs = {"sequence_length": 5, "sequence_stride": 2, "batch_size": 4,
              "shuffle": True}
    a = np.concatenate([x for x, _ in tsd(data, data, seed=3, **kwargs)])
    b = np.concatenate([x for x, _ in tsd(data, data, seed=3, **kwargs)])
    c = np.concatenate([x for x, _ in tsd(data, data, seed=4, **kwargs)])
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(b, c)
    _, expected = reference_windows(data, 5, 2, 1)
    rows = sorted(map(tuple, b.tolist()))
    assert rows == sorted(map(tuple, np.stack(expected).tolist()))
    assert not np.array_equal(b, np.stack(expected))  # really shuffled
    # targets still follow their window when shuffled
    for x, y in tsd(data, data, seed=3, **kwargs):
        np.testing.assert_array_equal(y, x[:, 0])


def test_shuffle_without_seed_follows_numpy_global_seed():
    data = np.arange(40)
    np.random.seed(5)
    a = np.concatenate(list(tsd(data, None, 3, shuffle=True)))
    np.random.seed(5)
    b = np.concatenate(list(tsd(data, None, 3, shuffle=True)))
    np.testing.assert_array_equal(a, b)


def test_unbatched_and_iteration():
    data = np.arange(12)
    ds = tsd(data, data * 2, 3, sequence_stride=4, batch_size=None)
    assert not isinstance(ds, PyDataset)
    assert len(ds) == 3
    samples = list(ds)
    np.testing.assert_array_equal(samples[1][0], data[4:7])
    assert samples[1][1] == 8
    batched = ds.batch(2)
    assert len(batched) == 2
    np.testing.assert_array_equal(batched[1][0], data[None, 8:11])


def test_lazy_batches_from_tensor_input():
    data = lamina.ops.convert_to_tensor(np.arange(30, dtype="float32"))
    ds = tsd(data, None, 5, batch_size=8)
    assert isinstance(ds[0], np.ndarray)
    np.testing.assert_array_equal(ds[2][0], np.arange(16, 21))


@pytest.mark.parametrize("kwargs,message", [
    ({"sequence_length": 0}, "sequence_length"),
    ({"sequence_length": -2}, "sequence_length"),
    ({"sequence_length": 3, "sequence_stride": 0}, "sequence_stride"),
    ({"sequence_length": 3, "sequence_stride": 20}, "sequence_stride"),
    ({"sequence_length": 3, "sampling_rate": 0}, "sampling_rate"),
    ({"sequence_length": 3, "sampling_rate": 20}, "sampling_rate"),
    ({"sequence_length": 3, "start_index": -1}, "start_index"),
    ({"sequence_length": 3, "start_index": 20}, "start_index"),
    ({"sequence_length": 3, "start_index": 5, "end_index": 5}, "end_index"),
    ({"sequence_length": 3, "end_index": 21}, "end_index"),
    ({"sequence_length": 3, "batch_size": 0}, "batch_size"),
])
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        tsd(np.arange(20), None, **kwargs)


def test_bad_types():
    with pytest.raises(TypeError, match="sequence_length"):
        tsd(np.arange(20), None, 2.5)
    with pytest.raises(TypeError, match="data"):
        tsd("abc", None, 2)
    with pytest.raises(IndexError, match="batch index 3"):
        tsd(np.arange(20), None, 2, batch_size=8)[3]


@pytest.mark.requires_training
def test_fit_evaluate_predict_on_windows():
    # Predict the next value of a noisy ramp from the last 4 values.
    lamina.utils.set_random_seed(0)
    series = np.sin(np.arange(300) * 0.1).astype("float32")
    ds = tsd(series[:, None], series[4:], 4, batch_size=32, shuffle=True,
             seed=1)
    model = lamina.Sequential([lamina.Input((4, 1)),
                               lamina.layers.Flatten(),
                               lamina.layers.Dense(1)])
    model.compile(optimizer=lamina.optimizers.Adam(0.05), loss="mse")
    before = model.evaluate(ds, verbose=0)
    history = model.fit(ds, epochs=8, verbose=0)
    after = model.evaluate(ds, verbose=0)
    assert after < before / 10
    assert history.history["loss"][-1] < history.history["loss"][0]
    plain = tsd(series[:, None], None, 4, batch_size=32)
    predictions = model.predict(plain, verbose=0)
    assert predictions.shape == (297, 1)
    _, windows = reference_windows(series[:, None], 4, 1, 1)
    np.testing.assert_allclose(
        predictions, model.predict(np.stack(windows), verbose=0),
        rtol=1e-5, atol=1e-5)
    # evaluate's loss is the MSE of these predictions against the targets
    mse = np.mean((predictions[:-1, 0] - series[4:]) ** 2)
    np.testing.assert_allclose(after, mse, rtol=1e-4)
