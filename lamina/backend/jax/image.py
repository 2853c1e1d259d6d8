"""JAX backend: the image primitives of `lamina.backend.interface`.

`resize` is `jax.image.resize` (half-pixel centers; Keys cubic with
`a = -0.5` and renormalized borders, as TF2), after the Keras-style
crop or pad to the target aspect ratio. The semantics are written down in
`lamina.backend.numpy.image`, whose argument checks and crop/pad geometry
are reused here.
"""

import jax
import jax.numpy as jnp

from lamina.backend.jax.core import convert_to_tensor
from lamina.backend.numpy import image as _reference

__all__ = ["resize"]

_METHODS = {"nearest": "nearest", "bilinear": "linear", "bicubic": "cubic",
            "lanczos3": "lanczos3", "lanczos5": "lanczos5"}


def resize(images, size, interpolation="bilinear", antialias=False,
           crop_to_aspect_ratio=False, pad_to_aspect_ratio=False,
           fill_mode="constant", fill_value=0.0, data_format=None):
    images = convert_to_tensor(images)
    size, data_format = _reference.check_resize_arguments(
        images.ndim, size, interpolation, crop_to_aspect_ratio,
        pad_to_aspect_ratio, fill_mode, data_format)
    unbatched = images.ndim == 3
    x = images[None] if unbatched else images
    if data_format == "channels_first":
        x = jnp.moveaxis(x, 1, -1)
    batch, height, width, channels = x.shape
    if crop_to_aspect_ratio:
        top, left, h, w = _reference.aspect_ratio_box(height, width, size,
                                                      crop=True)
        x = x[:, top:top + h, left:left + w, :]
    elif pad_to_aspect_ratio:
        pad_h, pad_w = _reference.aspect_ratio_box(height, width, size,
                                                   crop=False)
        x = jnp.pad(x, ((0, 0), (pad_h, pad_h), (pad_w, pad_w), (0, 0)),
                    constant_values=jnp.asarray(fill_value, x.dtype))
    if interpolation != "nearest" and not jnp.issubdtype(x.dtype,
                                                         jnp.floating):
        x = x.astype(jnp.float32)
    if tuple(x.shape[1:3]) != size:
        x = jax.image.resize(x, (batch,) + size + (channels,),
                             method=_METHODS[interpolation],
                             antialias=bool(antialias))
    if data_format == "channels_first":
        x = jnp.moveaxis(x, -1, 1)
    return x[0] if unbatched else x
