"""Per-image geometric augmentation: resizing, crops, flips and the papers' scale augmentations.

Every random op takes a stateless `seed` (an int tensor of shape [2]) and draws from it alone, so a tf.data
map running in parallel gives the same result for the same seed, whatever the thread order. Each op works
on one image (H, W, C) inside tf.data, before batching; Keras' `RandomCrop` layer, by contrast, uses one
crop position for the whole batch. uint8 images stay uint8 (resizing rounds back), so batches are 4x smaller
to move until they are cast for the model.

- `resize_shorter`: shorter side to `side`, aspect kept (AlexNet's and VGG's first step, with side 256).
- `center_crop`, `random_crop`: a `size` window (inside the image) at the centre or at a random place.
- `center_crop_eval`: the evaluation transform every preset shares: shorter side to `resize_shorter`
  (default size / 0.875, so 256 for 224), then the central `size` crop.
- `random_flip`: left-right mirror with probability 1/2.
- `scale_jitter`: VGG's training scale: shorter side S drawn uniformly from [min_side, max_side].
- `random_resized_crop_window` / `random_resized_crop`: Inception's crop (Szegedy et al. 2015): a box of
  8-100% of the area and aspect ratio 3/4-4/3, up to `attempts` tries, else a central crop.
- `random_shift`: pad and crop back, a translation of up to `max_shift` pixels (for small images).

Example:
    >>> import numpy as np, tensorflow as tf
    >>> from keras_classics.data.augment import center_crop_eval, random_resized_crop
    >>> image = tf.zeros([300, 400, 3], tf.uint8)
    >>> center_crop_eval(image, 224).shape
    TensorShape([224, 224, 3])
    >>> random_resized_crop(image, 224, seed=[1, 2]).shape
    TensorShape([224, 224, 3])
"""

from __future__ import annotations

import math

import tensorflow as tf

# Evaluation crops the central 87.5% (224 of 256), as AlexNet, VGG, ResNet and Inception-v3 all do.
EVAL_CROP_FRACTION = 0.875


def pair(size):
    """`size` as (height, width) ints: an int means a square."""
    if isinstance(size, int):
        size = (size, size)
    size = tuple(int(s) for s in size)
    if len(size) != 2 or min(size) < 1:
        raise ValueError(f"size must be a positive int or (height, width); got {size!r}")
    return size


def scaled_side(side: int, size: int) -> int:
    """A side length the papers give for 224-pixel crops (256, 384, 512...), rescaled for `size`-pixel crops."""
    return round(side * size / 224)


def split_seed(seed, num):
    """`num` independent stateless seeds from one, shape [num, 2]."""
    return tf.random.experimental.stateless_split(tf.cast(seed, tf.int64), num=num)


def resize(image, size, antialias=True):
    """Resizes an image (H, W, C) or batch to `size` (bilinear), keeping integer images integer."""
    image = tf.convert_to_tensor(image)
    resized = tf.image.resize(image, pair(size) if not tf.is_tensor(size) else size, antialias=antialias)
    if image.dtype.is_integer:
        # Bilinear weights are non-negative and sum to one, so values stay in the input's range: adding
        # 0.5 and truncating rounds, cheaper than round + saturate_cast (this runs for every image).
        return tf.cast(resized + 0.5, image.dtype)
    return tf.cast(resized, image.dtype)


def shorter_side_size(shape, side):
    """(height, width) int32 after scaling `shape` (H, W) so its shorter side is `side`."""
    shape = tf.cast(shape, tf.float32)
    scale = tf.cast(side, tf.float32) / tf.reduce_min(shape)
    return tf.cast(tf.round(shape * scale), tf.int32)


def resize_shorter(image, side, antialias=True):
    """Scales the image so its shorter side is `side`, keeping the aspect ratio."""
    return resize(image, shorter_side_size(tf.shape(image)[-3:-1], side), antialias=antialias)


def _check_fits(image, height, width):
    shape = tf.shape(image)
    return tf.debugging.assert_greater_equal(
        shape[-3:-1],
        tf.stack([height, width]),
        message=f"crop of {height}x{width} is larger than the image; resize first (e.g. resize_shorter)",
    )


def center_crop(image, size):
    """The central `size` window of an image (or of each image of a batch)."""
    image = tf.convert_to_tensor(image)
    height, width = pair(size)
    with tf.control_dependencies([_check_fits(image, height, width)]):
        shape = tf.shape(image)
        top = (shape[-3] - height) // 2
        left = (shape[-2] - width) // 2
        crop = image[..., top : top + height, left : left + width, :]
    return tf.ensure_shape(crop, image.shape[:-3] + (height, width) + image.shape[-1:])


def center_crop_eval(image, size, resize_shorter=None, antialias=True):
    """Evaluation transform: shorter side to `resize_shorter`, then the central `size` crop.

    `resize_shorter` defaults to round(max(size) / 0.875): 256 for 224, 342 for 299. Evaluation, the
    presets' eval transforms and the SavedModel image-bytes signature all call exactly this.
    """
    height, width = pair(size)
    if resize_shorter is None:
        resize_shorter = round(max(height, width) / EVAL_CROP_FRACTION)
    if resize_shorter < max(height, width):
        raise ValueError(f"resize_shorter ({resize_shorter}) must be at least the crop size {height}x{width}")
    shape = tf.shape(image)[-3:-1]
    return center_crop(resize(image, shorter_side_size(shape, resize_shorter), antialias), (height, width))


def random_crop(image, size, seed):
    """A `size` window at a uniformly random place inside the image (H, W, C)."""
    image = tf.convert_to_tensor(image)
    height, width = pair(size)
    with tf.control_dependencies([_check_fits(image, height, width)]):
        shape = tf.shape(image)
        seeds = split_seed(seed, 2)
        top = tf.random.stateless_uniform([], seeds[0], 0, shape[0] - height + 1, dtype=tf.int32)
        left = tf.random.stateless_uniform([], seeds[1], 0, shape[1] - width + 1, dtype=tf.int32)
        crop = image[top : top + height, left : left + width]
    return tf.ensure_shape(crop, (height, width, image.shape[-1]))


def random_flip(image, seed):
    """Mirrors the image left-right with probability 1/2."""
    return tf.image.stateless_random_flip_left_right(image, tf.cast(seed, tf.int64))


def scale_jitter(image, seed, min_side=256, max_side=512, antialias=True):
    """VGG's scale jittering: shorter side S ~ uniform integer in [min_side, max_side], aspect kept."""
    if not 1 <= min_side <= max_side:
        raise ValueError(f"scale_jitter needs 1 <= min_side <= max_side; got {min_side}, {max_side}")
    side = tf.random.stateless_uniform([], tf.cast(seed, tf.int64), min_side, max_side + 1, dtype=tf.int32)
    return resize_shorter(image, side, antialias=antialias)


def random_resized_crop_window(shape, seed, area=(0.08, 1.0), aspect=(3 / 4, 4 / 3), attempts=10):
    """Inception's crop box `[y, x, h, w]` (int32) inside an image of `shape` (H, W).

    Draws `attempts` candidates at once: area fraction uniform in `area`, aspect ratio w/h log-uniform in
    `aspect`. The first that fits is placed uniformly at random; if none fits, the central box of the whole
    image with its aspect clamped into `aspect` is used (torchvision's fallback).
    """
    if not 0 < area[0] <= area[1] <= 1:
        raise ValueError(f"area must satisfy 0 < min <= max <= 1; got {area}")
    if not 0 < aspect[0] <= aspect[1]:
        raise ValueError(f"aspect must satisfy 0 < min <= max; got {aspect}")
    seeds = split_seed(seed, 4)
    height = tf.cast(shape[0], tf.int32)
    width = tf.cast(shape[1], tf.int32)
    h_f, w_f = tf.cast(height, tf.float32), tf.cast(width, tf.float32)
    target = h_f * w_f * tf.random.stateless_uniform([attempts], seeds[0], area[0], area[1])
    ratio = tf.exp(tf.random.stateless_uniform([attempts], seeds[1], math.log(aspect[0]), math.log(aspect[1])))
    cand_w = tf.cast(tf.round(tf.sqrt(target * ratio)), tf.int32)
    cand_h = tf.cast(tf.round(tf.sqrt(target / ratio)), tf.int32)
    fits = (cand_w >= 1) & (cand_h >= 1) & (cand_w <= width) & (cand_h <= height)
    first = tf.argmax(tf.cast(fits, tf.int32), output_type=tf.int32)

    in_ratio = w_f / h_f
    fallback_w = tf.where(in_ratio > aspect[1], tf.cast(tf.round(h_f * aspect[1]), tf.int32), width)
    fallback_h = tf.where(in_ratio < aspect[0], tf.cast(tf.round(w_f / aspect[0]), tf.int32), height)
    found = tf.reduce_any(fits)
    crop_h = tf.minimum(tf.where(found, cand_h[first], fallback_h), height)
    crop_w = tf.minimum(tf.where(found, cand_w[first], fallback_w), width)
    top = tf.where(
        found,
        tf.random.stateless_uniform([], seeds[2], 0, height - crop_h + 1, dtype=tf.int32),
        (height - crop_h) // 2,
    )
    left = tf.where(
        found,
        tf.random.stateless_uniform([], seeds[3], 0, width - crop_w + 1, dtype=tf.int32),
        (width - crop_w) // 2,
    )
    return tf.stack([top, left, crop_h, crop_w])


def random_resized_crop(image, size, seed, area=(0.08, 1.0), aspect=(3 / 4, 4 / 3), attempts=10, antialias=True):
    """Inception's augmentation on a decoded image: `random_resized_crop_window`, then resize to `size`."""
    image = tf.convert_to_tensor(image)
    box = random_resized_crop_window(tf.shape(image)[:2], seed, area, aspect, attempts)
    crop = image[box[0] : box[0] + box[2], box[1] : box[1] + box[3]]
    return resize(crop, size, antialias=antialias)


def random_shift(image, seed, max_shift, mode="CONSTANT"):
    """Translates the image by up to `max_shift` pixels each way (pad, then crop back at random).

    The padding is zeros (`mode="CONSTANT"`), or "REFLECT"/"SYMMETRIC" as in `tf.pad`.
    """
    if max_shift < 0:
        raise ValueError(f"max_shift must be >= 0; got {max_shift}")
    if max_shift == 0:
        return image
    image = tf.convert_to_tensor(image)
    padded = tf.pad(image, [[max_shift, max_shift], [max_shift, max_shift], [0, 0]], mode=mode)
    shape = tf.shape(image)
    seeds = split_seed(seed, 2)
    top = tf.random.stateless_uniform([], seeds[0], 0, 2 * max_shift + 1, dtype=tf.int32)
    left = tf.random.stateless_uniform([], seeds[1], 0, 2 * max_shift + 1, dtype=tf.int32)
    return tf.ensure_shape(padded[top : top + shape[0], left : left + shape[1]], image.shape)
