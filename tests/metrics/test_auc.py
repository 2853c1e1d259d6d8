"""`AUC` against scikit-learn and against NumPy formulas.

ROC: scores are put on the midpoints between thresholds, where the
thresholded curve passes through every point of the exact one, so the
trapezoid sum equals `roc_auc_score` exactly; on continuous scores it is
within 1e-2. PR with 'interpolation' uses Davis & Goadrich's interpolation,
which is not average precision: it is compared exactly with a NumPy
implementation of that formula (written below from the paper's idea), and
only loosely (0.05) with `average_precision_score`.
"""

import numpy as np
import pytest
from sklearn import metrics as skm

from lamina import metrics, ops

RNG = np.random.default_rng(31)
T = 200


def to_np(x):
    return np.asarray(ops.convert_to_numpy(x))


def grid_scores(shape, num_thresholds=T):
    """Scores at bucket midpoints `(k + 0.5) / (T - 1)`."""
    k = RNG.integers(0, num_thresholds - 1, shape)
    return ((k + 0.5) / (num_thresholds - 1)).astype("float32")


def batches(weighted, scores=grid_scores, shape=(), sizes=(12, 12, 12)):
    out = []
    for size in sizes:
        y = RNG.integers(0, 2, (size,) + shape).astype("float32")
        w = RNG.uniform(0.1, 2, size).astype("float32") if weighted else None
        out.append((y, scores((size,) + shape), w))
    return out


def run(metric, data):
    for y, p, w in data:
        metric.update_state(y, p, sample_weight=w)
    return float(to_np(metric.result()))


def joined(data, column=None):
    pick = (lambda a: a) if column is None else (lambda a: a[:, column])
    y = np.concatenate([pick(b[0]) for b in data])
    p = np.concatenate([pick(b[1]) for b in data])
    w = None if data[0][2] is None else np.concatenate([b[2] for b in data])
    return y, p, w


def counts(y, p, w, thresholds, clip=True):
    """tp, fp, tn, fn per threshold. Evenly spaced thresholds (the default)
    clip the scores to [0, 1] first, as Keras does; others do not."""
    w = np.ones_like(y) if w is None else w
    p = np.clip(p, 0, 1) if clip else p
    above = p[None] > np.asarray(thresholds)[:, None]
    pos = (y != 0)[None]
    return [((a & b) * w).sum(1) for a, b in (
        (above, pos), (above, ~pos), (~above, ~pos), (~above, pos))]


def auc_thresholds(num=T):
    eps = 1e-7
    return np.array([-eps] + [(i + 1) / (num - 1) for i in range(num - 2)]
                    + [1 + eps], "float32")


def pr_interpolated(tp, fp, fn):
    """PR-AUC with TP linear in P = TP + FP between thresholds."""
    total = 0.0
    p = tp + fp
    for a in range(len(tp) - 1):
        b = a + 1
        d_tp, d_p = tp[a] - tp[b], p[a] - p[b]
        if d_p <= 0 or tp[b] + fn[b] <= 0:
            continue
        slope = d_tp / d_p
        intercept = tp[b] - slope * p[b]
        log_term = np.log(p[a] / p[b]) if p[a] > 0 and p[b] > 0 else 0.0
        total += slope * (d_tp + intercept * log_term) / (tp[b] + fn[b])
    return total


def riemann(x, y, method):
    heights = {"interpolation": (y[:-1] + y[1:]) / 2,
               "minoring": np.minimum(y[:-1], y[1:]),
               "majoring": np.maximum(y[:-1], y[1:])}[method]
    return float(np.sum((x[:-1] - x[1:]) * heights))


def rates(tp, fp, tn, fn):
    def div(a, b):
        return np.where(b > 0, a / np.where(b > 0, b, 1), 0.0)
    return div(tp, tp + fn), div(fp, fp + tn), div(tp, tp + fp)


@pytest.mark.parametrize("weighted", [False, True])
def test_roc_matches_sklearn_exactly_on_grid_scores(weighted):
    data = batches(weighted)
    y, p, w = joined(data)
    m = metrics.AUC()
    assert m.name == "auc" and m.num_thresholds == T
    assert run(m, data) == pytest.approx(
        skm.roc_auc_score(y, p, sample_weight=w), abs=1e-5)


def test_roc_close_to_sklearn_on_continuous_scores():
    data = batches(True, scores=lambda s: RNG.uniform(0, 1, s).astype(
        "float32"), sizes=(12, 12, 12))
    y, p, w = joined(data)
    assert run(metrics.AUC(), data) == pytest.approx(
        skm.roc_auc_score(y, p, sample_weight=w), abs=1e-2)


@pytest.mark.parametrize("weighted", [False, True])
def test_pr_interpolation_matches_the_formula(weighted):
    data = batches(weighted, scores=lambda s: RNG.uniform(0, 1, s).astype(
        "float32"), sizes=(60, 60))
    y, p, w = joined(data)
    tp, fp, _, fn = counts(y, p, w, auc_thresholds())
    out = run(metrics.AUC(curve="PR"), data)
    assert out == pytest.approx(pr_interpolated(tp, fp, fn), rel=1e-4)
    assert out == pytest.approx(skm.average_precision_score(
        y, p, sample_weight=w), abs=0.05)


@pytest.mark.parametrize("curve,method", [
    ("ROC", "interpolation"), ("ROC", "minoring"), ("ROC", "majoring"),
    ("PR", "minoring"), ("PR", "majoring")])
def test_riemann_sums_match_numpy(curve, method):
    data = batches(True, scores=lambda s: RNG.uniform(0, 1, s).astype(
        "float32"))
    y, p, w = joined(data)
    recall, fp_rate, precision = rates(*counts(y, p, w, auc_thresholds()))
    x, h = (fp_rate, recall) if curve == "ROC" else (recall, precision)
    m = metrics.AUC(curve=curve.lower(), summation_method=method)
    assert run(m, data) == pytest.approx(riemann(x, h, method), rel=1e-5)


def test_minoring_and_majoring_bound_the_roc_auc():
    data = batches(True, scores=lambda s: RNG.uniform(0, 1, s).astype(
        "float32"))
    y, p, w = joined(data)
    exact = skm.roc_auc_score(y, p, sample_weight=w)
    low = run(metrics.AUC(summation_method="minoring"), data)
    high = run(metrics.AUC(summation_method="majoring"), data)
    assert low - 1e-6 <= exact <= high + 1e-6


@pytest.mark.parametrize("label_weights", [None, [1.0, 3.0, 0.5]])
def test_multi_label_averages_per_label_aucs(label_weights):
    data = batches(True, shape=(3,))
    m = metrics.AUC(multi_label=True, label_weights=label_weights)
    assert m.variables == []  # built at the first update
    out = run(m, data)
    assert [tuple(v.shape) for v in m.variables] == [(T, 3)] * 4
    per_label = []
    for column in range(3):
        y, p, w = joined(data, column)
        per_label.append(skm.roc_auc_score(y, p, sample_weight=w))
    expected = np.average(per_label, weights=label_weights)
    assert out == pytest.approx(expected, abs=1e-5)
    built = metrics.AUC(multi_label=True, num_labels=3)
    assert [tuple(v.shape) for v in built.variables] == [(T, 3)] * 4


def test_label_weights_weight_flattened_predictions():
    data = batches(True, shape=(3,))
    label_weights = np.array([1.0, 3.0, 0.5], "float32")
    out = run(metrics.AUC(label_weights=label_weights), data)
    y = np.concatenate([b[0] for b in data])
    p = np.concatenate([b[1] for b in data])
    w = np.concatenate([b[2] for b in data])[:, None] * label_weights
    assert out == pytest.approx(skm.roc_auc_score(
        y.ravel(), p.ravel(), sample_weight=w.ravel()), abs=1e-5)


def test_from_logits_applies_a_sigmoid():
    data = batches(True)
    logits = [(y, np.log(p / (1 - p)), w) for y, p, w in data]
    assert run(metrics.AUC(from_logits=True, curve="PR"), logits) == \
        pytest.approx(run(metrics.AUC(curve="PR"), data), rel=1e-4)


@pytest.mark.parametrize("thresholds", [[0.25, 0.5, 0.75], [0.1, 0.35, 0.9]])
def test_given_thresholds(thresholds):
    data = batches(True, scores=lambda s: RNG.uniform(-0.1, 1.1, s).astype(
        "float32"))
    y, p, w = joined(data)
    m = metrics.AUC(thresholds=thresholds, summation_method="minoring")
    assert m.num_thresholds == len(thresholds) + 2
    cuts = np.array([-1e-7] + sorted(thresholds) + [1 + 1e-7], "float32")
    evenly = thresholds == [0.25, 0.5, 0.75]
    recall, fp_rate, _ = rates(*counts(y, p, w, cuts, clip=evenly))
    assert run(m, data) == pytest.approx(
        riemann(fp_rate, recall, "minoring"), rel=1e-5)
    config = m.get_config()
    assert config["thresholds"] == pytest.approx(thresholds)
    assert metrics.AUC.from_config(config).get_config() == config


def test_prgain_curve_runs_and_is_bounded():
    data = batches(True, scores=lambda s: RNG.uniform(0, 1, s).astype(
        "float32"))
    out = run(metrics.AUC(curve="PRGAIN"), data)
    assert np.isfinite(out) and -1.0 <= out <= 1.0


def test_keras_documented_values():
    m = metrics.AUC(num_thresholds=3)
    m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
    assert float(to_np(m.result())) == pytest.approx(0.75)
    np.testing.assert_allclose(to_np(m.true_positives), [2, 1, 0])
    np.testing.assert_allclose(to_np(m.true_negatives), [0, 2, 2])
    m.reset_state()
    m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9],
                   sample_weight=[1, 0, 0, 1])
    assert float(to_np(m.result())) == pytest.approx(1.0)
    m.reset_state()
    assert float(to_np(m.result())) == 0.0


def test_stateless_twin_matches():
    data = batches(True)
    m, twin = metrics.AUC(curve="PR"), metrics.AUC(curve="PR")
    state = twin.stateless_reset_state()
    for y, p, w in data:
        state = twin.stateless_update_state(state, y, p, sample_weight=w)
    assert float(to_np(twin.stateless_result(state))) == pytest.approx(
        run(m, data), rel=1e-6)


@pytest.mark.parametrize("kwargs", [
    {}, {"num_thresholds": 50, "curve": "PR", "summation_method": "majoring",
         "from_logits": True},
    {"multi_label": True, "num_labels": 4, "label_weights": [1, 2, 3, 4]},
    {"thresholds": [0.2, 0.6]}])
def test_config_round_trip(kwargs):
    m = metrics.AUC(name="my_auc", **kwargs)
    assert m._direction == "up"  # callbacks' mode='auto' maximizes it
    config = m.get_config()
    assert config["curve"] in ("ROC", "PR")
    assert metrics.AUC.from_config(config).get_config() == config
    restored = metrics.deserialize(metrics.serialize(m))
    assert type(restored) is metrics.AUC
    assert restored.get_config() == config
    assert isinstance(metrics.get("auc"), metrics.AUC)


def test_bad_arguments():
    with pytest.raises(ValueError, match="curve"):
        metrics.AUC(curve="XYZ")
    with pytest.raises(ValueError, match="summation method"):
        metrics.AUC(summation_method="trapezoid")
    with pytest.raises(ValueError, match="num_thresholds"):
        metrics.AUC(num_thresholds=1)
    with pytest.raises(ValueError, match="multi_label"):
        metrics.AUC(num_labels=3)
    with pytest.raises(ValueError, match="rank 2"):
        metrics.AUC(multi_label=True).update_state([1, 0], [0.2, 0.4])
    with pytest.raises(ValueError, match="label_weights"):
        metrics.AUC(label_weights=[1, 2]).update_state(
            np.ones((2, 3)), np.ones((2, 3)))


def test_loads_a_keras_config_with_tensor_label_weights():
    config = {"module": "keras.metrics", "class_name": "AUC",
              "registered_name": None,
              "config": {"name": "auc", "dtype": "float32",
                         "num_thresholds": 200, "curve": "PR",
                         "summation_method": "interpolation",
                         "multi_label": True, "num_labels": 3,
                         "label_weights": {"class_name": "__tensor__",
                                           "config": {"value": [1.0, 2.0,
                                                                0.5],
                                                      "dtype": "float32"}},
                         "from_logits": False}}
    m = metrics.deserialize(config)
    assert m.label_weights == [1.0, 2.0, 0.5] and m.curve == "PR"
