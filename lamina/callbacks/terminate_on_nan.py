"""`TerminateOnNaN`: stops training when the loss becomes NaN or inf."""

import math

from lamina.callbacks.callback import Callback
from lamina.utils.progbar import to_float


class TerminateOnNaN(Callback):
    """Stops training as soon as the loss is NaN or infinite.

    It reads the loss after every batch, which makes the loop wait for the
    device each step: the price of stopping at the first bad batch.

    Example:
        >>> TerminateOnNaN().get_config()
        {}
    """

    def on_train_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is None:
            return
        if not math.isfinite(to_float(loss)):
            print(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True
