"""Jax backend: the conv primitives of `lamina.backend.interface`."""
