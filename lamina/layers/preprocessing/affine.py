"""Transforms for the random geometric layers (`RandomRotation`,
`RandomZoom`, `RandomTranslation`), in the 8-number form that
`affine_transform` (`lamina.ops.affine_transform`, see `lamina.ops._image`)
applies."""

import math

from lamina import ops
from lamina.ops._image import (  # noqa: F401 (the layers' names)
    FILL_MODES,
    INTERPOLATIONS,
    affine_transform,
    check_resampling,
)

TWO_PI = 2.0 * math.pi


def rotation_transform(angles, height, width):
    """Transforms rotating images by `angles` about their center.

    Args:
        angles: a `(batch,)` tensor of angles in radians; positive turns
            the image counter-clockwise (as it is displayed, rows down).
        height, width: the image size.

    Returns:
        A `(batch, 8)` tensor for `affine_transform`.
    """
    cx, cy = (width - 1) / 2.0, (height - 1) / 2.0
    cos, sin = ops.cos(angles), ops.sin(angles)
    zeros = ops.zeros_like(angles)
    return ops.stack([cos, -sin, cx - cx * cos + cy * sin,
                      sin, cos, cy - cx * sin - cy * cos,
                      zeros, zeros], axis=1)


def zoom_transform(width_zoom, height_zoom, height, width):
    """Transforms scaling images about their center.

    Args:
        width_zoom, height_zoom: `(batch,)` tensors: how much of the input
            each output axis spans (above 1 zooms out, below 1 zooms in).
        height, width: the image size.

    Returns:
        A `(batch, 8)` tensor for `affine_transform`.
    """
    zeros = ops.zeros_like(width_zoom)
    return ops.stack([width_zoom, zeros, (width - 1) / 2.0 * (1.0 - width_zoom),
                      zeros, height_zoom,
                      (height - 1) / 2.0 * (1.0 - height_zoom),
                      zeros, zeros], axis=1)


def translation_transform(dx, dy):
    """Transforms shifting images right by `dx` and down by `dy` pixels
    (`(batch,)` tensors); returns `(batch, 8)` for `affine_transform`."""
    zeros, ones = ops.zeros_like(dx), ops.ones_like(dx)
    return ops.stack([ones, zeros, -dx, zeros, ones, -dy, zeros, zeros],
                     axis=1)

