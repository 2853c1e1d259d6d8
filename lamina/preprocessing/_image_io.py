"""Images in and out: `load_img`, `save_img`, `img_to_array`,
`array_to_img`, through Pillow (an optional dependency, imported only
when an image file or a Pillow image is needed)."""

import io
import os
import pathlib

import numpy as np

from lamina import backend
from lamina.legacy.arguments import warn_once

# Pillow's resampling filters by Keras's names.
INTERPOLATIONS = ("nearest", "bilinear", "bicubic", "hamming", "box",
                  "lanczos")


def pil_image():
    """Pillow's `PIL.Image` module, or an ImportError naming the package."""
    try:
        from PIL import Image
    except ImportError:
        raise ImportError("Reading and writing images needs Pillow: "
                          "`pip install pillow`.") from None
    return Image


def data_format_of(data_format, dim_ordering=None, caller=""):
    """The data format to use, given Keras 2's `data_format` and Keras 1's
    `dim_ordering` ('th', 'tf' or 'default'), warning once for the old."""
    if dim_ordering is not None:
        new = {"th": "channels_first", "tf": "channels_last",
               "default": None}.get(dim_ordering, "?")
        if new == "?":
            raise ValueError(f"{caller}: `dim_ordering` must be 'th', 'tf' "
                             f"or 'default'; got {dim_ordering!r}.")
        if data_format is not None and new is not None and \
                data_format != new:
            raise ValueError(f"{caller}: got dim_ordering={dim_ordering!r} "
                             f"and data_format={data_format!r}; pass only "
                             f"data_format.")
        spelled = "None" if new is None else repr(new)
        warn_once((caller, "dim_ordering"),
                  f"{caller}(dim_ordering={dim_ordering!r}) is the Keras 1 "
                  f"spelling; write {caller}(data_format={spelled}).")
        data_format = data_format or new
    if data_format is None:
        return backend.image_data_format()
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(f"{caller}: `data_format` must be 'channels_last' "
                         f"or 'channels_first'; got {data_format!r}.")
    return data_format


def load_img(path, grayscale=False, color_mode="rgb", target_size=None,
             interpolation="nearest", keep_aspect_ratio=False):
    """Loads an image file as a Pillow image.

    Args:
        path: a path (str, bytes or `pathlib.Path`) or a file-like object.
        grayscale: Keras 1/2 spelling of `color_mode='grayscale'`.
        color_mode: 'grayscale', 'rgb' or 'rgba'.
        target_size: `(height, width)` to resize to, or None.
        interpolation: the resampling filter for resizing: 'nearest',
            'bilinear', 'bicubic', 'hamming', 'box' or 'lanczos'.
        keep_aspect_ratio: crop the centre to the target's aspect ratio
            before resizing, instead of stretching.

    Returns:
        A `PIL.Image.Image`.
    """
    if grayscale:
        warn_once("load_img-grayscale", "load_img(grayscale=True) is the "
                  "Keras 1/2 spelling; write load_img(color_mode="
                  "'grayscale').")
        color_mode = "grayscale"
    modes = {"grayscale": "L", "rgb": "RGB", "rgba": "RGBA"}
    if color_mode not in modes:
        raise ValueError(f"load_img: `color_mode` must be 'grayscale', "
                         f"'rgb' or 'rgba'; got {color_mode!r}.")
    if interpolation not in INTERPOLATIONS:
        raise ValueError(f"load_img: `interpolation` must be one of "
                         f"{INTERPOLATIONS}; got {interpolation!r}.")
    image_module = pil_image()
    if isinstance(path, (str, bytes, pathlib.Path)):
        with open(path, "rb") as f:
            img = image_module.open(io.BytesIO(f.read()))
    elif hasattr(path, "read"):
        img = image_module.open(path)
    else:
        raise TypeError(f"load_img: `path` must be a path or a file-like "
                        f"object; got {type(path).__name__}.")
    keep = ("L", "I;16", "I") if color_mode == "grayscale" else \
        (modes[color_mode],)
    if img.mode not in keep:
        img = img.convert(modes[color_mode])
    if target_size is not None:
        size = (int(target_size[1]), int(target_size[0]))
        if img.size != size:
            resample = getattr(image_module.Resampling,
                               interpolation.upper())
            box = _centre_crop(img.size, size) if keep_aspect_ratio \
                else None
            img = img.resize(size, resample, box=box)
    return img


def _centre_crop(size, target):
    """The centre box of an image of `size` with `target`'s aspect."""
    width, height = size
    crop_w = min(width, height * target[0] // target[1])
    crop_h = min(height, width * target[1] // target[0])
    left, top = (width - crop_w) // 2, (height - crop_h) // 2
    return (left, top, left + crop_w, top + crop_h)


def img_to_array(img, data_format=None, dtype=None, dim_ordering=None):
    """A Pillow image (or array-like image) as a 3D NumPy array.

    Args:
        img: the image.
        data_format: 'channels_last' (rows, cols, channels) or
            'channels_first'; default `image_data_format()`.
        dtype: the array dtype; default `floatx()`.
        dim_ordering: Keras 1 spelling ('th'/'tf') of `data_format`.

    Returns:
        A 3D array (a grayscale image gets one channel).
    """
    data_format = data_format_of(data_format, dim_ordering, "img_to_array")
    x = np.asarray(img, dtype=dtype or backend.floatx())
    if x.ndim == 2:
        x = x[..., None]
    if x.ndim != 3:
        raise ValueError(f"img_to_array: unsupported image shape "
                         f"{x.shape}; expected 2 or 3 dimensions.")
    if data_format == "channels_first":
        x = x.transpose(2, 0, 1)
    return x


def array_to_img(x, data_format=None, scale=True, dtype=None,
                 dim_ordering=None):
    """A 3D array as a Pillow image.

    Args:
        x: the image array (1, 3 or 4 channels).
        data_format: the layout of `x`; default `image_data_format()`.
        scale: stretch the values to [0, 255] (by min and max) first.
        dtype: the dtype to read `x` as; default `floatx()`.
        dim_ordering: Keras 1 spelling ('th'/'tf') of `data_format`.

    Returns:
        A `PIL.Image.Image` ('L', 'RGB' or 'RGBA'; 'I' for a single
        channel with values above 255).
    """
    data_format = data_format_of(data_format, dim_ordering, "array_to_img")
    image_module = pil_image()
    x = np.array(x, dtype=dtype or backend.floatx())
    if x.ndim != 3:
        raise ValueError(f"array_to_img: expected one image of rank 3; "
                         f"got shape {x.shape}.")
    if data_format == "channels_first":
        x = x.transpose(1, 2, 0)
    if scale:
        x = x - np.min(x)
        top = np.max(x)
        if top != 0:
            x = x / top
        x = x * 255
    channels = x.shape[2]
    if channels in (3, 4):
        mode = "RGB" if channels == 3 else "RGBA"
        return image_module.fromarray(x.astype("uint8"), mode)
    if channels == 1:
        if np.max(x) > 255:
            return image_module.fromarray(x[:, :, 0].astype("int32"), "I")
        return image_module.fromarray(x[:, :, 0].astype("uint8"), "L")
    raise ValueError(f"array_to_img: unsupported number of channels "
                     f"{channels}; expected 1, 3 or 4.")


def save_img(path, x, data_format=None, file_format=None, scale=True,
             **kwargs):
    """Saves a 3D array as an image file.

    Args:
        path: the file path (or a file-like object).
        x: the image array.
        data_format: the layout of `x`; default `image_data_format()`.
        file_format: e.g. 'png'; default from the file name.
        scale: stretch the values to [0, 255] first.
        **kwargs: passed to Pillow's `Image.save`.
    """
    img = array_to_img(x, data_format=data_format, scale=scale)
    if img.mode == "RGBA" and file_format in ("jpg", "jpeg") or (
            img.mode == "RGBA" and file_format is None and
            str(path).lower().endswith((".jpg", ".jpeg"))):
        img = img.convert("RGB")  # JPEG has no alpha channel
    if file_format == "jpg":
        file_format = "jpeg"
    if isinstance(path, pathlib.Path):
        path = os.fspath(path)
    img.save(path, format=file_format, **kwargs)
