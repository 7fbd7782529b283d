"""The embedded default data set: scikit-learn's handwritten digits, as 32x32 images for LeNet-5.

1,797 real 8x8 scans (16 grey levels) of digits written by 43 people, shipped inside scikit-learn (no
download). They are upsampled to 32x32 (bilinear), scaled to [0, 1], and split train/test with a
fixed seed, stratified by class.

Example:
    >>> from keras_classics.data.digits import load_digits
    >>> (x_train, y_train), (x_test, y_test) = load_digits()
    >>> x_train.shape, x_test.shape
    ((1438, 32, 32, 1), (359, 32, 32, 1))
"""

from __future__ import annotations

import numpy as np


def load_digits(size: int = 32, test_fraction: float = 0.2, seed: int = 0):
    """Returns `(x_train, y_train), (x_test, y_test)`: float32 NHWC images in [0, 1], int labels."""
    try:
        from sklearn.datasets import load_digits as sklearn_digits
    except ImportError as error:
        raise ImportError("the digits data set ships with scikit-learn: pip install 'keras_classics[digits]'") from error
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must be between 0 and 1; got {test_fraction}")
    if size < 8:
        raise ValueError(f"size must be at least 8 (the scans are 8x8); got {size}")
    import tensorflow as tf

    digits = sklearn_digits()
    images = (digits.images / 16.0).astype("float32")[..., None]
    images = tf.image.resize(images, (size, size), method="bilinear").numpy().clip(0.0, 1.0)
    labels = digits.target.astype("int64")
    train, test = _stratified_split(labels, test_fraction, seed)
    return (images[train], labels[train]), (images[test], labels[test])


def _stratified_split(labels, test_fraction, seed):
    rng = np.random.default_rng(seed)
    train, test = [], []
    for label in np.unique(labels):
        members = rng.permutation(np.flatnonzero(labels == label))
        n_test = int(round(len(members) * test_fraction))
        test.extend(members[:n_test])
        train.extend(members[n_test:])
    return rng.permutation(train), rng.permutation(test)
