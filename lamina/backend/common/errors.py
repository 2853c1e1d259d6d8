"""Errors shared by the backends and the layers above them."""


class BackendCannotTrainError(RuntimeError):
    """A training call (fit, gradients) on an inference-only backend."""
