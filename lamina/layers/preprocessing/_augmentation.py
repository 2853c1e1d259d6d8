"""What the random image-augmentation layers share: seeding, data format,
batched / unbatched images, the training switch and argument checks."""

from lamina import backend, ops, random
from lamina.layers.layer import Layer
from lamina.ops._image import is_real as _is_number


def parse_factor(owner, name, factor, low, high, one_sided=False,
                 open_low=False):
    """`(lower, upper)` from `factor`: a pair (sorted), or one number `f`
    meaning `(-|f|, |f|)` (`(f, f)` when `one_sided`). Every value must lie
    in [low, high] ((low, high] with `open_low`)."""
    bounds = f"{'(' if open_low else '['}{low}, {high}]"
    message = (f"{owner}: `{name}` must be a number or a pair (lower, "
               f"upper) of numbers in {bounds}, got {factor!r}.")
    if isinstance(factor, (list, tuple)):
        if len(factor) != 2 or not all(_is_number(v) for v in factor):
            raise ValueError(message)
        values = sorted(float(v) for v in factor)
    elif _is_number(factor):
        f = float(factor)
        if one_sided and f < 0:
            raise ValueError(message)
        values = [abs(f), abs(f)] if one_sided else [-abs(f), abs(f)]
    else:
        raise ValueError(message)
    for value in values:
        if value > high or value < low or (open_low and value == low):
            raise ValueError(message)
    return tuple(values)


def as_written(factor):
    """A factor for `get_config`: a number as given, a pair as a tuple (so
    configs compare equal after a JSON round trip)."""
    return tuple(factor) if isinstance(factor, (list, tuple)) else factor


def parse_value_range(owner, value_range):
    """`value_range` as a sorted `(low, high)` pair of numbers."""
    if not isinstance(value_range, (list, tuple)) or len(value_range) != 2 \
            or not all(_is_number(v) for v in value_range):
        raise ValueError(f"{owner}: `value_range` must be a pair (low, "
                         f"high) of numbers, e.g. (0, 255), got "
                         f"{value_range!r}.")
    return tuple(sorted(value_range))


class RandomImageLayer(Layer):
    """Base of the random augmentation layers.

    A subclass draws its random parameters in
    `get_random_transformation(images, training)` (None at inference) and
    applies them in `transform_images(images, transformation, training)`;
    `call` runs both. Each layer owns a `lamina.random.SeedGenerator`, so
    a seeded layer repeats its sequence, and draws work inside a compiled
    training step (torch) or a jitted one (JAX).

    Args:
        seed: an int for a repeatable sequence of augmentations, or None.
        data_format: 'channels_last' (default) or 'channels_first'.
    """

    def __init__(self, seed=None, data_format=None, **kwargs):
        super().__init__(**kwargs)
        if seed is not None and not (isinstance(seed, int)
                                     and not isinstance(seed, bool)):
            raise ValueError(f"{type(self).__name__}: `seed` must be an int "
                             f"or None, got {seed!r}.")
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed)
        self.data_format = backend.standardize_data_format(data_format)
        self.built = True

    def call(self, inputs, training=True):
        # As Keras 3: a direct call augments; `fit` runs it with
        # training=True and `predict` / `evaluate` with training=False.
        images = self._images(inputs)
        transformation = self.get_random_transformation(images,
                                                        training=training)
        return self.transform_images(images, transformation,
                                     training=training)

    def get_random_transformation(self, images, training=True):
        """The random parameters for `images` (None when not training)."""
        raise NotImplementedError

    def transform_images(self, images, transformation, training=True):
        """`images` augmented with `transformation`."""
        raise NotImplementedError

    # -- helpers for subclasses -------------------------------------------
    def _images(self, inputs):
        """`inputs` as a tensor of the compute dtype, rank checked."""
        images = ops.convert_to_tensor(inputs)
        if len(ops.shape(images)) not in (3, 4):
            raise ValueError(f"Layer '{self.name}' expects images of rank 3 "
                             f"(height, width, channels) or 4 (with a batch "
                             f"axis), got shape {tuple(ops.shape(images))}.")
        if ops.dtype(images) != self.compute_dtype:
            images = ops.cast(images, self.compute_dtype)
        return images

    def _sizes(self, images):
        """`(batch, height, width)`; batch is 1 for one 3-D image."""
        shape = ops.shape(images)
        first = len(shape) - 3 + (self.data_format == "channels_first")
        batch = shape[0] if len(shape) == 4 else 1
        return batch, shape[first], shape[first + 1]

    def _spatial_axes(self, images):
        """The (height, width) axes of `images`."""
        first = len(ops.shape(images)) - 3 + (
            self.data_format == "channels_first")
        return first, first + 1

    def _per_image(self, values, images):
        """`(batch,)` values shaped to broadcast over `images`."""
        if len(ops.shape(images)) == 3:
            return ops.reshape(values, (1, 1, 1))
        return ops.reshape(values, (-1, 1, 1, 1))

    def _uniform(self, batch, lower, upper):
        return random.uniform((batch,), minval=lower, maxval=upper,
                              dtype="float32", seed=self.seed_generator)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "seed": self.seed,
                "data_format": self.data_format}
