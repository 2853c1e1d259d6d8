"""Fixtures for the callback tests."""

import pytest
from callback_helpers import make_data, make_model


@pytest.fixture
def model():
    return make_model()


@pytest.fixture
def data():
    return make_data()
