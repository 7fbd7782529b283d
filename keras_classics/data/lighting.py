"""AlexNet's PCA colour augmentation ("fancy PCA", Krizhevsky et al. 2012, section 4.1).

To each image add `V @ (alpha * lambda)`, the same RGB vector at every pixel: `lambda` and the columns of `V`
are the eigenvalues and eigenvectors of the 3x3 covariance of RGB pixel values, and `alpha ~ N(0, std)`
(std 0.1) is drawn once per image. Natural images vary most along the grey axis (the first eigenvector),
so the change is mostly a brightness shift with a little tint, and an object's identity does not depend on
either.

`IMAGENET_EIGENVALUES` / `IMAGENET_EIGENVECTORS` are the values published with fb.resnet.torch for ImageNet
pixels scaled to [0, 1]; `fit_pca_lighting` computes them for your own images instead.

Example:
    >>> import tensorflow as tf
    >>> from keras_classics.data.lighting import pca_lighting
    >>> image = tf.fill([4, 4, 3], 128.0)
    >>> shifted = pca_lighting(image, seed=[0, 1])
    >>> float(tf.math.reduce_std(shifted - image, axis=[0, 1])[0]) < 1e-4  # one RGB shift for every pixel
    True
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf

IMAGENET_EIGENVALUES = (0.2175, 0.0188, 0.0045)
# Columns are the eigenvectors (RGB order), matching IMAGENET_EIGENVALUES.
IMAGENET_EIGENVECTORS = (
    (-0.5675, 0.7192, 0.4009),
    (-0.5808, -0.0045, -0.8140),
    (-0.5836, -0.6948, 0.4203),
)


def lighting_shift(seed, std=0.1, eigenvalues=IMAGENET_EIGENVALUES, eigenvectors=IMAGENET_EIGENVECTORS, batch=None):
    """The RGB vector(s) `V @ (alpha * lambda)` added by `pca_lighting`, shape [3] or [batch, 3]."""
    shape = [3] if batch is None else [batch, 3]
    alpha = tf.random.stateless_normal(shape, tf.cast(seed, tf.int64), stddev=std)
    weights = alpha * tf.constant(eigenvalues, tf.float32)
    return tf.linalg.matvec(tf.constant(eigenvectors, tf.float32), weights)


def pca_lighting(
    images, seed, std=0.1, eigenvalues=IMAGENET_EIGENVALUES, eigenvectors=IMAGENET_EIGENVECTORS, scale=255.0
):
    """Adds AlexNet's PCA colour shift to one image (H, W, 3) or to each image of a batch (B, H, W, 3).

    Args:
        images: RGB pixels in [0, `scale`]; uint8 or float.
        seed: stateless seed, int tensor of shape [2].
        std: standard deviation of alpha (AlexNet: 0.1).
        eigenvalues, eigenvectors: of the pixel covariance in [0, 1] units; eigenvectors as columns.
        scale: the pixel range the eigen-decomposition is multiplied by (255 for 0..255 images).

    Returns float32 images, not clipped (the shift is small and the papers did not clip).
    """
    images = tf.convert_to_tensor(images)
    if images.shape[-1] != 3:
        raise ValueError(f"pca_lighting needs RGB images (3 channels); got shape {images.shape}")
    images = tf.cast(images, tf.float32)
    if images.shape.rank == 3:
        shift = lighting_shift(seed, std, eigenvalues, eigenvectors)
        return images + scale * shift
    batch = tf.shape(images)[0]
    shift = lighting_shift(seed, std, eigenvalues, eigenvectors, batch=batch)
    return images + scale * shift[:, None, None, :]


def fit_pca_lighting(images, scale=255.0):
    """`(eigenvalues, eigenvectors)` of the RGB covariance of your images, for `pca_lighting`.

    The `adapt` step of the augmentation. `images` is an array (N, H, W, 3) or an iterable of such batches
    (a tf.data.Dataset of images, or of (images, labels)); pixels are divided by `scale` so the result is in
    the same [0, 1] units as the ImageNet constants. Accumulates sums, so a data set of any size fits in
    memory. Eigenvalues are sorted largest first; eigenvectors are the columns, matching them.
    """
    if isinstance(images, np.ndarray) or tf.is_tensor(images):
        images = [images]
    count, total, outer = 0, np.zeros(3), np.zeros((3, 3))
    for batch in images:
        if isinstance(batch, (tuple, list)):
            batch = batch[0]
        pixels = np.asarray(batch, dtype=np.float64).reshape(-1, np.shape(batch)[-1]) / scale
        if pixels.shape[-1] != 3:
            raise ValueError(f"fit_pca_lighting needs RGB images (3 channels); got {pixels.shape[-1]}")
        count += len(pixels)
        total += pixels.sum(axis=0)
        outer += pixels.T @ pixels
    if count < 2:
        raise ValueError("fit_pca_lighting needs at least two pixels")
    mean = total / count
    covariance = (outer - count * np.outer(mean, mean)) / (count - 1)
    values, vectors = np.linalg.eigh(covariance)
    order = np.argsort(values)[::-1]
    values = np.clip(values[order], 0.0, None)
    return tuple(float(v) for v in values), tuple(tuple(float(x) for x in row) for row in vectors[:, order])
