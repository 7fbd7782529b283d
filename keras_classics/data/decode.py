"""Turning encoded image bytes into uint8 RGB tensors with TensorFlow ops (no PIL, so it runs inside tf.data).

JPEG, PNG, BMP and GIF are read by their content, not their file name; grayscale and RGBA become RGB (alpha
is dropped, as `PIL.Image.convert("RGB")` does) and an animated GIF gives its first frame.

`decode_window` is the fast path of training pipelines: for a JPEG it reads only the header to learn the
image's size, picks the crop window there, and decodes just that window (`tf.image.decode_and_crop_jpeg`),
which is about twice as fast as decoding the whole photograph and cropping afterwards. Other formats are
decoded whole and cropped.

Example:
    >>> import numpy as np, tensorflow as tf
    >>> from keras_classics.data.decode import decode_rgb
    >>> gray = np.arange(12, dtype="uint8").reshape(3, 4, 1)
    >>> decode_rgb(tf.io.encode_png(gray)).shape
    TensorShape([3, 4, 3])
"""

from __future__ import annotations

import tensorflow as tf

IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".bmp", ".gif")

_JPEG_MAGIC = b"\xff\xd8\xff"


def is_jpeg(contents):
    """A boolean tensor: whether the bytes start with the JPEG marker (extension-independent)."""
    return tf.equal(tf.strings.substr(contents, 0, 3), _JPEG_MAGIC)


def decode_rgb(contents):
    """Decodes JPEG/PNG/BMP/GIF bytes to a uint8 tensor of shape (height, width, 3)."""
    image = tf.io.decode_image(contents, channels=3, dtype=tf.uint8, expand_animations=False)
    image.set_shape([None, None, 3])
    return image


def image_shape(contents):
    """(height, width) of encoded bytes; for a JPEG read from its header alone."""
    return tf.cond(
        is_jpeg(contents),
        lambda: tf.io.extract_jpeg_shape(contents)[:2],
        lambda: tf.shape(decode_rgb(contents), out_type=tf.int32)[:2],
    )


def decode_window(contents, window, seed):
    """Decodes only the part of the image that `window(shape, seed)` picks.

    `window` maps the (height, width) int32 tensor and a stateless seed to an int32 `[y, x, h, w]` box
    inside the image. The result is the same box whatever the format; only JPEGs skip the pixels outside.
    """

    def jpeg():
        shape = tf.io.extract_jpeg_shape(contents)[:2]
        return tf.image.decode_and_crop_jpeg(contents, window(shape, seed), channels=3)

    def other():
        image = decode_rgb(contents)
        box = window(tf.shape(image, out_type=tf.int32)[:2], seed)
        return image[box[0] : box[0] + box[2], box[1] : box[1] + box[3]]

    image = tf.cond(is_jpeg(contents), jpeg, other)
    image.set_shape([None, None, 3])
    return image


def check_decodes(contents):
    """Decodes the whole file as cheaply as possible, to find files that cannot be read.

    A JPEG is decoded at 1/8 scale: libjpeg still walks every block of the file, so a truncated or corrupt
    file fails, but the inverse DCT and colour conversion cost an eighth.
    """
    return tf.cond(
        is_jpeg(contents),
        lambda: tf.shape(tf.io.decode_jpeg(contents, channels=3, ratio=8)),
        lambda: tf.shape(decode_rgb(contents)),
    )
