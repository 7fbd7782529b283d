"""TensorFlow Datasets (TFDS) image-classification sets as sources, through the optional `tfds` extra.

`tfds_source("tf_flowers", "train")` reads a prepared TFDS split into an `ImageSource` holding each record's
encoded image (its JPEG or PNG bytes, as TFDS stores them) and label, so the TFDS set goes through the same
pipeline as an image folder: decoded inside tf.data, the random crops decoding only their window. Nothing is
downloaded: a set must already be prepared in the TFDS data folder (`tfds.builder(name).download_and_prepare()`
once, on a machine with network), or the error says how. The encoded split is held in memory (CIFAR-10's
training split is about 130 MB, tf_flowers 220 MB); for ImageNet-sized sets write the images to a folder.

`train("resnet18", "tfds:tf_flowers")` trains on its `train` split and holds out its `validation` split,
else its `test` split, else a seeded fifth of `train` (as for an image folder).

Example (offline, with TFDS' mock data standing in for a prepared set):
    >>> import tensorflow_datasets as tfds
    >>> with tfds.testing.mock_data(num_examples=6, policy=tfds.testing.MockPolicy.USE_CODE):
    ...     source = tfds_source("tf_flowers", "train")
    >>> len(source), source.class_names
    (6, ('dandelion', 'daisy', 'tulips', 'sunflowers', 'roses'))
"""

from __future__ import annotations

import numpy as np

from keras_classics.data.sources import ImageSource

PREFIX = "tfds:"
HELD_OUT_SPLITS = ("validation", "test")  # in this order of preference


def _tfds():
    try:
        import tensorflow_datasets as tfds
    except ImportError:
        raise ImportError(
            "TFDS data sets need the optional tensorflow-datasets package: pip install 'keras-classics[datasets]'"
        ) from None
    return tfds


def _builder(name: str, data_dir=None):
    tfds = _tfds()
    try:
        return tfds.builder(name, data_dir=data_dir)
    except tfds.core.registered.DatasetNotFoundError:
        raise ValueError(f"unknown TFDS data set {name!r} (tfds.list_builders() lists them)") from None


def _features(builder):
    """(image feature key, label feature key): the one Image and the one ClassLabel feature of the set."""
    tfds = _tfds()
    features = builder.info.features
    images = [key for key, feature in features.items() if isinstance(feature, tfds.features.Image)]
    labels = [key for key, feature in features.items() if isinstance(feature, tfds.features.ClassLabel)]
    if len(images) != 1 or len(labels) != 1:
        raise ValueError(
            f"TFDS data set {builder.name!r} is not an image-classification set with one image and one class "
            f"label: its image features are {images}, its class-label features {labels}"
        )
    return images[0], labels[0]


def tfds_source(name: str, split: str = "train", *, data_dir=None) -> ImageSource:
    """The records of TFDS split `split` of data set `name`, in the set's order, as an encoded `ImageSource`.

    Args:
        name: a TFDS name, optionally with a version (`"cifar10"`, `"tf_flowers:3.0.1"`).
        split: a TFDS split, slices included (`"train"`, `"train[:80%]"`).
        data_dir: the TFDS data folder (default: TFDS' own, `~/tensorflow_datasets` or `$TFDS_DATA_DIR`).

    Raises:
        ImportError: tensorflow-datasets is not installed.
        ValueError: an unknown set, a set that is not prepared in `data_dir`, an unknown split, or a set that
            is not image classification.
    """
    tfds = _tfds()
    builder = _builder(name, data_dir)
    image_key, label_key = _features(builder)
    try:
        records = builder.as_dataset(
            split=split, decoders={image_key: tfds.decode.SkipDecoding()}, shuffle_files=False
        )
    except AssertionError as error:  # TFDS' way of saying the set is not prepared
        raise ValueError(
            f"TFDS data set {name!r} is not prepared in {builder.data_dir}: prepare it once where there is "
            f"network (tfds.builder({name!r}).download_and_prepare()); keras_classics never downloads"
        ) from error
    except ValueError as error:  # an unknown split
        raise ValueError(f"TFDS data set {name!r}: split {split!r} cannot be read ({error})") from None
    encoded, labels = [], []
    for record in records.as_numpy_iterator():
        encoded.append(bytes(record[image_key]))
        labels.append(int(record[label_key]))
    if not encoded:
        raise ValueError(f"TFDS data set {name!r}: split {split!r} has no records")
    class_names = tuple(builder.info.features[label_key].names)
    return ImageSource(class_names, np.asarray(labels, dtype=np.int64), encoded=tuple(encoded))


def held_out_split(name: str, data_dir=None) -> str | None:
    """The split `train` holds out: `validation` if the set has one, else `test`, else None (then a seeded
    fifth of `train`)."""
    splits = _builder(name, data_dir).info.splits
    return next((split for split in HELD_OUT_SPLITS if split in splits), None)
