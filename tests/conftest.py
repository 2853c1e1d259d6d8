import os
import tempfile

# Tests never touch the user's ~/.lamina: each session gets a fresh home.
os.environ.setdefault("LAMINA_HOME", tempfile.mkdtemp(prefix="lamina-home-"))

import pytest  # noqa: E402

from lamina.backend.common.errors import BackendCannotTrainError  # noqa


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "requires_training: needs a backend that can train")


def pytest_collection_modifyitems(config, items):
    from lamina.ops._bind import B
    if B.supports_training:
        return
    skip = pytest.mark.skip(reason=f"backend '{B.name}' can't train")
    for item in items:
        if "requires_training" in item.keywords:
            item.add_marker(skip)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    # On an inference-only backend (NumPy) a test that trains stops at the
    # first training call with BackendCannotTrainError: that is a skip, not
    # a failure (the error itself is tested in tests/backend).
    outcome = yield
    excinfo = outcome.excinfo
    if excinfo is not None and issubclass(excinfo[0],
                                          BackendCannotTrainError):
        if not getattr(item.function, "expects_cannot_train", False):
            outcome.force_exception(pytest.skip.Exception(
                f"needs training: {excinfo[1]}"))
