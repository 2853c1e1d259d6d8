"""Torch backend: the image primitives of `lamina.backend.interface`."""
