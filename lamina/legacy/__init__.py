"""Keras 1/2 compatibility: old spellings, module aliases, `lamina run`."""
