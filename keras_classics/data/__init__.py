"""Data sets and tf.data pipelines: sources, the pipeline, per-image and per-batch augmentation, presets.

Example:
    >>> from keras_classics.data import digits_source, make_dataset, preset
    >>> train, _ = preset("small", size=32)
    >>> batches = make_dataset(digits_source("test"), batch_size=64, transform=train, seed=0)  # doctest: +SKIP
"""

from keras_classics.data.augment import (
    center_crop,
    center_crop_eval,
    random_crop,
    random_flip,
    random_resized_crop,
    random_resized_crop_window,
    random_shift,
    resize,
    resize_shorter,
    scale_jitter,
)
from keras_classics.data.decode import decode_rgb, decode_window
from keras_classics.data.digits import load_digits
from keras_classics.data.lighting import IMAGENET_EIGENVALUES, IMAGENET_EIGENVECTORS, fit_pca_lighting, pca_lighting
from keras_classics.data.mixing import cutmix, mixup, mixup_or_cutmix
from keras_classics.data.pipeline import image_folder, make_dataset
from keras_classics.data.presets import PRESETS, preset
from keras_classics.data.sources import ImageSource, array_source, digits_source, folder_source, split_source
from keras_classics.data.tfds import tfds_source
from keras_classics.data.transform import Transform, chain

__all__ = [
    "IMAGENET_EIGENVALUES",
    "IMAGENET_EIGENVECTORS",
    "PRESETS",
    "ImageSource",
    "Transform",
    "array_source",
    "center_crop",
    "center_crop_eval",
    "chain",
    "cutmix",
    "decode_rgb",
    "decode_window",
    "digits_source",
    "fit_pca_lighting",
    "folder_source",
    "image_folder",
    "load_digits",
    "make_dataset",
    "mixup",
    "mixup_or_cutmix",
    "pca_lighting",
    "preset",
    "random_crop",
    "random_flip",
    "random_resized_crop",
    "random_resized_crop_window",
    "random_shift",
    "resize",
    "resize_shorter",
    "scale_jitter",
    "split_source",
    "tfds_source",
]
