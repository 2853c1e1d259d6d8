"""Jax backend: the rnn primitives of `lamina.backend.interface`."""
