"""Dtype names: lamina speaks NumPy-style strings ('float32', 'int64', ...)."""

import numpy as np

FLOAT_TYPES = ("float16", "bfloat16", "float32", "float64")
INT_TYPES = ("int8", "int16", "int32", "int64",
             "uint8", "uint16", "uint32", "uint64")
ALLOWED = FLOAT_TYPES + INT_TYPES + ("bool", "complex64", "complex128")

_ALIASES = {"float": "float32", "double": "float64", "half": "float16",
            "int": "int64", "long": "int64", "bool_": "bool",
            "boolean": "bool"}


def standardize_dtype(dtype):
    """A dtype given any common way (string, NumPy, engine dtype) as a string.

    None means the configured float type (`lamina.backend.floatx()`).
    """
    if dtype is None:
        from lamina import backend
        return backend.floatx()
    if isinstance(dtype, str):
        name = dtype
    elif hasattr(dtype, "name") and isinstance(dtype.name, str):
        name = dtype.name  # numpy dtypes, jax dtypes
    elif dtype in (float, int, bool):
        name = {float: "float32", int: "int64", bool: "bool"}[dtype]
    else:
        text = str(dtype)  # e.g. torch.float32
        name = text.split(".")[-1]
        if name.startswith("<class"):  # numpy scalar types: np.float32
            name = np.dtype(dtype).name
    name = _ALIASES.get(name, name)
    if name not in ALLOWED:
        raise ValueError(f"Invalid dtype: {dtype!r}. Expected one of "
                         f"{', '.join(ALLOWED)}.")
    return name


def is_float(dtype):
    return standardize_dtype(dtype) in FLOAT_TYPES


def is_int(dtype):
    return standardize_dtype(dtype) in INT_TYPES
