"""Per-image transforms for tf.data (evaluation crop; the training augmentations join it).

Example:
    >>> import numpy as np
    >>> from keras_classics.data.augment import center_crop_eval
    >>> crop = center_crop_eval(np.zeros((300, 400, 3), "uint8"), 224)
    >>> tuple(crop.shape), crop.dtype.name
    ((224, 224, 3), 'float32')
"""

from __future__ import annotations

import tensorflow as tf

# The classic evaluation crop: resize the shorter side to 256, take the central 224 (224 / 256 = 0.875).
CROP_FRACTION = 0.875


def _size_pair(size):
    return (int(size), int(size)) if isinstance(size, (int,)) else (int(size[0]), int(size[1]))


def resize_shorter_side(image, side: int):
    """Resizes `image` (H, W, C) so its shorter side is `side` pixels, keeping the aspect (float32 out)."""
    shape = tf.cast(tf.shape(image)[:2], tf.float32)
    scale = tf.cast(side, tf.float32) / tf.reduce_min(shape)
    target = tf.cast(tf.round(shape * scale), tf.int32)
    target = tf.maximum(target, side)  # rounding must not leave the shorter side one pixel short
    return tf.image.resize(image, target, method="bilinear", antialias=True)


def center_crop_eval(image, size, resize_shorter: int | None = None):
    """The evaluation view of one image: shorter side to `resize_shorter`, then the central `size` crop.

    Args:
        image: (H, W, C) pixels, any numeric dtype, in [0, 255].
        size: the crop, an int or (height, width).
        resize_shorter: the shorter side before cropping; default `round(max(size) / 0.875)` (256 for 224).

    Returns:
        float32 (height, width, C) pixels in [0, 255].
    """
    height, width = _size_pair(size)
    side = resize_shorter or round(max(height, width) / CROP_FRACTION)
    if side < max(height, width):
        raise ValueError(f"resize_shorter={side} is smaller than the crop {height}x{width}")
    resized = resize_shorter_side(tf.convert_to_tensor(image), side)
    shape = tf.shape(resized)
    top, left = (shape[0] - height) // 2, (shape[1] - width) // 2
    crop = resized[top : top + height, left : left + width]
    return tf.clip_by_value(tf.ensure_shape(crop, [height, width, None]), 0.0, 255.0)
