"""Torch fast paths for the most used optimizer rules.

Each optimizer's rule is written once in `lamina.ops` (its `update_step`),
and that is what every backend runs. On torch, those ops allocate a
temporary per operation; on a CPU the allocations cost more than the math
(Adam: about 12 full-size temporaries per weight against torch.optim's 5
in-place kernels). The functions here apply the *same* rule to all weights
at once with torch's in-place multi-tensor (`_foreach_*`) kernels. They are
used only outside a stateless scope and only for the exact configurations
they implement; `tests/optimizers/test_fast_paths.py` checks they give the
same weights as `update_step`.

Each kernel takes `(optimizer, grads, variables, learning_rate)` and
returns True when it applied the update, False to fall back.
"""

import torch


def _values(variables):
    return [v._value for v in variables]


def _slots(optimizer, slots, variables):
    return [slots[optimizer._get_variable_index(v)]._value
            for v in variables]


def _same_dtype(grads, params):
    dtype = params[0].dtype
    return all(p.dtype == dtype for p in params) and \
        all(g.dtype == dtype for g in grads)


def adam(optimizer, grads, variables, learning_rate):
    """Adam / AdamW (Keras 3 rule; weight decay is applied before)."""
    params = _values(variables)
    grads = [g.contiguous() if not g.is_contiguous() else g for g in grads]
    if not _same_dtype(grads, params):
        return False
    alpha = optimizer._step_constants(variables[0].dtype, learning_rate)
    m = _slots(optimizer, optimizer._momentums, variables)
    v = _slots(optimizer, optimizer._velocities, variables)
    # m += (g - m) * (1 - beta_1);  v += (g^2 - v) * (1 - beta_2)
    torch._foreach_lerp_(m, grads, 1.0 - optimizer.beta_1)
    torch._foreach_mul_(v, optimizer.beta_2)
    torch._foreach_addcmul_(v, grads, grads, 1.0 - optimizer.beta_2)
    if optimizer.amsgrad:
        v_hat = _slots(optimizer, optimizer._velocity_hats, variables)
        torch._foreach_maximum_(v_hat, v)
        v = v_hat
    # var -= m * alpha / (sqrt(v) + epsilon), as var -= m / (denom / alpha)
    denom = torch._foreach_sqrt(v)
    torch._foreach_add_(denom, optimizer.epsilon)
    torch._foreach_div_(denom, alpha)
    torch._foreach_addcdiv_(params, m, denom, -1.0)
    return True


def sgd(optimizer, grads, variables, learning_rate):
    """SGD with optional (Nesterov) momentum (Keras 3 rule)."""
    params = _values(variables)
    if not _same_dtype(grads, params):
        return False
    lr = optimizer._step_constants(variables[0].dtype, learning_rate)
    scaled = torch._foreach_mul(grads, lr)
    if not optimizer._momentums:
        torch._foreach_sub_(params, scaled)
        return True
    m = _slots(optimizer, optimizer._momentums, variables)
    # m = momentum * m - lr * g
    torch._foreach_mul_(m, optimizer.momentum)
    torch._foreach_sub_(m, scaled)
    if optimizer.nesterov:
        # var += momentum * m - lr * g
        step = torch._foreach_mul(m, optimizer.momentum)
        torch._foreach_sub_(step, scaled)
        torch._foreach_add_(params, step)
    else:
        torch._foreach_add_(params, m)
    return True


KERNELS = {"adam": adam, "sgd": sgd}
