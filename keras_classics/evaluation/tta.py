"""Test-time augmentation: the views each classic paper averaged its softmax over.

- `flip`: the image's evaluation crop and its mirror (2 views);
- `ten_crop` (AlexNet, Sec. 4.1): shorter side to 256, the central 256x256, then its four corner and centre
  224 patches and their mirrors (10 views);
- `multi_scale` (VGG, Sec. 4.2, for a fixed-size network): the central crop at shorter sides
  Q in {S - 32, S, S + 32} and their mirrors (6 views);
- `multi_crop` (VGG, Sec. 4.3): a 5x5 grid of crops at each of Q in {256, 384, 512}, each also mirrored
  (150 views).

Crop sides scale with the model's input (224 is the papers'); every view is float32 pixels in [0, 255].

Example:
    >>> import numpy as np
    >>> from keras_classics.evaluation.tta import views
    >>> views(np.zeros((300, 400, 3), "uint8"), "ten_crop", 224).shape
    TensorShape([10, 224, 224, 3])
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from keras_classics.data.augment import center_crop_eval, resize_shorter, scaled_side

METHODS = ("none", "flip", "ten_crop", "multi_scale", "multi_crop")


def _crop(image, top, left, size):
    return image[top : top + size, left : left + size]


def _with_mirrors(crops):
    crops = tf.stack(crops)
    return tf.concat([crops, tf.reverse(crops, axis=[2])], axis=0)


def ten_crop(image, size: int):
    """Four corners and the centre of the central square at shorter side 256 (scaled), and their mirrors."""
    square = center_crop_eval(image, scaled_side(256, size), resize_shorter=scaled_side(256, size))
    far = square.shape[0] - size
    corners = [(0, 0), (0, far), (far, 0), (far, far), (far // 2, far // 2)]
    return _with_mirrors([_crop(square, top, left, size) for top, left in corners])


def multi_scale(image, size: int, scales=None):
    """The central crop at each shorter side Q (default S - 32, S, S + 32 with S = 256 scaled) and its mirror."""
    scales = scales or [scaled_side(q, size) for q in (224, 256, 288)]
    return _with_mirrors([center_crop_eval(image, size, resize_shorter=q) for q in scales])


def grid_crops(image, size: int, grid: int = 5):
    """`grid x grid` evenly spaced crops of an image (H, W >= size), row by row."""
    height, width = image.shape[0], image.shape[1]
    tops = np.linspace(0, height - size, grid).round().astype(int)
    lefts = np.linspace(0, width - size, grid).round().astype(int)
    return [_crop(image, top, left, size) for top in tops for left in lefts]


def multi_crop(image, size: int, scales=None, grid: int = 5):
    """A `grid x grid` crop grid at each shorter side Q (default 256, 384, 512 scaled), each mirrored."""
    scales = scales or [scaled_side(q, size) for q in (256, 384, 512)]
    crops = []
    for q in scales:
        crops.extend(grid_crops(resize_shorter(tf.convert_to_tensor(image), q), size, grid))
    return _with_mirrors(crops)


def views(image, method: str, size: int):
    """The `(V, size, size, C)` float32 views of one image for `method` (one of `METHODS`)."""
    return tf.cast(_views(image, method, size), tf.float32)


def _views(image, method, size):
    if method == "none":
        return center_crop_eval(image, size)[None]
    if method == "flip":
        return _with_mirrors([center_crop_eval(image, size)])
    if method == "ten_crop":
        return ten_crop(image, size)
    if method == "multi_scale":
        return multi_scale(image, size)
    if method == "multi_crop":
        return multi_crop(image, size)
    raise ValueError(f"tta must be one of {', '.join(METHODS)}; got {method!r}")
