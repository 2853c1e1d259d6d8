"""Backend registry and global settings.

A backend is a module under `lamina.backend` (`torch`, `jax`, `numpy`) that
implements every primitive listed in `lamina.backend.interface`. The chosen
one is `current()`; `get(name)` imports another (tests hold two at once).
"""

import importlib

from lamina import config as _config

_settings = _config.load_or_exit()
_loaded = {}

_INSTALL_HINT = {
    "torch": "pip install torch  (CPU: pip install torch --index-url "
             "https://download.pytorch.org/whl/cpu)",
    "jax": "pip install jax",
    "numpy": "pip install numpy",
}


def get(name):
    """The backend module `name`, imported on first use."""
    if name not in _config.BACKENDS:
        raise ValueError(f"Unknown backend {name!r}; expected one of "
                         f"{', '.join(_config.BACKENDS)}.")
    module = _loaded.get(name)
    if module is None:
        try:
            module = importlib.import_module(f"lamina.backend.{name}")
        except ModuleNotFoundError as e:
            if e.name not in ("torch", "jax", "jaxlib", "numpy"):
                raise
            raise ImportError(
                f"lamina's backend is '{name}' (set in {_config.path()} or "
                f"LAMINA_BACKEND), but {e.name} is not installed. Install "
                f"it with: {_INSTALL_HINT[name]}; or choose another backend."
            ) from None
        _loaded[name] = module
    return module


def current():
    """The backend module in use."""
    return get(_settings["backend"])


def backend():
    """The name of the backend in use: 'torch', 'jax' or 'numpy'."""
    return _settings["backend"]


def floatx():
    """The default float dtype, as a string (e.g. 'float32')."""
    return _settings["floatx"]


def set_floatx(value):
    if value not in _config.FLOATX:
        raise ValueError(f"set_floatx: expected one of {_config.FLOATX}, "
                         f"got {value!r}")
    _settings["floatx"] = str(value)


def epsilon():
    """The fuzz factor used in numeric expressions (default 1e-7)."""
    return _settings["epsilon"]


def set_epsilon(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) \
            or value <= 0:
        raise ValueError(f"set_epsilon: expected a positive number, "
                         f"got {value!r}")
    _settings["epsilon"] = float(value)


def image_data_format():
    """'channels_last' or 'channels_first'."""
    return _settings["image_data_format"]


def set_image_data_format(value):
    if value not in _config.DATA_FORMATS:
        raise ValueError(f"set_image_data_format: expected one of "
                         f"{_config.DATA_FORMATS}, got {value!r}")
    _settings["image_data_format"] = value


def standardize_data_format(data_format):
    """`data_format` argument of a layer: None means the configured one."""
    if data_format is None:
        return image_data_format()
    value = str(data_format).lower()
    if value not in _config.DATA_FORMATS:
        raise ValueError(f"data_format: expected one of "
                         f"{_config.DATA_FORMATS}, got {data_format!r}")
    return value


def device_setting():
    """The `device` from the config or LAMINA_DEVICE, or None for auto."""
    return _settings.get("device")


def settings():
    """A copy of the settings in force."""
    return dict(_settings)
