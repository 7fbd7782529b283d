"""Batch augmentations that mix two examples: mixup (Zhang et al. 2018) and cutmix (Yun et al. 2019).

Both pair each image of a batch with another one of the same batch (a seeded permutation) and mix the
one-hot labels in the same proportion as the pixels:

- `mixup`: `lam * x + (1 - lam) * x_other`, `lam ~ Beta(alpha, alpha)`, one `lam` per batch.
- `cutmix`: a box of `x_other` pasted into `x`; its side ratio is `sqrt(1 - lam)`, its centre uniform, and
  it is clipped at the image border. The label weight of `x_other` is the box's real (clipped) area
  fraction, so labels always say exactly how many pixels came from where.

They run after batching, on float images and one-hot (or already soft) labels of shape (batch, classes);
`make_dataset` one-hot encodes the labels when a transform mixes.

Example:
    >>> import tensorflow as tf
    >>> from keras_classics.data.mixing import mixup
    >>> images, labels = tf.zeros([4, 8, 8, 3]), tf.one_hot([0, 1, 2, 3], 4)
    >>> mixed_images, mixed_labels = mixup(images, labels, seed=[0, 0])
    >>> [round(float(s), 5) for s in tf.reduce_sum(mixed_labels, axis=1)]
    [1.0, 1.0, 1.0, 1.0]
"""

from __future__ import annotations

import tensorflow as tf

from keras_classics.data.augment import split_seed


def _check(images, labels):
    labels = tf.convert_to_tensor(labels)
    if labels.shape.rank != 2:
        raise ValueError(
            f"mixing needs one-hot labels of shape (batch, classes); got shape {labels.shape} "
            "(make_dataset(..., one_hot=True) encodes them)"
        )
    return tf.cast(images, tf.float32), tf.cast(labels, tf.float32)


def sample_beta(seed, alpha):
    """One draw of Beta(alpha, alpha) from a stateless seed, as the ratio of two Gamma draws."""
    if alpha <= 0:
        raise ValueError(f"alpha must be > 0; got {alpha}")
    seeds = split_seed(seed, 2)
    a = tf.random.stateless_gamma([], seeds[0], alpha)
    b = tf.random.stateless_gamma([], seeds[1], alpha)
    return a / tf.maximum(a + b, 1e-12)


def partner_order(seed, batch):
    """A seeded permutation of range(batch): who each image is mixed with."""
    return tf.argsort(tf.random.stateless_uniform([batch], seed))


def mixup(images, labels, seed, alpha=0.2):
    """Mixup: every image and label becomes `lam * own + (1 - lam) * partner`."""
    images, labels = _check(images, labels)
    seeds = split_seed(seed, 2)
    lam = sample_beta(seeds[0], alpha)
    order = partner_order(seeds[1], tf.shape(images)[0])
    mixed = lam * images + (1.0 - lam) * tf.gather(images, order)
    return mixed, lam * labels + (1.0 - lam) * tf.gather(labels, order)


def cutmix_box(seed, height, width, lam):
    """`[y0, y1, x0, x1]` (int32) of the pasted box for a mixing ratio `lam`, clipped to the image."""
    seeds = split_seed(seed, 2)
    cut = tf.sqrt(1.0 - lam)
    cut_h = tf.cast(tf.cast(height, tf.float32) * cut, tf.int32)
    cut_w = tf.cast(tf.cast(width, tf.float32) * cut, tf.int32)
    center_y = tf.random.stateless_uniform([], seeds[0], 0, height, dtype=tf.int32)
    center_x = tf.random.stateless_uniform([], seeds[1], 0, width, dtype=tf.int32)
    y0 = tf.clip_by_value(center_y - cut_h // 2, 0, height)
    y1 = tf.clip_by_value(center_y + cut_h // 2, 0, height)
    x0 = tf.clip_by_value(center_x - cut_w // 2, 0, width)
    x1 = tf.clip_by_value(center_x + cut_w // 2, 0, width)
    return tf.stack([y0, y1, x0, x1])


def cutmix(images, labels, seed, alpha=1.0):
    """CutMix: a box from each partner image is pasted in; labels weighted by the box's area fraction."""
    images, labels = _check(images, labels)
    seeds = split_seed(seed, 3)
    shape = tf.shape(images)
    lam = sample_beta(seeds[0], alpha)
    box = cutmix_box(seeds[1], shape[1], shape[2], lam)
    order = partner_order(seeds[2], shape[0])
    rows = tf.range(shape[1])
    cols = tf.range(shape[2])
    inside = ((rows >= box[0]) & (rows < box[1]))[:, None] & ((cols >= box[2]) & (cols < box[3]))[None, :]
    mixed = tf.where(inside[None, :, :, None], tf.gather(images, order), images)
    area = tf.cast((box[1] - box[0]) * (box[3] - box[2]), tf.float32)
    pasted = area / tf.cast(shape[1] * shape[2], tf.float32)
    return mixed, (1.0 - pasted) * labels + pasted * tf.gather(labels, order)


def mixup_or_cutmix(images, labels, seed, mixup_alpha=0.8, cutmix_alpha=1.0, cutmix_probability=0.5):
    """One of the two per batch, cutmix with `cutmix_probability` (timm's and DeiT's default recipe)."""
    seeds = split_seed(seed, 2)
    use_cutmix = tf.random.stateless_uniform([], seeds[0]) < cutmix_probability
    return tf.cond(
        use_cutmix,
        lambda: cutmix(images, labels, seeds[1], cutmix_alpha),
        lambda: mixup(images, labels, seeds[1], mixup_alpha),
    )
