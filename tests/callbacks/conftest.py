"""Fixtures for the callback tests."""

import pytest
from callback_helpers import make_data, make_model

from lamina.ops._bind import B


@pytest.fixture
def data():
    """Training data; tests that train skip on an inference-only backend."""
    if not B.supports_training:
        pytest.skip(f"the '{B.name}' backend can't train")
    return make_data()


@pytest.fixture
def model(data):
    return make_model()
