"""lamina's configuration file: `$LAMINA_HOME/lamina.json` (default `~/.lamina`).

The file is written with defaults on first import. Keys: `backend`, `floatx`,
`epsilon`, `image_data_format`, and optionally `device`. The 2016 tutorial's
`keras.json` key `image_dim_ordering` is understood (`th` means
`channels_first`, `tf` means `channels_last`). Environment variables
`LAMINA_BACKEND` and `LAMINA_DEVICE` override the file.

This module imports no engine: it is read before any backend is chosen.
"""

import json
import os

BACKENDS = ("torch", "jax", "numpy")
FLOATX = ("float16", "bfloat16", "float32", "float64")
DATA_FORMATS = ("channels_last", "channels_first")
_LEGACY_ORDERING = {"th": "channels_first", "tf": "channels_last"}

DEFAULTS = {
    "backend": "torch",
    "floatx": "float32",
    "epsilon": 1e-07,
    "image_data_format": "channels_last",
}


class ConfigError(Exception):
    """A problem in lamina.json or in an environment override."""


def home():
    return os.path.expanduser(os.environ.get("LAMINA_HOME", "~/.lamina"))


def path():
    return os.path.join(home(), "lamina.json")


def _fail(where, key, message):
    raise ConfigError(f"{where}: key '{key}': {message}")


def _validate(raw, where):
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: expected a JSON object, got "
                          f"{type(raw).__name__}")
    cfg = dict(DEFAULTS)
    if "image_dim_ordering" in raw:
        ordering = raw["image_dim_ordering"]
        if ordering not in _LEGACY_ORDERING:
            _fail(where, "image_dim_ordering",
                  f"expected 'th' or 'tf', got {ordering!r}")
        cfg["image_data_format"] = _LEGACY_ORDERING[ordering]
    for key, value in raw.items():
        if key == "image_dim_ordering":
            continue
        cfg[key] = value
    if cfg["backend"] not in BACKENDS:
        _fail(where, "backend", f"unknown backend {cfg['backend']!r}; "
              f"expected one of {', '.join(BACKENDS)}")
    if cfg["floatx"] not in FLOATX:
        _fail(where, "floatx",
              f"expected one of {', '.join(FLOATX)}, got {cfg['floatx']!r}")
    eps = cfg["epsilon"]
    if isinstance(eps, bool) or not isinstance(eps, (int, float)) or eps <= 0:
        _fail(where, "epsilon", f"expected a positive number, got {eps!r}")
    cfg["epsilon"] = float(eps)
    if cfg["image_data_format"] not in DATA_FORMATS:
        _fail(where, "image_data_format",
              f"expected one of {', '.join(DATA_FORMATS)}, "
              f"got {cfg['image_data_format']!r}")
    device = cfg.get("device")
    if device is not None and not isinstance(device, str):
        _fail(where, "device",
              f"expected a string such as 'cpu' or 'cuda:0', got {device!r}")
    return cfg


def _write_default(file):
    try:
        os.makedirs(os.path.dirname(file), exist_ok=True)
        tmp = file + f".tmp{os.getpid()}"
        with open(tmp, "w") as f:
            json.dump(DEFAULTS, f, indent=4)
            f.write("\n")
        os.replace(tmp, file)  # atomic: a reader never sees half a file
    except OSError:
        pass  # a read-only home still gets the defaults in memory


def load():
    """Reads (writing it first if absent) and validates the config."""
    file = path()
    if os.path.exists(file):
        try:
            with open(file) as f:
                raw = json.load(f)
        except (OSError, ValueError) as e:
            raise ConfigError(f"{file}: not a readable JSON file ({e}); "
                              "fix it or delete it to get the defaults")
    else:
        _write_default(file)
        raw = {}
    cfg = _validate(raw, file)
    env_backend = os.environ.get("LAMINA_BACKEND")
    if env_backend:
        cfg = _validate(dict(cfg, backend=env_backend),
                        "environment variable LAMINA_BACKEND")
    env_device = os.environ.get("LAMINA_DEVICE")
    if env_device:
        cfg["device"] = env_device
    return cfg


def load_or_exit():
    """`load()` for import time: a bad config ends the program in one line."""
    try:
        return load()
    except ConfigError as e:
        raise SystemExit(f"lamina: bad configuration: {e}") from None
