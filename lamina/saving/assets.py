"""Assets of a `.keras` archive: files an object keeps beside its weights.

A layer (or model) that defines `save_assets(dir_path)` writes files into
a folder of its own; in the archive they sit under `assets/<path>/`, where
`<path>` is the object's path in the weights file (`layers/string_lookup`,
`layers/sequential/layers/text_vectorization`, ...), as Keras 3 lays them
out. On loading, `load_assets(dir_path)` gets that folder back. Lookup
layers keep a learned vocabulary this way (`vocabulary.txt`).
"""

import os
import tempfile

from lamina.saving import weights as weights_lib

PREFIX = "assets/"


def _folder(root, path):
    return os.path.join(root, *[p for p in path.split("/") if p])


def collect(model):
    """`{name in the archive: bytes}` of every object's assets."""
    files = {}
    with tempfile.TemporaryDirectory() as root:
        for path, obj in weights_lib.saveables(model):
            save = getattr(obj, "save_assets", None)
            if callable(save):
                folder = _folder(root, path)
                os.makedirs(folder, exist_ok=True)
                save(folder)
        for where, _, names in os.walk(root):
            for name in sorted(names):
                full = os.path.join(where, name)
                relative = os.path.relpath(full, root).replace(os.sep, "/")
                with open(full, "rb") as f:
                    files[PREFIX + relative] = f.read()
    return files


def _checked(name, filepath):
    """The parts of the asset `name`, refusing paths that leave the
    assets folder."""
    parts = name[len(PREFIX):].split("/")
    if name.startswith("/") or any(p in ("", ".", "..") for p in parts) \
            or "\\" in name:
        raise ValueError(f"load_model: '{filepath}' holds the asset "
                         f"'{name}', whose path leaves the assets folder; "
                         "the file is corrupt or hostile.")
    return parts


def restore(model, files, filepath):
    """Hands each object with `load_assets` its folder of `files` (as read
    from the archive), when the archive has one."""
    if not files:
        return
    with tempfile.TemporaryDirectory() as root:
        for name, data in files.items():
            if name.endswith("/"):
                continue  # a folder entry
            target = os.path.join(root, *_checked(name, filepath))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as f:
                f.write(data)
        for path, obj in weights_lib.saveables(model):
            load = getattr(obj, "load_assets", None)
            folder = _folder(root, path)
            if callable(load) and os.path.isdir(folder):
                load(folder)
