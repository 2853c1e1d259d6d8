"""`DTypePolicy`: the dtypes a layer stores its weights in and computes in.

A policy named after a dtype ('float32', 'float64', 'bfloat16', ...) uses
that dtype for both. 'mixed_float16' and 'mixed_bfloat16' keep the weights
in float32 and compute in float16 / bfloat16: a layer casts its float inputs
to the compute dtype and, inside its `call`, reads its float weights as the
compute dtype (Micikevicius et al. 2018, "Mixed Precision Training",
arXiv:1710.03740). Layers take the global policy unless given `dtype=`.
"""

import numpy as np

from lamina.backend.common.dtypes import standardize_dtype

_MIXED = {"mixed_float16": ("float16", "float32"),
          "mixed_bfloat16": ("bfloat16", "float32")}
# Class names other Keras versions saved policies under.
_CLASS_NAMES = ("DTypePolicy", "FloatDTypePolicy", "Policy")


def _parse(name):
    """`(compute_dtype, variable_dtype)` of the policy called `name`."""
    if name in _MIXED:
        return _MIXED[name]
    try:
        dtype = standardize_dtype(name)
    except ValueError:
        raise ValueError(
            f"Cannot convert {name!r} to a mixed precision DTypePolicy. "
            "Valid policies include 'mixed_float16', 'mixed_bfloat16', and "
            "the name of any dtype such as 'float32'.") from None
    return dtype, dtype


class DTypePolicy:
    """The dtypes of a layer's computations and of its weights.

    Args:
        name: 'float32', 'float64', 'float16', 'bfloat16' (or another
            dtype name): compute and store in that dtype; 'mixed_float16' or
            'mixed_bfloat16': compute in float16 / bfloat16, store weights
            in float32. None: the global policy's name.

    Example:

    >>> policy = DTypePolicy("mixed_bfloat16")
    >>> policy.compute_dtype, policy.variable_dtype
    ('bfloat16', 'float32')
    """

    def __init__(self, name=None):
        if name is None:
            name = global_policy().name
        if not isinstance(name, str):
            raise TypeError(f"DTypePolicy: `name` must be a string such as "
                            f"'mixed_float16' or 'float32'; got {name!r} of "
                            f"type {type(name).__name__}.")
        self._compute_dtype, self._variable_dtype = _parse(name)
        self._name = name if name in _MIXED else self._compute_dtype

    @property
    def name(self):
        """The policy's name, e.g. 'mixed_float16'."""
        return self._name

    @property
    def compute_dtype(self):
        """The dtype layers compute in (and cast float inputs to)."""
        return self._compute_dtype

    @property
    def variable_dtype(self):
        """The dtype layers create their weights in."""
        return self._variable_dtype

    @property
    def quantization_mode(self):
        """Always None: lamina has no quantized policies."""
        return None

    @property
    def is_quantized(self):
        return False

    def get_config(self):
        return {"name": self._name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __eq__(self, other):
        return isinstance(other, DTypePolicy) and other._name == self._name

    def __hash__(self):
        return hash(("DTypePolicy", self._name))

    def __repr__(self):
        return f'<DTypePolicy "{self._name}">'


_global = None  # None: follow `lamina.backend.floatx()`
_default_cache = {}


def global_policy():
    """The policy layers use when created without `dtype=`.

    Unless set with `set_global_policy`, the configured float type's
    policy (`lamina.backend.floatx()`, 'float32' by default).
    """
    if _global is not None:
        return _global
    from lamina import backend
    name = backend.floatx()
    policy = _default_cache.get(name)
    if policy is None:
        policy = _default_cache[name] = DTypePolicy(name)
    return policy


def set_global_policy(policy):
    """Sets the policy layers created from now on use by default.

    Args:
        policy: a policy name ('mixed_float16', 'mixed_bfloat16',
            'float32', ...), a `DTypePolicy`, or None to go back to the
            configured float type.

    Example:

    >>> set_global_policy("mixed_bfloat16")
    >>> global_policy().compute_dtype
    'bfloat16'
    >>> set_global_policy(None)
    """
    global _global
    if policy is None or isinstance(policy, DTypePolicy):
        _global = policy
    elif isinstance(policy, str):
        _global = DTypePolicy(policy)
    elif isinstance(policy, dict):
        _global = get(policy)
    else:
        raise ValueError(
            "Invalid `policy` argument. Expected the string name of a policy "
            "(such as 'mixed_float16') or a `DTypePolicy` instance. "
            f"Received: policy={policy!r} (of type {type(policy).__name__}).")


def get(identifier):
    """A `DTypePolicy` from a layer's `dtype` argument.

    Args:
        identifier: None (the global policy), a policy name, a
            `DTypePolicy`, a serialized policy (Keras 3's `{"class_name":
            "DTypePolicy", "config": {"name": ...}}`, Keras 2's `Policy`),
            or a dtype (a NumPy dtype, an engine dtype).

    Raises:
        ValueError: for anything else.
    """
    if identifier is None:
        return global_policy()
    if isinstance(identifier, DTypePolicy):
        return identifier
    if isinstance(identifier, str):
        return DTypePolicy(identifier)
    if isinstance(identifier, dict):
        return deserialize(identifier)
    name = getattr(identifier, "name", None)
    if isinstance(name, str):  # NumPy/JAX dtypes, other libraries' policies
        return DTypePolicy(name)
    try:
        if isinstance(identifier, type) and identifier not in (float, int,
                                                               bool):
            return DTypePolicy(np.dtype(identifier).name)  # np.float16
        return DTypePolicy(standardize_dtype(identifier))
    except (TypeError, ValueError):
        raise ValueError(
            "Cannot interpret `dtype` argument. Expected a string or an "
            f"instance of DTypePolicy. Received: identifier={identifier!r} "
            f"of type {type(identifier).__name__}.") from None


def serialize(policy):
    """Keras 3's serialized form of `policy`."""
    return {"module": "keras", "class_name": "DTypePolicy",
            "config": policy.get_config(), "registered_name": None}


def deserialize(config):
    """A `DTypePolicy` from `serialize` output (or Keras 2/3 variants)."""
    class_name = config.get("class_name")
    inner = config.get("config", config)
    if class_name is not None and class_name not in _CLASS_NAMES:
        raise ValueError(
            f"Cannot load dtype policy {class_name!r}: lamina supports "
            f"{', '.join(_CLASS_NAMES)} (quantized policies are not "
            f"supported). Received: {config!r}.")
    if not isinstance(inner, dict):
        raise TypeError(f"A serialized dtype policy's `config` must be a "
                        f"dict; received {config!r}.")
    name = inner.get("name")
    if not isinstance(name, str):
        raise ValueError(  # noqa: TRY004 - a missing value, not a type
            f"A serialized dtype policy needs a `name` string in its "
            f"config; received {config!r}.")
    return DTypePolicy(name)


# Keras 3 spellings (`keras.config.set_dtype_policy`, ...).
set_dtype_policy = set_global_policy
dtype_policy = global_policy
