"""The `Metric` base class: state variables, reset, stateless twins."""

import numpy as np
import pytest

from lamina import metrics, ops


def to_np(x):
    return np.asarray(ops.convert_to_numpy(x))


class MaxSeen(metrics.Metric):
    """The largest value seen, and how many batches."""

    def __init__(self, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.best = self.add_variable((), "zeros", name="best")
        self.batches = self.add_variable((), "zeros", dtype="int32",
                                         name="batches")

    def update_state(self, values):
        self.best.assign(ops.maximum(self.best.value, ops.max(values)))
        self.batches.assign_add(1)

    def result(self):
        return self.best.value * 1.0


def test_variables_are_non_trainable_named_state():
    m = MaxSeen()
    assert m.name == "max_seen"
    assert [v.name for v in m.variables] == ["best", "batches"]
    assert [v.path for v in m.variables] == ["max_seen/best",
                                             "max_seen/batches"]
    assert not any(v.trainable for v in m.variables)
    assert m.variables[0].dtype == "float32"
    assert m.variables[1].dtype == "int32"
    assert m.variables[0].aggregation == "sum"


def test_update_result_reset_and_call():
    m = MaxSeen()
    m.update_state([1.0, 5.0])
    m.update_state([3.0])
    assert float(to_np(m.result())) == 5.0
    assert int(to_np(m.batches)) == 2
    m.reset_state()
    assert [float(to_np(v)) for v in m.variables] == [0.0, 0.0]
    assert float(to_np(m([2.0]))) == 2.0


def test_add_variable_initializers():
    m = metrics.Metric(name="m")
    ones = m.add_variable((2,), "ones", name="a")
    value = m.add_variable((2,), np.array([3.0, 4.0], "float32"), name="b")
    fn = m.add_variable((3,), lambda shape, dtype: np.full(shape, 7.0),
                        name="c")
    np.testing.assert_array_equal(to_np(ones), [1, 1])
    np.testing.assert_array_equal(to_np(value), [3, 4])
    np.testing.assert_array_equal(to_np(fn), [7, 7, 7])
    m.reset_state()
    np.testing.assert_array_equal(to_np(value), [0, 0])


def test_add_variable_before_super_init_is_an_error():
    class Broken(metrics.Metric):
        def __init__(self):
            self.total = self.add_variable((), "zeros")

    with pytest.raises(RuntimeError, match="super"):
        Broken()


def test_base_methods_must_be_implemented():
    m = metrics.Metric()
    with pytest.raises(NotImplementedError, match="update_state"):
        m.update_state(1.0)
    with pytest.raises(NotImplementedError, match="result"):
        m.result()


def test_sub_metric_variables_are_tracked():
    class Pair(metrics.Metric):
        def __init__(self):
            super().__init__(name="pair")
            self.a = metrics.Mean(name="a")
            self.b = metrics.Sum(name="b")

        def update_state(self, values):
            self.a.update_state(values)
            self.b.update_state(values)

        def result(self):
            return self.a.result() + self.b.result()

    m = Pair()
    assert [v.path for v in m.variables] == ["a/total", "a/count",
                                             "b/total"]
    m.update_state([1.0, 3.0])
    assert float(to_np(m.result())) == 6.0
    m.reset_state()
    assert float(to_np(m.b.result())) == 0.0


def test_stateless_update_state_leaves_variables_alone():
    m = metrics.Mean()
    state = m.stateless_reset_state()
    assert [float(to_np(s)) for s in state] == [0.0, 0.0]
    state = m.stateless_update_state(state, [1.0, 2.0, 3.0])
    state = m.stateless_update_state(state, [10.0], sample_weight=[2.0])
    assert [float(to_np(v)) for v in m.variables] == [0.0, 0.0]
    assert [float(to_np(s)) for s in state] == [26.0, 5.0]
    assert float(to_np(m.stateless_result(state))) == pytest.approx(5.2)
    m.update_state([1.0, 2.0, 3.0])
    m.update_state([10.0], sample_weight=[2.0])
    assert float(to_np(m.result())) == pytest.approx(5.2)


def test_stateless_reset_does_not_touch_variables():
    m = metrics.Sum()
    m.update_state([4.0])
    assert [float(to_np(s)) for s in m.stateless_reset_state()] == [0.0]
    assert float(to_np(m.result())) == 4.0


def test_stateless_update_state_checks_the_number_of_values():
    m = metrics.Mean()
    with pytest.raises(ValueError, match="2 state variables.*1 values"):
        m.stateless_update_state([0.0], [1.0])


def test_config_round_trip():
    m = MaxSeen(name="peak", dtype="float64")
    assert m.get_config() == {"name": "peak", "dtype": "float64"}
    again = MaxSeen.from_config(m.get_config())
    assert again.name == "peak" and again.best.dtype == "float64"
