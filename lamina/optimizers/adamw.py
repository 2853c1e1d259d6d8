"""AdamW: Adam with decoupled weight decay."""

from lamina.optimizers.adam import Adam


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter, 2019).

    Before each Adam step (see `Adam`), every variable not excluded with
    `exclude_from_weight_decay` shrinks by the learning rate times the
    decay:

        w <- w - w * weight_decay * lr
        w <- adam_step(w, g)

    This is `torch.optim.AdamW`'s order and scaling as well.

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable.
        weight_decay: the decay rate (required; default 0.004).
        beta_1, beta_2, epsilon, amsgrad: as for `Adam`.
        name: the optimizer's name.
        **kwargs: the other `Optimizer` arguments.
    """

    def __init__(self, learning_rate=0.001, weight_decay=0.004, beta_1=0.9,
                 beta_2=0.999, epsilon=1e-7, amsgrad=False, name="adamw",
                 **kwargs):
        if weight_decay is None:
            raise ValueError("AdamW: `weight_decay` must be a float, got "
                             "None; use Adam for no weight decay.")
        super().__init__(learning_rate=learning_rate, beta_1=beta_1,
                         beta_2=beta_2, epsilon=epsilon, amsgrad=amsgrad,
                         name=name, weight_decay=weight_decay, **kwargs)
