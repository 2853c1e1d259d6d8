"""Image preprocessing (Keras 2's `keras.preprocessing.image`).

`ImageDataGenerator` augments images on the fly (random rotations,
shifts, shears, zooms, flips, channel and brightness shifts) and
normalizes them, serving batches from arrays (`flow`), class subfolders
(`flow_from_directory`) or a pandas DataFrame (`flow_from_dataframe`).
`load_img`, `save_img`, `img_to_array` and `array_to_img` read and write
images through Pillow (`pip install pillow`), imported only when used.
"""

import warnings

import numpy as np

from lamina import backend
from lamina.legacy.arguments import warn_once
from lamina.preprocessing import _image_transforms as _transforms
from lamina.preprocessing._image_files import (
    DataFrameIterator,
    DirectoryIterator,
)
from lamina.preprocessing._image_io import (
    array_to_img,
    data_format_of,
    img_to_array,
    load_img,
    save_img,
)
from lamina.preprocessing._image_iterators import Iterator, NumpyArrayIterator
from lamina.preprocessing._image_transforms import (
    apply_affine_transform,
    apply_brightness_shift,
    apply_channel_shift,
    flip_axis,
    random_brightness,
    random_channel_shift,
    random_rotation,
    random_shear,
    random_shift,
    random_zoom,
    transform_matrix_offset_center,
)


class ImageDataGenerator:
    """Generates batches of images with real-time data augmentation.

    Every image goes through a random transform (as configured), then
    `standardize`: `preprocessing_function`, `rescale`, the samplewise
    then featurewise normalizations and ZCA whitening. Featurewise
    statistics come from `fit`.

    Args:
        featurewise_center: subtract the dataset's per-channel mean.
        samplewise_center: subtract each image's mean.
        featurewise_std_normalization: divide by the dataset's
            per-channel standard deviation.
        samplewise_std_normalization: divide each image by its std.
        zca_whitening: apply ZCA whitening (implies featurewise_center).
        zca_epsilon: epsilon for ZCA whitening.
        rotation_range: rotations drawn from `[-r, r]` degrees.
        width_shift_range, height_shift_range: shifts: a float (< 1: a
            fraction of the width/height, >= 1: pixels) drawn from
            `[-f, f]`, an int `n` (whole pixels in `(-n, n)`), or a list
            of allowed values.
        brightness_range: two floats: brightness factors drawn between.
        shear_range: shear angles drawn from `[-s, s]` degrees.
        zoom_range: a float `z` (zoom in `[1 - z, 1 + z]`) or two floats.
        channel_shift_range: channel shifts drawn from `[-c, c]`.
        fill_mode: 'constant', 'nearest', 'reflect' or 'wrap'.
        cval: the fill value for 'constant'.
        horizontal_flip, vertical_flip: flip half of the images.
        rescale: a factor every image is multiplied by (e.g. 1/255).
        preprocessing_function: a function applied to each image (3D
            array) first in `standardize`.
        data_format: 'channels_last' or 'channels_first'; default
            `image_data_format()`. Keras 1's `dim_ordering` ('tf'/'th')
            is accepted with a warning.
        validation_split: the fraction kept for `subset='validation'`.
        interpolation_order: spline order of the affine resampling.
        dtype: the dtype of the batches; default `floatx()`.

    Example:

    >>> import numpy as np
    >>> gen = ImageDataGenerator(horizontal_flip=True, rescale=1 / 255)
    >>> x = np.zeros((10, 8, 8, 3)); y = np.arange(10)
    >>> bx, by = next(gen.flow(x, y, batch_size=4))
    >>> bx.shape, by.shape
    ((4, 8, 8, 3), (4,))
    """

    def __init__(self, featurewise_center=False, samplewise_center=False,
                 featurewise_std_normalization=False,
                 samplewise_std_normalization=False, zca_whitening=False,
                 zca_epsilon=1e-6, rotation_range=0, width_shift_range=0.0,
                 height_shift_range=0.0, brightness_range=None,
                 shear_range=0.0, zoom_range=0.0, channel_shift_range=0.0,
                 fill_mode="nearest", cval=0.0, horizontal_flip=False,
                 vertical_flip=False, rescale=None,
                 preprocessing_function=None, data_format=None,
                 validation_split=0.0, interpolation_order=1, dtype=None,
                 **kwargs):
        dim_ordering = kwargs.pop("dim_ordering", None)
        if kwargs:
            raise TypeError(f"ImageDataGenerator: unrecognized arguments "
                            f"{sorted(kwargs)}.")
        self.data_format = data_format_of(data_format, dim_ordering,
                                          "ImageDataGenerator")
        if self.data_format == "channels_first":
            self.channel_axis, self.row_axis, self.col_axis = 1, 2, 3
        else:
            self.channel_axis, self.row_axis, self.col_axis = 3, 1, 2
        self.featurewise_center = featurewise_center
        self.samplewise_center = samplewise_center
        self.featurewise_std_normalization = featurewise_std_normalization
        self.samplewise_std_normalization = samplewise_std_normalization
        self.zca_whitening, self.zca_epsilon = zca_whitening, zca_epsilon
        self.rotation_range = rotation_range
        self.width_shift_range = _transforms.check_range(
            "width_shift_range", width_shift_range)
        self.height_shift_range = _transforms.check_range(
            "height_shift_range", height_shift_range)
        self.shear_range = shear_range
        self.channel_shift_range = channel_shift_range
        if fill_mode not in _transforms.FILL_MODES:
            raise ValueError(f"ImageDataGenerator: `fill_mode` must be one "
                             f"of {_transforms.FILL_MODES}; got "
                             f"{fill_mode!r}.")
        self.fill_mode, self.cval = fill_mode, cval
        self.horizontal_flip, self.vertical_flip = horizontal_flip, \
            vertical_flip
        self.rescale = rescale
        self.preprocessing_function = preprocessing_function
        self.interpolation_order = int(interpolation_order)
        self.dtype = dtype or backend.floatx()
        if validation_split and not 0 < validation_split < 1:
            raise ValueError(f"ImageDataGenerator: `validation_split` must "
                             f"be strictly between 0 and 1; got "
                             f"{validation_split!r}.")
        self._validation_split = validation_split
        self.mean = self.std = None
        self.zca_whitening_matrix = None
        if isinstance(zoom_range, (int, float)) and \
                not isinstance(zoom_range, bool):
            self.zoom_range = [1 - zoom_range, 1 + zoom_range]
        elif isinstance(zoom_range, (list, tuple)) and len(zoom_range) == 2:
            self.zoom_range = [zoom_range[0], zoom_range[1]]
        else:
            raise ValueError(f"ImageDataGenerator: `zoom_range` must be a "
                             f"float or two floats; got {zoom_range!r}.")
        if brightness_range is not None and (
                not isinstance(brightness_range, (list, tuple)) or
                len(brightness_range) != 2):
            raise ValueError(f"ImageDataGenerator: `brightness_range` must "
                             f"be a tuple or list of two floats; got "
                             f"{brightness_range!r}.")
        self.brightness_range = brightness_range
        self._imply_settings()

    def _imply_settings(self):
        """Keras's rules for settings that need others, with its warnings."""
        name = "This ImageDataGenerator specifies"
        if self.zca_whitening:
            if not self.featurewise_center:
                self.featurewise_center = True
                warnings.warn(f"{name} `zca_whitening`, which overrides the "
                              f"setting of `featurewise_center`.")
            if self.featurewise_std_normalization:
                self.featurewise_std_normalization = False
                warnings.warn(f"{name} `zca_whitening`, which overrides the "
                              f"setting of `featurewise_std_normalization`.")
        if self.featurewise_std_normalization and \
                not self.featurewise_center:
            self.featurewise_center = True
            warnings.warn(f"{name} `featurewise_std_normalization`, which "
                          f"overrides the setting of `featurewise_center`.")
        if self.samplewise_std_normalization and not self.samplewise_center:
            self.samplewise_center = True
            warnings.warn(f"{name} `samplewise_std_normalization`, which "
                          f"overrides the setting of `samplewise_center`.")

    @property
    def principal_components(self):
        """Keras 2.0-2.2's name for `zca_whitening_matrix`."""
        return self.zca_whitening_matrix

    @principal_components.setter
    def principal_components(self, value):
        self.zca_whitening_matrix = value

    # -- iterators ----------------------------------------------------------
    def flow(self, x, y=None, batch_size=32, shuffle=True,
             sample_weight=None, seed=None, save_to_dir=None,
             save_prefix="", save_format="png", ignore_class_split=False,
             subset=None):
        """Batches of augmented images from arrays.

        Args:
            x: images, shape `(samples, rows, cols, channels)` (or
                channels first); or a list `[images, other_arrays...]`.
            y: labels (or None: batches are the images alone).
            batch_size: images per batch.
            shuffle: a new sample order every epoch.
            sample_weight: per-sample weights, served as the third item.
            seed: seed for the order and the augmentation.
            save_to_dir: a folder where each augmented image is saved.
            save_prefix, save_format: file names and format of those.
            ignore_class_split: allow subsets with different classes.
            subset: 'training' or 'validation' (with `validation_split`).

        Returns:
            A `NumpyArrayIterator` (a `PyDataset`).
        """
        if isinstance(sample_weight, (int, np.integer)) and \
                not isinstance(sample_weight, bool):
            # Keras 1's flow(X, y, batch_size, shuffle, seed, ...).
            warn_once("flow-positional-seed", "flow(x, y, batch_size, "
                      "shuffle, seed) is Keras 1's argument order; write "
                      f"flow(..., seed={sample_weight}).")
            seed, sample_weight = sample_weight, None
        return NumpyArrayIterator(
            x, y, self, batch_size=batch_size, shuffle=shuffle,
            sample_weight=sample_weight, seed=seed,
            data_format=self.data_format, save_to_dir=save_to_dir,
            save_prefix=save_prefix, save_format=save_format,
            subset=subset, ignore_class_split=ignore_class_split,
            dtype=self.dtype)

    def flow_from_directory(self, directory, target_size=(256, 256),
                            color_mode="rgb", classes=None,
                            class_mode="categorical", batch_size=32,
                            shuffle=True, seed=None, save_to_dir=None,
                            save_prefix="", save_format="png",
                            follow_links=False, subset=None,
                            interpolation="nearest",
                            keep_aspect_ratio=False):
        """Batches of augmented images read from class subfolders.

        Each subfolder of `directory` is a class (sorted by name, unless
        `classes` lists them); its images (png, jpg, jpeg, bmp, ppm, tif,
        tiff, in nested folders too) are the class's samples.

        Args:
            directory: the folder of class subfolders.
            target_size: `(height, width)` every image is resized to.
            color_mode: 'rgb', 'rgba' or 'grayscale'.
            classes: the class subfolder names, in label order.
            class_mode: labels as 'categorical' (one-hot), 'binary' (0/1,
                two classes), 'sparse' (integers), 'input' (the images
                themselves, for autoencoders) or None (no labels).
            batch_size, shuffle, seed, save_to_dir, save_prefix,
            save_format: as in `flow`.
            follow_links: follow symbolic links to folders.
            subset: 'training' or 'validation' (with `validation_split`;
                the split is taken per class, validation first).
            interpolation: the resize filter ('nearest', 'bilinear', ...).
            keep_aspect_ratio: crop instead of stretching when resizing.

        Returns:
            A `DirectoryIterator` (a `PyDataset`) with `classes`,
            `class_indices`, `filenames` and `samples`.
        """
        return DirectoryIterator(
            directory, self, target_size=target_size, color_mode=color_mode,
            classes=classes, class_mode=class_mode, batch_size=batch_size,
            shuffle=shuffle, seed=seed, data_format=self.data_format,
            save_to_dir=save_to_dir, save_prefix=save_prefix,
            save_format=save_format, follow_links=follow_links,
            subset=subset, interpolation=interpolation,
            keep_aspect_ratio=keep_aspect_ratio, dtype=self.dtype)

    def flow_from_dataframe(self, dataframe, directory=None,
                            x_col="filename", y_col="class", **kwargs):
        """Batches of augmented images listed in a pandas DataFrame.

        See `DataFrameIterator` for the arguments (`weight_col`,
        `target_size`, `color_mode`, `classes`, `class_mode` with also
        'raw' and 'multi_output', `batch_size`, `shuffle`, `seed`,
        `subset`, `interpolation`, `validate_filenames`, ...).
        """
        return DataFrameIterator(dataframe, directory, self, x_col=x_col,
                                 y_col=y_col, data_format=self.data_format,
                                 dtype=self.dtype, **kwargs)

    # -- transforms ---------------------------------------------------------
    def standardize(self, x):
        """Normalizes an image (or a batch) as configured.

        Like Keras, a float array is changed in place (pass a copy to keep
        it); other arrays are converted to the generator's dtype first.
        """
        if not (isinstance(x, np.ndarray) and
                np.issubdtype(x.dtype, np.floating)):
            x = np.array(x, dtype=self.dtype)
        if self.preprocessing_function:
            x = self.preprocessing_function(x)
        if self.rescale:
            x *= self.rescale
        if self.samplewise_center:
            x -= np.mean(x, keepdims=True)
        if self.samplewise_std_normalization:
            x /= np.std(x, keepdims=True) + 1e-6
        unfitted = ("This ImageDataGenerator specifies `{}`, but it hasn't "
                    "been fit on any training data. Fit it first by calling "
                    "`.fit(numpy_data)`.")
        if self.featurewise_center:
            if self.mean is None:
                warnings.warn(unfitted.format("featurewise_center"))
            else:
                x -= self.mean
        if self.featurewise_std_normalization:
            if self.std is None:
                warnings.warn(unfitted.format(
                    "featurewise_std_normalization"))
            else:
                x /= self.std + 1e-6
        if self.zca_whitening:
            if self.zca_whitening_matrix is None:
                warnings.warn(unfitted.format("zca_whitening"))
            else:
                flat = x.reshape(-1, int(np.prod(x.shape[-3:])))
                x = (flat @ self.zca_whitening_matrix).reshape(x.shape)
        return x

    def _draw_transform(self, img_shape, rng):
        rows = img_shape[self.row_axis - 1]
        cols = img_shape[self.col_axis - 1]
        params = {"theta": 0, "tx": 0, "ty": 0, "shear": 0, "zx": 1,
                  "zy": 1, "channel_shift_intensity": None,
                  "brightness": None}
        if self.rotation_range:
            params["theta"] = rng.uniform(-self.rotation_range,
                                          self.rotation_range)
        if np.any(self.height_shift_range):
            params["tx"] = _transforms.draw_shift(
                rng, self.height_shift_range, rows)
        if np.any(self.width_shift_range):
            params["ty"] = _transforms.draw_shift(
                rng, self.width_shift_range, cols)
        if self.shear_range:
            params["shear"] = rng.uniform(-self.shear_range,
                                          self.shear_range)
        if self.zoom_range[0] != 1 or self.zoom_range[1] != 1:
            params["zx"], params["zy"] = rng.uniform(
                self.zoom_range[0], self.zoom_range[1], 2)
        params["flip_horizontal"] = bool(rng.random() < 0.5) and \
            bool(self.horizontal_flip)
        params["flip_vertical"] = bool(rng.random() < 0.5) and \
            bool(self.vertical_flip)
        if self.channel_shift_range:
            params["channel_shift_intensity"] = rng.uniform(
                -self.channel_shift_range, self.channel_shift_range)
        if self.brightness_range is not None:
            params["brightness"] = rng.uniform(*self.brightness_range)
        return params

    def get_random_transform(self, img_shape, seed=None):
        """Random transform parameters for an image of shape `img_shape`.

        Returns:
            A dict with 'theta', 'tx', 'ty', 'shear', 'zx', 'zy',
            'flip_horizontal', 'flip_vertical', 'channel_shift_intensity'
            and 'brightness' (see `apply_transform`).
        """
        rng = np.random if seed is None else np.random.RandomState(seed)
        return self._draw_transform(img_shape, rng)

    def apply_transform(self, x, transform_parameters):
        """Transforms one image (3D array) with the given parameters.

        Args:
            x: the image.
            transform_parameters: a dict as `get_random_transform` returns
                ('theta' rotation and 'shear' in degrees; 'tx', 'ty'
                shifts along rows and columns in pixels; 'zx', 'zy' zooms;
                'flip_horizontal', 'flip_vertical' booleans;
                'channel_shift_intensity'; 'brightness'); missing keys
                mean no change.

        Returns:
            The transformed image.
        """
        p = transform_parameters
        row, col, channel = (self.row_axis - 1, self.col_axis - 1,
                             self.channel_axis - 1)
        x = apply_affine_transform(
            x, p.get("theta", 0), p.get("tx", 0), p.get("ty", 0),
            p.get("shear", 0), p.get("zx", 1), p.get("zy", 1),
            row_axis=row, col_axis=col, channel_axis=channel,
            fill_mode=self.fill_mode, cval=self.cval,
            order=self.interpolation_order)
        if p.get("channel_shift_intensity") is not None:
            x = apply_channel_shift(x, p["channel_shift_intensity"], channel)
        if p.get("flip_horizontal", False):
            x = flip_axis(x, col)
        if p.get("flip_vertical", False):
            x = flip_axis(x, row)
        if p.get("brightness") is not None:
            x = apply_brightness_shift(x, p["brightness"], False)
        return x

    def random_transform(self, x, seed=None):
        """One image (3D array) randomly transformed."""
        return self.apply_transform(x, self.get_random_transform(x.shape,
                                                                 seed))

    def fit(self, x, augment=False, rounds=1, seed=None):
        """Computes the dataset statistics the featurewise settings and
        ZCA whitening use, on `x` (rank 4), after `rescale`.

        Args:
            x: sample images.
            augment: fit on randomly transformed copies instead.
            rounds: with `augment`, how many transformed copies of `x`.
            seed: seed for the augmentation.
        """
        x = np.array(x, dtype=self.dtype)
        if x.ndim != 4:
            raise ValueError(f"ImageDataGenerator.fit: `x` must have rank "
                             f"4; got shape {x.shape}.")
        if x.shape[self.channel_axis] not in (1, 3, 4):
            warnings.warn(
                f"ImageDataGenerator.fit: expected images with 1, 3 or 4 "
                f"channels on axis {self.channel_axis} "
                f"({self.data_format}); got shape {x.shape}.")
        if self.rescale:
            x *= self.rescale
        if augment:
            rng = np.random if seed is None else np.random.RandomState(seed)
            overridden = type(self).random_transform is not \
                ImageDataGenerator.random_transform
            x = np.stack([
                self.random_transform(image) if overridden else
                self.apply_transform(image, self._draw_transform(
                    image.shape, rng))
                for _ in range(int(rounds)) for image in x]).astype(
                    self.dtype)
        axes = (0, self.row_axis, self.col_axis)
        shape = [1, 1, 1]
        shape[self.channel_axis - 1] = x.shape[self.channel_axis]
        if self.featurewise_center:
            self.mean = np.mean(x, axis=axes).reshape(shape)
            x -= self.mean
        if self.featurewise_std_normalization:
            self.std = np.std(x, axis=axes).reshape(shape)
            x /= self.std + 1e-6
        if self.zca_whitening:
            flat = x.reshape(len(x), -1)
            u, s, _ = np.linalg.svd(flat.T, full_matrices=False)
            inverse = np.sqrt(len(x)) / (s + self.zca_epsilon)
            self.zca_whitening_matrix = ((u * inverse) @ u.T).astype(
                self.dtype)


__all__ = [
    "DataFrameIterator", "DirectoryIterator", "ImageDataGenerator", "Iterator",
    "NumpyArrayIterator", "apply_affine_transform", "apply_brightness_shift",
    "apply_channel_shift", "array_to_img", "flip_axis", "img_to_array",
    "load_img", "random_brightness", "random_channel_shift",
    "random_rotation", "random_shear", "random_shift", "random_zoom",
    "save_img", "transform_matrix_offset_center"]
