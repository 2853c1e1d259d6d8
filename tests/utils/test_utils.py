import random

import numpy as np
import pytest

import lamina
from lamina import ops, utils


def test_public_names():
    from lamina.utils.progbar import Progbar
    from lamina.utils.summary import print_summary
    assert utils.Progbar is Progbar
    assert utils.print_summary is print_summary
    assert utils.np_utils.to_categorical is utils.to_categorical


def _draws():
    return (ops.convert_to_numpy(lamina.random.uniform((5,))),
            ops.convert_to_numpy(lamina.random.normal((3, 2))),
            np.random.rand(4), random.random(),
            lamina.random.SeedGenerator().initial_seed)


def test_set_random_seed_repeats_draws():
    utils.set_random_seed(1234)
    first = _draws()
    utils.set_random_seed(1234)
    second = _draws()
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    utils.set_random_seed(4321)
    third = _draws()
    assert not np.array_equal(first[0], third[0])
    assert not np.array_equal(first[2], third[2])


def test_set_random_seed_repeats_initial_weights():
    def weights():
        utils.set_random_seed(7)
        layer = lamina.layers.Dense(3)
        layer.build((None, 4))
        return layer.get_weights()[0]
    np.testing.assert_array_equal(weights(), weights())


@pytest.mark.parametrize("seed, error", [
    (1.5, TypeError), ("3", TypeError), (None, TypeError), (True, TypeError),
    (-1, ValueError), (2**32, ValueError)])
def test_set_random_seed_bad_seed(seed, error):
    with pytest.raises(error, match="seed"):
        utils.set_random_seed(seed)
