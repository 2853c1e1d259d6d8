"""`lamina.datasets`: small data sets in Keras's `load_data()` form.

Each module's `load_data()` returns `(x_train, y_train), (x_test, y_test)`
as NumPy arrays.
"""

from lamina.datasets import digits

__all__ = ["digits"]
