"""Small synthetic data set files in Keras's formats, for tests.

Each `write_<name>(directory, ...)` writes files that
`lamina.datasets.<name>.load_data()` (and Keras's own loader) reads, with
the file names and layout of Keras's cache, into `directory`: pass a
`datasets` folder that the loaders search, `$LAMINA_HOME/datasets` or
`$KERAS_HOME/datasets`. The data is small and learnable, so an end-to-end
test can train a model to a set accuracy in seconds:

- `mnist`, `fashion_mnist`: 28x28 uint8 images; MNIST's class `k` lights
  cell `k` of a 4x4 grid of 7x7 cells, Fashion-MNIST's lights the
  horizontal band of rows `4 + 2k` and `5 + 2k`; with background noise,
  a one-pixel jitter (MNIST) or bands of varying length (Fashion-MNIST).
- `cifar10`, `cifar100`: 32x32x3 uint8 images; class `k` paints cell
  `k % 16` of a 4x4 grid of 8x8 cells in color `k // 16` (CIFAR-100's
  coarse label is `fine // 5`).
- `imdb`, `reuters`: sequences of word ranks (1 = most frequent) drawn
  from a Zipf-like law, each holding 3 to 8 "marker" words of its class
  (marker ranks appear nowhere else):
  ranks `30 + 10 * label + (0..9)` for IMDB (0 negative, 1 positive),
  `30 + 2 * topic + (0, 1)` for Reuters; plus the word index JSON.
- `boston_housing`, `california_housing`: features at realistic scales
  and a target that is a fixed linear function of them plus small noise.

Every writer takes a `seed` (the same seed writes the same data) and
returns the path it wrote (a file, or a folder for CIFAR and
Fashion-MNIST). `isolate(monkeypatch, root)` points `LAMINA_HOME` and
`KERAS_HOME` into `root` and turns network access off, so a test never
downloads.

Example (in a pytest test):

    from lamina.datasets import mnist
    from lamina.testing import dataset_fixtures

    def test_mnist_mlp(tmp_path, monkeypatch):
        datasets, _ = dataset_fixtures.isolate(monkeypatch, tmp_path)
        dataset_fixtures.write_mnist(datasets, n_train=600, n_test=100)
        (x_train, y_train), (x_test, y_test) = mnist.load_data()
        ...  # train, then assert the test accuracy

For `python -m lamina run script.py` in a subprocess, set `LAMINA_HOME`
in the child's environment to the folder above `datasets`.
"""

import gzip
import json
import os
import pickle
import struct
import tarfile

import numpy as np


def isolate(monkeypatch, root):
    """Points the data set caches into `root`, with the network off.

    Sets `LAMINA_HOME` to `root/lamina` and `KERAS_HOME` to `root/keras`,
    and makes `urllib.request.urlopen` raise `URLError`, for the test's
    duration (through pytest's `monkeypatch`).

    Returns:
        `(lamina_datasets, keras_datasets)`: the two folders searched,
        `root/lamina/datasets` and `root/keras/datasets` (not created).
    """
    import urllib.error
    import urllib.request

    def offline(url, *args, **kwargs):
        raise urllib.error.URLError(f"network access is off in this test "
                                    f"(asked for {url})")

    root = os.fspath(root)
    monkeypatch.setenv("LAMINA_HOME", os.path.join(root, "lamina"))
    monkeypatch.setenv("KERAS_HOME", os.path.join(root, "keras"))
    monkeypatch.setattr(urllib.request, "urlopen", offline)
    return (os.path.join(root, "lamina", "datasets"),
            os.path.join(root, "keras", "datasets"))


def _folder(directory):
    directory = os.fspath(directory)
    os.makedirs(directory, exist_ok=True)
    return directory


def _labels(rng, n, num_classes):
    # Every class appears (when n allows), in random order.
    return rng.permutation(np.arange(n) % num_classes)


def _grid_images(rng, labels, size, cells, channels, colors=None):
    """Images whose label `k` paints cell `k % cells**2` of a grid."""
    n, cell = len(labels), size // cells
    images = rng.randint(0, 60, size=(n, size, size, channels))
    for i, label in enumerate(labels):
        row, col = divmod(int(label) % cells**2, cells)
        dy, dx = rng.randint(-1, 2, size=2)
        y0 = min(max(row * cell + dy, 0), size - cell)
        x0 = min(max(col * cell + dx, 0), size - cell)
        value = 255 if colors is None else colors[int(label) // cells**2]
        images[i, y0:y0 + cell, x0:x0 + cell] = value
    return images.astype(np.uint8)


def write_mnist(directory, n_train=600, n_test=100, seed=0):
    """Writes `mnist.npz` (uint8 `x_*` `(n, 28, 28)`, `y_*` `(n,)`)."""
    rng = np.random.RandomState(seed)
    arrays = {}
    for split, n in (("train", n_train), ("test", n_test)):
        labels = _labels(rng, n, 10)
        arrays["x_" + split] = _grid_images(rng, labels, 28, 4, 1)[..., 0]
        arrays["y_" + split] = labels.astype(np.uint8)
    path = os.path.join(_folder(directory), "mnist.npz")
    np.savez_compressed(path, **arrays)
    return path


def _idx(array):
    """An array as IDX bytes (big-endian header, then uint8 data)."""
    code = 0x0801 if array.ndim == 1 else 0x0803
    header = struct.pack(">I" + "I" * array.ndim, code, *array.shape)
    return header + array.astype(np.uint8).tobytes()


def write_fashion_mnist(directory, n_train=600, n_test=100, seed=0):
    """Writes the four gzipped IDX files into `directory/fashion-mnist/`."""
    rng = np.random.RandomState(seed)
    folder = _folder(os.path.join(os.fspath(directory), "fashion-mnist"))
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        labels = _labels(rng, n, 10)
        images = rng.randint(0, 60, size=(n, 28, 28))
        for i, label in enumerate(labels):
            top, left, right = 4 + 2 * int(label), *rng.randint(0, 5, 2)
            images[i, top:top + 2, 1 + left:27 - right] = 255
        for kind, array in (("labels-idx1", labels),
                            ("images-idx3", images)):
            name = f"{prefix}-{kind}-ubyte.gz"
            with gzip.open(os.path.join(folder, name), "wb") as f:
                f.write(_idx(array))
    return folder


_COLORS = [(255, 40, 40), (40, 255, 40), (40, 40, 255), (255, 255, 40),
           (255, 40, 255), (40, 255, 255), (255, 255, 255)]


def _cifar_data(rng, labels):
    images = _grid_images(rng, labels, 32, 4, 3, _COLORS)
    # A batch stores each image as 1024 red, 1024 green, 1024 blue bytes.
    return images.transpose(0, 3, 1, 2).reshape(len(labels), 3072)


def _pickle(path, obj):
    with open(path, "wb") as f:
        pickle.dump(obj, f, protocol=4)


def _tar(directory, folder, archive):
    """Replaces `directory/folder` by the gzipped tar `directory/archive`."""
    import shutil
    path = os.path.join(directory, archive)
    with tarfile.open(path, "w:gz") as tar:
        tar.add(os.path.join(directory, folder), arcname=folder)
    shutil.rmtree(os.path.join(directory, folder))
    return path


def write_cifar10(directory, n_train=500, n_test=100, seed=0,
                  archive=False):
    """Writes `cifar-10-batches-py/` (five `data_batch_*`, `test_batch`,
    `batches.meta`), or with `archive=True` the same folder as Keras 2's
    download `cifar-10-batches-py.tar.gz`."""
    rng = np.random.RandomState(seed)
    directory = _folder(directory)
    folder = _folder(os.path.join(directory, "cifar-10-batches-py"))
    labels = _labels(rng, n_train, 10)
    data = _cifar_data(rng, labels)
    parts = np.array_split(np.arange(n_train), 5)
    batches = [(f"data_batch_{i + 1}", f"training batch {i + 1} of 5", p)
               for i, p in enumerate(parts)]
    test_labels = _labels(rng, n_test, 10)
    test_data = _cifar_data(rng, test_labels)
    batches.append(("test_batch", "testing batch 1 of 1", None))
    for name, title, rows in batches:
        lab = test_labels if rows is None else labels[rows]
        dat = test_data if rows is None else data[rows]
        _pickle(os.path.join(folder, name), {
            b"batch_label": title.encode(), b"labels": [int(v) for v in lab],
            b"data": dat,
            b"filenames": [f"img_{i}.png".encode() for i in range(len(lab))]})
    _pickle(os.path.join(folder, "batches.meta"), {
        b"label_names": [b"airplane", b"automobile", b"bird", b"cat",
                         b"deer", b"dog", b"frog", b"horse", b"ship",
                         b"truck"],
        b"num_cases_per_batch": 10000, b"num_vis": 3072})
    if archive:
        return _tar(directory, "cifar-10-batches-py",
                    "cifar-10-batches-py.tar.gz")
    return folder


def write_cifar100(directory, n_train=500, n_test=100, seed=0,
                   archive=False):
    """Writes `cifar-100-python/` (`train`, `test`, `meta`), or with
    `archive=True` the same folder as `cifar-100-python.tar.gz`."""
    rng = np.random.RandomState(seed)
    directory = _folder(directory)
    folder = _folder(os.path.join(directory, "cifar-100-python"))
    for name, n in (("train", n_train), ("test", n_test)):
        fine = _labels(rng, n, 100)
        _pickle(os.path.join(folder, name), {
            b"filenames": [f"img_{i}.png".encode() for i in range(n)],
            b"batch_label": f"{name}ing batch 1 of 1".encode(),
            b"fine_labels": [int(v) for v in fine],
            b"coarse_labels": [int(v) // 5 for v in fine],
            b"data": _cifar_data(rng, fine)})
    _pickle(os.path.join(folder, "meta"), {
        b"fine_label_names": [f"fine{i}".encode() for i in range(100)],
        b"coarse_label_names": [f"coarse{i}".encode() for i in range(20)]})
    if archive:
        return _tar(directory, "cifar-100-python",
                    "cifar-100-python.tar.gz")
    return folder


def _texts(rng, labels, markers, reserved, vocabulary, min_len, max_len):
    """Word-rank lists: Zipf-like filler (never a rank in `reserved`)
    plus 3 to 8 marker words."""
    texts = []
    ranks = np.setdiff1d(np.arange(1, vocabulary), reserved)
    weights = 1.0 / ranks
    weights /= weights.sum()
    for label in labels:
        length = rng.randint(min_len, max_len + 1)
        words = rng.choice(ranks, size=length, p=weights)
        mark = markers(int(label))
        spots = rng.choice(length, size=min(rng.randint(3, 9), length),
                           replace=False)
        words[spots] = rng.choice(mark, size=len(spots))
        texts.append([int(w) for w in words])
    return texts


def _object_array(lists):
    out = np.empty(len(lists), dtype=object)
    for i, item in enumerate(lists):
        out[i] = item
    return out


def _word_index(path, vocabulary, names):
    index = {names.get(r, f"w{r}"): r for r in range(1, vocabulary)}
    with open(path, "w", encoding="utf8") as f:
        json.dump(index, f)


def write_imdb(directory, n_train=500, n_test=100, seed=0,
               vocabulary=1000, min_len=10, max_len=80):
    """Writes `imdb.npz` and `imdb_word_index.json`.

    Args:
        directory: the `datasets` folder to write into.
        n_train, n_test: number of reviews.
        seed: the seed of the content.
        vocabulary: word ranks are `1 .. vocabulary - 1` (at least 50).
        min_len, max_len: review lengths, before `load_data` adds the
            start mark.

    Returns:
        The path of `imdb.npz`.
    """
    rng = np.random.RandomState(seed)
    directory = _folder(directory)
    arrays = {}
    for split, n in (("train", n_train), ("test", n_test)):
        labels = _labels(rng, n, 2)
        arrays["x_" + split] = _object_array(_texts(
            rng, labels, lambda k: 30 + 10 * k + np.arange(10),
            np.arange(30, 50), vocabulary, min_len, max_len))
        arrays["y_" + split] = labels.astype(np.int64)
    path = os.path.join(directory, "imdb.npz")
    np.savez(path, **arrays)
    names = {30 + i: f"bad{i}" for i in range(10)}
    names.update({40 + i: f"good{i}" for i in range(10)})
    _word_index(os.path.join(directory, "imdb_word_index.json"), vocabulary,
                names)
    return path


def write_reuters(directory, n=600, seed=0, num_topics=46,
                  vocabulary=1000, min_len=10, max_len=80):
    """Writes `reuters.npz` (`x` object array of lists, `y` topics) and
    `reuters_word_index.json`; topic `t`'s markers are ranks `30 + 2t`
    and `31 + 2t`, so `vocabulary` must exceed `30 + 2 * num_topics`."""
    if vocabulary <= 30 + 2 * num_topics:
        raise ValueError(f"write_reuters: `vocabulary` must exceed "
                         f"{30 + 2 * num_topics}; got {vocabulary}.")
    rng = np.random.RandomState(seed)
    directory = _folder(directory)
    labels = _labels(rng, n, num_topics)
    texts = _texts(rng, labels, lambda t: 30 + 2 * t + np.arange(2),
                   np.arange(30, 30 + 2 * num_topics), vocabulary, min_len,
                   max_len)
    path = os.path.join(directory, "reuters.npz")
    np.savez(path, x=_object_array(texts), y=labels.astype(np.int64))
    names = {30 + 2 * t + j: f"topic{t}_{j}" for t in range(num_topics)
             for j in range(2)}
    _word_index(os.path.join(directory, "reuters_word_index.json"),
                vocabulary, names)
    return path


def _regression(rng, n, scales, offsets, weights, bias, noise):
    x = rng.rand(n, len(scales)) * scales + offsets
    z = (x - offsets) / scales  # each feature in [0, 1)
    y = z @ np.asarray(weights) + bias + rng.randn(n) * noise
    return x, y


def write_boston_housing(directory, n=506, seed=0):
    """Writes `boston_housing.npz`: float64 `x` `(n, 13)`, `y` `(n,)` in
    k$ (10 to 50)."""
    rng = np.random.RandomState(seed)
    scales = np.array([10, 100, 25, 1, 0.5, 3, 100, 10, 24, 500, 10, 400,
                       35])
    offsets = np.array([0, 0, 0.5, 0, 0.4, 4, 3, 1, 1, 180, 12, 0, 2])
    weights = [-8, 3, -4, 2, -6, 18, -2, -5, 3, -4, -7, 3, -14]
    x, y = _regression(rng, n, scales, offsets, weights, 28, 1.0)
    path = os.path.join(_folder(directory), "boston_housing.npz")
    np.savez(path, x=x, y=np.clip(y, 5, 50))
    return path


def write_california_housing(directory, n=1000, seed=0):
    """Writes `california_housing.npz`: float32 `x` `(n, 8)`, `y` `(n,)`
    in dollars (25,000 to 500,000)."""
    rng = np.random.RandomState(seed)
    scales = np.array([14, 51, 8, 2, 5000, 5, 9, -10])
    offsets = np.array([0.5, 1, 1, 0.5, 3, 1, 32.5, -114.3])
    weights = [300000, 40000, 20000, -10000, -5000, -30000, -40000, -40000]
    x, y = _regression(rng, n, scales, offsets, weights, 130000, 10000)
    path = os.path.join(_folder(directory), "california_housing.npz")
    np.savez(path, x=x.astype(np.float32),
             y=np.clip(y, 25000, 500000).astype(np.float32))
    return path


def write_all(directory, seed=0):
    """Writes every data set above, with default sizes, into `directory`."""
    return [write(directory, seed=seed) for write in (
        write_mnist, write_fashion_mnist, write_cifar10, write_cifar100,
        write_imdb, write_reuters, write_boston_housing,
        write_california_housing)]


__all__ = ["isolate", "write_all", "write_boston_housing", "write_california_housing",
           "write_cifar10", "write_cifar100", "write_fashion_mnist",
           "write_imdb", "write_mnist", "write_reuters"]
