"""Keras programs of three eras, run unmodified by `python -m lamina run`.

`keras1/`, `keras2/` and `keras3/` hold the same twelve programs written
in each era's API (from the public docs of Keras 1.2, Keras 2 and Keras
3): an MNIST MLP and convnet, an IMDB LSTM, a fastText-style IMDB model,
a Reuters bag-of-words MLP, a variational autoencoder, a siamese network,
a stateful LSTM, an addition seq2seq RNN, a custom layer, an
ImageDataGenerator run and a scikit-learn grid search. Four more use the
preprocessing layers of tf.keras 2 and Keras 3: augmentation layers in the
model (both eras), `TextVectorization` on raw sentences, and lookup,
encoding and normalization layers on a table (Keras 3). Each `import
keras`es as its era did, loads its data with `keras.datasets.*` (small
learnable files from `lamina.testing.dataset_fixtures`, placed in the
caches: MNIST and CIFAR-10 in `$LAMINA_HOME/datasets`, IMDB and Reuters
in Keras's `$KERAS_HOME/datasets`) or makes it inline, trains briefly and
prints `RESULT accuracy=<value>`.

Each test runs one program in a subprocess (network off through an
unreachable proxy, one engine thread so two programs share the CI
machine's 2 cores) and checks: exit status 0, the accuracy above the
program's threshold, and stderr. Keras 1/2 programs must show the
modern rewrite of the old spellings they use (the exact
`warn_once` text); Keras 2 programs must show no Keras-1-only warning;
Keras 3 programs no deprecation warning at all.

Which programs run: on torch, all 40 (about a minute on 2 quiet cores,
two programs at a time). On JAX, where compiling the steps dominates (7
to 30 s a program), a representative subset: one program per era plus
each era's VAE and custom layer, and the Keras 3 augmentation layers
(`JAX_SUBSET`; all of them with
`LAMINA_ERA_PROGRAMS_ALL=1`). On NumPy (inference
only) nothing runs. Programs blocked by a lamina gap outside this
directory are strict xfails (`BLOCKED`, with the reason): they start
failing, as a reminder to drop the entry, once the gap is closed.
"""

import collections
import os
import re
import subprocess
import sys
import tempfile
import time

import pytest

from lamina.ops._bind import B
from lamina.testing import dataset_fixtures

HERE = os.path.dirname(os.path.abspath(__file__))
TIMEOUT = 600  # seconds per program, generous for a loaded machine

needs_training = pytest.mark.skipif(
    not B.supports_training,
    reason=f"backend '{B.name}' can't train; the era programs all train")

# program: (accuracy threshold, stderr snippets that must appear). The
# snippets are the modern rewrites lamina prints for old spellings.
Spec = collections.namedtuple("Spec", "threshold warnings")
PROGRAMS = {
    "keras1/mnist_mlp.py": Spec(0.9, (
        "write Dense(kernel_initializer='glorot_uniform')",
        "write RMSprop(learning_rate=0.002)", "write fit(epochs=4)",
        "write np.argmax(model.predict(x), axis=-1)")),
    "keras1/mnist_convnet.py": Spec(0.9, (
        "write Conv2D(8, (3, 3), ...)", "write Conv2D(padding='valid')",
        "write K.image_data_format()", "write fit(epochs=4)")),
    "keras1/imdb_lstm.py": Spec(0.8, (
        "write imdb.load_data(num_words=500)",
        "write LSTM(dropout=0.1)", "Embedding(dropout=0.1)")),
    "keras1/imdb_fasttext.py": Spec(0.85, (
        "write AveragePooling1D(pool_size=80)",
        "start the model with Input(shape=(80,))")),
    "keras1/reuters_mlp.py": Spec(0.85, (
        "write reuters.load_data(num_words=400)",
        "write Tokenizer(num_words=400)")),
    "keras1/vae.py": Spec(0.4, (
        "write Model(inputs=..., outputs=...)",
        "write K.random_normal(stddev=...)")),
    "keras1/siamese.py": Spec(0.9, (
        "write Model(inputs=..., outputs=...)", "write fit(epochs=6)")),
    "keras1/stateful_lstm.py": Spec(0.92, (
        "write Adam(learning_rate=0.01)", "write fit(epochs=1)")),
    "keras1/addition_rnn.py": Spec(0.6, ("write fit(epochs=12)",)),
    "keras1/custom_layer.py": Spec(0.9, ("write fit(epochs=5)",)),
    "keras1/image_augmentation.py": Spec(0.8, (
        "write Conv2D(padding='same')",
        "write fit(generator, ..., steps_per_epoch=16)",
        "write evaluate(generator, ..., steps=4)")),
    "keras1/sklearn_grid_search.py": Spec(0.9, (
        "write KerasClassifier(epochs=10)",)),
    "keras2/mnist_mlp.py": Spec(0.9, ("write RMSprop(learning_rate=0.001)",)),
    "keras2/mnist_convnet.py": Spec(0.9, (
        "write SGD(learning_rate=0.05)",
        "write np.argmax(model.predict(x), axis=-1)")),
    "keras2/imdb_lstm.py": Spec(0.8, ()),
    "keras2/imdb_fasttext.py": Spec(0.85, (
        "start the model with Input(shape=(120,))",)),
    "keras2/reuters_mlp.py": Spec(0.85, ()),
    "keras2/vae.py": Spec(0.4, ()),
    "keras2/siamese.py": Spec(0.9, ()),
    "keras2/stateful_lstm.py": Spec(0.92, ("write Adam(learning_rate=0.01)",)),
    "keras2/addition_rnn.py": Spec(0.6, ("write Adam(learning_rate=0.01)",)),
    "keras2/custom_layer.py": Spec(0.85, ("write Adam(learning_rate=0.01)",)),
    "keras2/image_augmentation.py": Spec(0.8, (
        "write fit(generator, steps_per_epoch=..., ...)",
        "write evaluate(generator, steps=...)")),
    "keras2/sklearn_grid_search.py": Spec(0.9, (
        "write Adam(learning_rate=0.02)",)),
    # The fixture's classes are patterns at grid positions, which flips
    # and shifts move: augmentation caps accuracy near 0.6 there.
    "keras2/augmentation_layers.py": Spec(0.45, ()),
    "keras3/mnist_mlp.py": Spec(0.9, ()),
    "keras3/mnist_convnet.py": Spec(0.9, ()),
    "keras3/imdb_lstm.py": Spec(0.8, ()),
    "keras3/imdb_fasttext.py": Spec(0.85, ()),
    "keras3/reuters_mlp.py": Spec(0.85, ()),
    "keras3/vae.py": Spec(0.4, ()),
    "keras3/siamese.py": Spec(0.9, ()),
    "keras3/stateful_lstm.py": Spec(0.92, ()),
    "keras3/addition_rnn.py": Spec(0.6, ()),
    "keras3/custom_layer.py": Spec(0.9, ()),
    "keras3/image_augmentation.py": Spec(0.8, ()),
    "keras3/sklearn_grid_search.py": Spec(0.85, ()),
    "keras3/augmentation_layers.py": Spec(0.45, ()),
    "keras3/text_vectorization.py": Spec(0.9, ()),
    "keras3/structured_data.py": Spec(0.9, ()),
}

JAX_SUBSET = {
    "keras1/mnist_convnet.py", "keras2/siamese.py", "keras3/imdb_fasttext.py",
    "keras1/vae.py", "keras2/vae.py", "keras3/vae.py",
    "keras1/custom_layer.py", "keras2/custom_layer.py",
    "keras3/custom_layer.py", "keras3/augmentation_layers.py",
}

# Programs that need a lamina change outside the era-program files.
BLOCKED = {}


def _selected():
    if B.name == "jax" and not os.environ.get("LAMINA_ERA_PROGRAMS_ALL"):
        return [p for p in PROGRAMS if p in JAX_SUBSET]
    return list(PROGRAMS)


def _params():
    out = []
    for program in _selected():
        marks = []
        if program in BLOCKED:
            marks.append(pytest.mark.xfail(reason=BLOCKED[program],
                                           strict=True))
        out.append(pytest.param(program, id=program, marks=marks))
    return out


def _write_data(root):
    """The fixture data sets, where each era's loader looks."""
    # (Not named `lamina`: the programs run from `root`, where a `lamina`
    # folder would shadow the package.)
    lamina_home = os.path.join(root, "lamina_home")
    keras_home = os.path.join(root, "keras_home")
    lamina_data = os.path.join(lamina_home, "datasets")
    keras_data = os.path.join(keras_home, "datasets")
    dataset_fixtures.write_mnist(lamina_data, n_train=600, n_test=100)
    dataset_fixtures.write_cifar10(lamina_data, n_train=500, n_test=100)
    dataset_fixtures.write_imdb(keras_data, n_train=500, n_test=100)
    dataset_fixtures.write_reuters(keras_data, n=600)
    return lamina_home, keras_home


def _environment(lamina_home, keras_home):
    env = dict(os.environ, LAMINA_HOME=lamina_home, KERAS_HOME=keras_home,
               LAMINA_BACKEND=B.name, PYTHONHASHSEED="0")
    env.pop("KERAS_BACKEND", None)
    # No downloads: every URL goes to a proxy that refuses connections.
    for key in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        env[key] = "http://127.0.0.1:9"
    env.pop("no_proxy", None)
    env.pop("NO_PROXY", None)
    # One engine thread per program: two programs share the 2 CI cores,
    # and tiny models gain nothing from more (torch's default thread pool
    # made steps ~10x slower on a loaded machine).
    env.update(OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    return env


Result = collections.namedtuple("Result", "returncode stdout stderr seconds")


class _Runner:
    """Runs the selected programs, two at a time, in test order: asking
    for one program's result also starts the next one queued."""

    def __init__(self, queue, env, folder, parallel=2):
        self.queue = list(queue)
        self.env = env
        self.folder = folder
        self.parallel = parallel
        self.running = {}
        self.done = {}

    def _start(self, program):
        stem = os.path.join(self.folder, program.replace("/", "_"))
        # Files, not pipes: a full pipe would stall a program; they stay
        # open while it runs and are closed in `_finish`.
        out = open(stem + ".out", "w+")  # noqa: SIM115
        err = open(stem + ".err", "w+")  # noqa: SIM115
        process = subprocess.Popen(
            [sys.executable, "-m", "lamina", "run",
             os.path.join(HERE, program)],
            cwd=self.folder, env=self.env, stdout=out, stderr=err)
        self.running[program] = (process, out, err, time.monotonic())

    def _finish(self, program):
        process, out, err, start = self.running.pop(program)
        try:
            process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        seconds = time.monotonic() - start
        texts = []
        for f in (out, err):
            f.seek(0)
            texts.append(f.read())
            f.close()
        self.done[program] = Result(process.returncode, texts[0], texts[1],
                                    seconds)

    def result(self, program):
        if program not in self.done:
            if program in self.queue:
                # Pending programs before this one were deselected or
                # already reported; start from this one.
                self.queue = self.queue[self.queue.index(program):]
            while self.queue and len(self.running) < self.parallel:
                self._start(self.queue.pop(0))
            if program not in self.running:
                self._start(program)
            self._finish(program)
        # Keep the pipeline full for the next test.
        while self.queue and len(self.running) < self.parallel:
            self._start(self.queue.pop(0))
        return self.done.pop(program)

    def close(self):
        for program in list(self.running):
            self.running[program][0].kill()
            self._finish(program)


@pytest.fixture(scope="module")
def runner(request):
    order = [item.callspec.params["program"]
             for item in request.session.items
             if item.module is sys.modules[__name__] and
             hasattr(item, "callspec") and
             "program" in item.callspec.params]
    with tempfile.TemporaryDirectory(prefix="era-programs-") as root:
        lamina_home, keras_home = _write_data(root)
        runs = _Runner(order, _environment(lamina_home, keras_home), root)
        try:
            yield runs
        finally:
            runs.close()


def _accuracy(stdout):
    found = re.findall(r"^RESULT accuracy=([0-9.]+)\s*$", stdout,
                       flags=re.MULTILINE)
    return float(found[-1]) if found else None


@needs_training
@pytest.mark.parametrize("program", _params())
def test_era_program(program, runner):
    spec = PROGRAMS[program]
    result = runner.result(program)
    context = (f"{program} ({result.seconds:.1f} s)\n--- stdout (end)\n"
               f"{result.stdout[-2000:]}\n--- stderr (end)\n"
               f"{result.stderr[-4000:]}")
    assert result.returncode == 0, context
    accuracy = _accuracy(result.stdout)
    assert accuracy is not None, "no RESULT line\n" + context
    assert accuracy >= spec.threshold, \
        f"accuracy {accuracy} < {spec.threshold}\n" + context
    for snippet in spec.warnings:
        assert snippet in result.stderr, \
            f"missing warning {snippet!r}\n" + context
    if program.startswith("keras2/"):
        assert "is the Keras 1 spelling" not in result.stderr, context
    if program.startswith("keras3/"):
        assert "DeprecationWarning" not in result.stderr, context


def test_every_program_file_is_listed():
    on_disk = {f"{era}/{name}" for era in ("keras1", "keras2", "keras3")
               for name in os.listdir(os.path.join(HERE, era))
               if name.endswith(".py")}
    assert on_disk == set(PROGRAMS)
    assert JAX_SUBSET <= set(PROGRAMS) and set(BLOCKED) <= set(PROGRAMS)
