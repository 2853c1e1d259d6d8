"""Test helpers shared by lamina's own tests and by users' custom layers."""

from lamina.testing.layer_test import check_gradients, run_layer_test

__all__ = ["check_gradients", "run_layer_test"]
