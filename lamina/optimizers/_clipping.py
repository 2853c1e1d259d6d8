"""Gradient clipping by value, by norm and by global norm."""

from lamina import ops


def _l2_norm(x):
    return ops.sqrt(ops.sum(ops.square(x)))


def clip_by_norm(grad, clipnorm):
    """`grad * clipnorm / max(||grad||, clipnorm)`: rescaled to norm
    `clipnorm` if it is longer, unchanged otherwise."""
    return grad * (float(clipnorm) / ops.maximum(_l2_norm(grad),
                                                 float(clipnorm)))


def clip_by_global_norm(grads, clipnorm):
    """All `grads` scaled by `clipnorm / max(global_norm, clipnorm)`, where
    `global_norm = sqrt(sum of squares of every element)`.

    A non-finite global norm gives NaN gradients (as Keras does), so a
    diverged step shows up instead of silently becoming a zero step.
    """
    total = ops.sqrt(sum(ops.sum(ops.square(g)) for g in grads))
    scale = float(clipnorm) / ops.maximum(total, float(clipnorm))
    scale = ops.where(ops.isfinite(total), scale, float("nan"))
    return [g * ops.cast(scale, ops.dtype(g)) for g in grads]


def clip_gradients(grads, clipnorm=None, clipvalue=None, global_clipnorm=None):
    """Applies whichever of the three clipping options is set (0 = off)."""
    if clipnorm:
        return [clip_by_norm(g, clipnorm) for g in grads]
    if global_clipnorm:
        return clip_by_global_norm(grads, global_clipnorm)
    if clipvalue:
        v = float(clipvalue)
        return [ops.clip(g, -v, v) for g in grads]
    return grads
