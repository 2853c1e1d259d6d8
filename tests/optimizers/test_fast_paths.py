"""A backend's multi-tensor optimizer kernels give the same weights as the
per-weight rule written in lamina.ops (`update_step`)."""

import numpy as np
import pytest

from lamina import optimizers
from lamina.ops._bind import B

CASES = [
    (optimizers.Adam, {}),
    (optimizers.Adam, {"amsgrad": True}),
    (optimizers.AdamW, {"weight_decay": 0.1}),
    (optimizers.SGD, {}),
    (optimizers.SGD, {"momentum": 0.9}),
    (optimizers.SGD, {"momentum": 0.9, "nesterov": True}),
]


def _run(cls, kwargs, fast):
    rng = np.random.default_rng(0)
    shapes = [(7, 5), (5,), (3, 4, 2)]
    variables = [B.Variable(rng.normal(size=s).astype("float32"))
                 for s in shapes]
    opt = cls(learning_rate=0.05, **kwargs)
    opt.use_fast_path = fast
    for _ in range(5):
        grads = [B.convert_to_tensor(rng.normal(size=s).astype("float32"))
                 for s in shapes]
        opt.apply(grads, variables)
    return [v.numpy() for v in variables], [v.numpy()
                                            for v in opt.variables]


@pytest.mark.parametrize("cls,kwargs", CASES)
def test_fast_path_equals_rule(cls, kwargs):
    if cls._fast_path not in getattr(getattr(B, "optimizer_kernels", None),
                                     "KERNELS", {}):
        pytest.skip(f"backend {B.name} has no fast path for {cls.__name__}")
    fast_w, fast_s = _run(cls, kwargs, True)
    slow_w, slow_s = _run(cls, kwargs, False)
    for a, b in zip(fast_w + fast_s, slow_w + slow_s):
        np.testing.assert_allclose(a, b, rtol=2e-6, atol=1e-7)
