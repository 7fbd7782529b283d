"""Each paper's augmentation as a named preset: `preset(name, size=...)` -> `(train, eval)` transforms.

| name        | training (per image, then per batch)                                  | source                    |
|-------------|-----------------------------------------------------------------------|---------------------------|
| `alexnet`   | central square -> 256x256, random 224 crop, flip; PCA lighting        | Krizhevsky et al. 2012    |
| `vgg`       | shorter side S ~ U[256, 512], random 224 crop, flip; PCA lighting     | Simonyan & Zisserman 2015 |
| `resnet`    | shorter side S ~ U[256, 480], random 224 crop, flip; PCA lighting     | He et al. 2016, sec. 3.4  |
| `inception` | random resized crop (8-100% area, aspect 3/4-4/3) to 224, flip        | Szegedy et al. 2015       |
| `photos`    | random resized crop (25-100% area) to 96, flip                         | ours (a few thousand photos) |
| `modern`    | random resized crop, flip; mixup (0.8) or cutmix (1.0), half each     | DeiT / timm (2021)        |
| `small`     | random shift by up to 8% of the side (zero padding); no flip          | for digits, CIFAR-sized   |

Every photo preset evaluates with `center_crop_eval(image, size)` (shorter side to size / 0.875, central
crop); `small` evaluates on the image as it is. Sizes other than 224 scale the 256/480/512 sides alike.
Not included: Inception's photometric distortions, RandAugment and random erasing (Keras has
`keras.layers.RandAugment` for batches), and label smoothing, which belongs to the loss.

Example:
    >>> import tensorflow as tf
    >>> from keras_classics.data.presets import preset
    >>> train, evaluate = preset("inception", size=64)
    >>> image = tf.zeros([90, 120, 3], tf.uint8)
    >>> train(image, seed=[0, 1]).shape, evaluate(image, seed=[0, 0]).shape
    (TensorShape([64, 64, 3]), TensorShape([64, 64, 3]))
"""

from __future__ import annotations

import functools

import tensorflow as tf

from keras_classics.data import augment, lighting, mixing
from keras_classics.data.transform import Transform, chain


def _square(size):
    if not isinstance(size, int) or size < 8:
        raise ValueError(f"size must be an int >= 8; got {size!r}")
    return size


def eval_transform(size, resize_shorter=None):
    """`center_crop_eval` as a Transform (no randomness)."""
    return Transform(
        image=lambda image, seed: augment.center_crop_eval(image, size, resize_shorter),
        size=(size, size),
        name=f"center_crop_eval({size})",
    )


def _lighting_batch(images, labels, seed):
    return lighting.pca_lighting(images, seed), labels


def _center_square_window(shape, seed):
    side = tf.reduce_min(shape)
    return tf.stack([(shape[0] - side) // 2, (shape[1] - side) // 2, side, side])


def alexnet(size=224):
    """AlexNet: the central square scaled to 256x256, random 224 crops and flips, then PCA lighting."""
    size = _square(size)
    side = augment.scaled_side(256, size)
    train = Transform(
        # Cropping the central square before decoding equals resizing the shorter side and cropping after.
        window=_center_square_window,
        image=chain(
            lambda image, seed: augment.resize(image, side), functools.partial(_crop, size=size), augment.random_flip
        ),
        batch=_lighting_batch,
        size=(size, size),
        name="alexnet",
    )
    return train, eval_transform(size, side)


def _crop(image, seed, size):
    return augment.random_crop(image, size, seed)


def _jitter_crop_flip(size, min_side, max_side, name):
    size = _square(size)
    low, high = augment.scaled_side(min_side, size), augment.scaled_side(max_side, size)
    train = Transform(
        image=chain(
            functools.partial(augment.scale_jitter, min_side=low, max_side=high),
            functools.partial(_crop, size=size),
            augment.random_flip,
        ),
        batch=_lighting_batch,
        size=(size, size),
        name=name,
    )
    return train, eval_transform(size, low)


def vgg(size=224, scale=(256, 512)):
    """VGG: scale jittering (shorter side in [256, 512]), random 224 crop, flip, PCA lighting."""
    return _jitter_crop_flip(size, scale[0], scale[1], "vgg")


def resnet(size=224, scale=(256, 480)):
    """ResNet (paper): shorter side in [256, 480], random 224 crop, flip, PCA lighting."""
    return _jitter_crop_flip(size, scale[0], scale[1], "resnet")


def _resized_crop_flip(size, area=(0.08, 1.0), name="inception"):
    return Transform(
        window=functools.partial(augment.random_resized_crop_window, area=area),
        # No antialiasing: the crop is at most a few times the output, and this resize runs for every
        # image (TF's official ResNet input pipeline does the same); with it the pipeline is twice as slow.
        image=chain(lambda image, seed: augment.resize(image, size, antialias=False), augment.random_flip),
        size=(size, size),
        name=name,
    )


def inception(size=224):
    """Inception: random resized crop (8-100% of the area, aspect 3/4-4/3) to `size`, flip."""
    size = _square(size)
    return _resized_crop_flip(size), eval_transform(size)


def photos(size=96, area=(0.25, 1.0)):
    """Ours, for training from scratch on a few thousand photographs: Inception's random resized crop with
    at least a quarter of the image kept (8% crops of a small data set rarely show the object), and flips."""
    size = _square(size)
    return _resized_crop_flip(size, area, "photos"), eval_transform(size)


def modern(size=224, mixup_alpha=0.8, cutmix_alpha=1.0, cutmix_probability=0.5):
    """DeiT/timm-style: random resized crop and flip, then mixup or cutmix on each batch (one-hot labels)."""
    size = _square(size)
    crop = _resized_crop_flip(size)
    mix = functools.partial(
        mixing.mixup_or_cutmix,
        mixup_alpha=mixup_alpha,
        cutmix_alpha=cutmix_alpha,
        cutmix_probability=cutmix_probability,
    )
    train = Transform(window=crop.window, image=crop.image, batch=mix, mixes_labels=True, size=crop.size, name="modern")
    return train, eval_transform(size)


def small(size=None, max_shift=0.08):
    """Small images (digits, CIFAR): a random shift of up to `max_shift` of the side, zero-padded; no flip.

    `size` is the images' side (needed to turn the fraction into pixels; 32 when None). Digits must not be
    mirrored, so there is no flip. Evaluation leaves the image as it is.
    """
    side = 32 if size is None else _square(size)
    pixels = round(max_shift * side)
    train = Transform(image=lambda image, seed: augment.random_shift(image, seed, pixels), name="small")
    return train, Transform(name="identity")


PRESETS = {
    "alexnet": alexnet,
    "vgg": vgg,
    "resnet": resnet,
    "inception": inception,
    "photos": photos,
    "modern": modern,
    "small": small,
}


def preset(name, **options):
    """`(train, eval)` transforms of the named preset; `options` go to its function (e.g. `size=299`)."""
    if not isinstance(name, str) or name not in PRESETS:
        raise ValueError(f"unknown augmentation preset {name!r}; choose one of {', '.join(PRESETS)}")
    return PRESETS[name](**options)
