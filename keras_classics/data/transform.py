"""`Transform`: one augmentation recipe in the three places a tf.data pipeline can run it.

- `window(shape, seed) -> [y, x, h, w]`: which part of the source image is needed. For JPEG files the
  pipeline decodes only that box (`decode_and_crop_jpeg`), the main saving of a training pipeline.
- `image(image, seed) -> image`: per image, before batching (resize, flip, ...), uint8 in and out.
- `batch(images, labels, seed) -> (images, labels)`: after batching, on float32 images (lighting, mixup,
  cutmix); `mixes_labels=True` makes the pipeline one-hot encode the labels first.

Each part gets its own stateless seed split from the element's (or batch's) seed. Calling a transform on a
decoded image applies `window` (as a crop) and `image`, exactly what the pipeline does for that seed; the
`batch` part is called with `apply_batch`.

Example:
    >>> import tensorflow as tf
    >>> from keras_classics.data.augment import random_flip, resize
    >>> from keras_classics.data.transform import Transform, chain
    >>> flip_small = Transform(image=chain(lambda im, s: resize(im, 8), random_flip), size=(8, 8))
    >>> flip_small(tf.zeros([20, 30, 3], tf.uint8), seed=[0, 3]).shape
    TensorShape([8, 8, 3])
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import tensorflow as tf

from keras_classics.data.augment import split_seed
from keras_classics.data.decode import decode_rgb, decode_window


def chain(*ops):
    """Composes per-image ops `op(image, seed)`, giving each its own seed split from the one passed in."""
    if not ops:
        raise ValueError("chain needs at least one op")

    def chained(image, seed):
        seeds = split_seed(seed, len(ops))
        for i, op in enumerate(ops):
            image = op(image, seeds[i])
        return image

    return chained


@dataclasses.dataclass(frozen=True)
class Transform:
    """An augmentation recipe split into its window, per-image and per-batch parts (each optional).

    Attributes:
        window: `(shape, seed) -> [y, x, h, w]` int32 box to keep from the source image.
        image: `(image, seed) -> image`, per image before batching.
        batch: `(images, labels, seed) -> (images, labels)`, per batch after batching, float32 images.
        mixes_labels: the batch part needs one-hot labels (mixup, cutmix).
        size: the (height, width) every output has, or None when it depends on the input.
        name: for messages and repr.
    """

    window: Callable | None = None
    image: Callable | None = None
    batch: Callable | None = None
    mixes_labels: bool = False
    size: tuple | None = None
    name: str = "transform"

    @property
    def is_random(self):
        return any(part is not None for part in (self.window, self.image, self.batch))

    def __call__(self, image, seed):
        """The per-image part (window crop, then `image`) on a decoded image."""
        seeds = split_seed(seed, 2)
        if self.window is not None:
            box = self.window(tf.shape(image)[:2], seeds[0])
            image = image[box[0] : box[0] + box[2], box[1] : box[1] + box[3]]
        return self.image(image, seeds[1]) if self.image is not None else image

    def decode(self, contents, seed):
        """The per-image part on encoded bytes: only the window of a JPEG is decoded."""
        seeds = split_seed(seed, 2)
        if self.window is not None:
            image = decode_window(contents, self.window, seeds[0])
        else:
            image = decode_rgb(contents)
        return self.image(image, seeds[1]) if self.image is not None else image

    def apply_batch(self, images, labels, seed):
        """The per-batch part; images are cast to float32 first."""
        images = tf.cast(images, tf.float32)
        if self.batch is None:
            return images, labels
        return self.batch(images, labels, seed)
