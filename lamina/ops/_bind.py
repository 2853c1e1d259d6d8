"""The backend module the ops are bound to (chosen once, at import)."""

from lamina import backend as _backend

B = _backend.current()
