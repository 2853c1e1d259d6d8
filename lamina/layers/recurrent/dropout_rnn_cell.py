"""`DropoutRNNCell`: the dropout masks a recurrent cell reuses every step.

A cell with `dropout` / `recurrent_dropout` drops the same units at every
timestep of a sequence (Gal & Ghahramani, 2016, "A Theoretically Grounded
Application of Dropout in Recurrent Neural Networks"), so the masks are
drawn once per call of the RNN layer, before the loop (which also keeps
random draws out of a compiled `scan` body), and cleared after it.
"""

from lamina import ops, random


class DropoutRNNCell:
    """Mixin for cells with `dropout`, `recurrent_dropout` and a
    `seed_generator` attribute."""

    def _new_mask(self, step_input, rate):
        return random.dropout(ops.ones_like(step_input), rate,
                              seed=self.seed_generator)

    def get_dropout_mask(self, step_input):
        """The mask for the inputs (drawn on first use, then cached)."""
        if getattr(self, "_dropout_mask", None) is None and \
                self.dropout > 0:
            self._dropout_mask = self._new_mask(step_input, self.dropout)
        return getattr(self, "_dropout_mask", None)

    def get_recurrent_dropout_mask(self, step_state):
        """The mask for the recurrent state (drawn on first use, cached)."""
        if getattr(self, "_recurrent_dropout_mask", None) is None and \
                self.recurrent_dropout > 0:
            self._recurrent_dropout_mask = self._new_mask(
                step_state, self.recurrent_dropout)
        return getattr(self, "_recurrent_dropout_mask", None)

    def reset_dropout_mask(self):
        self._dropout_mask = None

    def reset_recurrent_dropout_mask(self):
        self._recurrent_dropout_mask = None
