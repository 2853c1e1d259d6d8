"""Defaults that changed between Keras versions: a Keras program (run
through the `keras` alias) is told, never silently given another era's
value."""

import warnings

import numpy as np
import pytest

from lamina import optimizers
from lamina.legacy import aliases, arguments

KEY = "Adadelta default learning rate"


@pytest.fixture
def keras_program():
    arguments._warned.discard(KEY)
    aliases.alias_keras()
    yield
    aliases.unalias_keras()
    arguments._warned.discard(KEY)


def _lr(optimizer):
    return float(np.asarray(optimizer.learning_rate.numpy()))


def test_adadelta_default_learning_rate_is_named_in_keras_programs(
        keras_program):
    with pytest.warns(UserWarning, match=r"learning_rate=1\.0"):
        optimizer = optimizers.get("adadelta")
    assert _lr(optimizer) == pytest.approx(0.001)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        optimizers.Adadelta()  # once only
        assert _lr(optimizers.Adadelta(learning_rate=1.0)) == 1.0


def test_adadelta_default_is_quiet_outside_keras_programs():
    arguments._warned.discard(KEY)
    assert not aliases.is_aliased()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert _lr(optimizers.Adadelta()) == pytest.approx(0.001)
