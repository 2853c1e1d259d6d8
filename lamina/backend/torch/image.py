"""Torch backend: the image primitives of `lamina.backend.interface`.

`resize` has the semantics written down in `lamina.backend.numpy.image`
(Keras / TF2: half-pixel centers). Plain 'bilinear' is
`F.interpolate(mode="bilinear", align_corners=False)`. The other cases
apply the reference backend's per-axis weight matrices with two matmuls,
because torch's built-ins differ there: its bicubic uses Keys' `a = -0.75`
and clamps at the border (TF2 and JAX use `a = -0.5` and renormalize),
`antialias=True` is wrong when an input axis has size 1, and 'nearest-exact'
computes the scale in floating point, so it rounds some exact ties down
(input 2 -> output 41 reads pixel 0 at output 20 instead of pixel 1).
'nearest' therefore gathers with exact integer indices.
"""

import functools

import torch
import torch.nn.functional as F

from lamina.backend.numpy import image as _reference
from lamina.backend.torch.core import convert_to_tensor

__all__ = ["resize"]


@functools.lru_cache(maxsize=64)
def _weights(in_size, out_size, interpolation, antialias, dtype, device):
    weights = _reference.interpolation_weights(in_size, out_size,
                                               interpolation, antialias)
    return torch.as_tensor(weights, dtype=dtype, device=device)


@functools.lru_cache(maxsize=64)
def _indices(in_size, out_size, device):
    return torch.as_tensor(_reference.nearest_indices(in_size, out_size),
                           dtype=torch.int64, device=device)


def _resize_nchw(x, size, interpolation, antialias):
    (height, width), (out_h, out_w) = x.shape[2:], size
    if interpolation == "nearest":
        if height != out_h:
            x = x.index_select(2, _indices(height, out_h, x.device))
        if width != out_w:
            x = x.index_select(3, _indices(width, out_w, x.device))
        return x
    if not x.is_floating_point():
        x = x.to(torch.float32)
    dtype = x.dtype
    if dtype in (torch.float16, torch.bfloat16):
        x = x.to(torch.float32)
    shrinks = out_h < height or out_w < width
    if interpolation == "bilinear" and not (antialias and shrinks):
        x = F.interpolate(x, size=size, mode="bilinear", align_corners=False)
    else:
        if height != out_h:
            x = torch.matmul(_weights(height, out_h, interpolation,
                                      antialias, x.dtype, x.device), x)
        if width != out_w:
            x = torch.matmul(x, _weights(width, out_w, interpolation,
                                         antialias, x.dtype, x.device).T)
    return x.to(dtype)


def resize(images, size, interpolation="bilinear", antialias=False,
           crop_to_aspect_ratio=False, pad_to_aspect_ratio=False,
           fill_mode="constant", fill_value=0.0, data_format=None):
    images = convert_to_tensor(images)
    size, data_format = _reference.check_resize_arguments(
        images.ndim, size, interpolation, crop_to_aspect_ratio,
        pad_to_aspect_ratio, fill_mode, data_format)
    unbatched = images.ndim == 3
    x = images.unsqueeze(0) if unbatched else images
    if data_format == "channels_last":
        x = x.permute(0, 3, 1, 2)
    height, width = x.shape[2], x.shape[3]
    if crop_to_aspect_ratio:
        top, left, h, w = _reference.aspect_ratio_box(height, width, size,
                                                      crop=True)
        x = x[:, :, top:top + h, left:left + w]
    elif pad_to_aspect_ratio:
        pad_h, pad_w = _reference.aspect_ratio_box(height, width, size,
                                                   crop=False)
        x = F.pad(x, (pad_w, pad_w, pad_h, pad_h), value=float(fill_value))
    x = _resize_nchw(x, size, interpolation, bool(antialias))
    if data_format == "channels_last":
        x = x.permute(0, 2, 3, 1)
    x = x.contiguous()
    return x[0] if unbatched else x

