"""The tf.data pipeline: any `ImageSource` -> shuffled, augmented, batched, prefetched (images, labels).

    files -> shuffle (their indices) -> read + decode window + per-image transform (parallel) -> batch
          -> cast to float32 [-> one-hot] [-> per-batch transform] -> prefetch

Images stay uint8 until the batch is formed, then are cast to float32 in [0, 255] (the models'
`include_preprocessing` scales them). Decoding and per-image augmentation run in a parallel map
(`num_parallel_calls=AUTOTUNE`) that still yields elements in order (`deterministic=True`).

Determinism: every element gets its own stateless seed from `tf.data.Dataset.random(seed,
rerandomize_each_iteration=True)`, and the shuffle is seeded the same way, so the same `seed` gives
identical batches on every run (and different, but again reproducible, ones each epoch) however the
parallel map schedules its threads. As with every seeded TF op, the result also depends on TF's global seed
(`keras.utils.set_random_seed`) when one is set.

`cache=True` (or a file name) keeps the decoded images after the first epoch; the random crops are then
cut from the cached full images instead of decoding only the crop window.

Example:
    >>> import numpy as np
    >>> from keras_classics.data.pipeline import make_dataset
    >>> images, labels = np.zeros((10, 8, 8, 3), "uint8"), np.arange(10) % 2
    >>> batches = make_dataset((images, labels), batch_size=4, shuffle=True, seed=0)
    >>> [tuple(x.shape) for x, _ in batches]
    [(4, 8, 8, 3), (4, 8, 8, 3), (2, 8, 8, 3)]
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from keras_classics.data.augment import pair, resize
from keras_classics.data.decode import decode_rgb
from keras_classics.data.sources import ImageSource, array_source, folder_source
from keras_classics.data.transform import Transform

AUTOTUNE = tf.data.AUTOTUNE


def _element_seeds(seed, each_iteration=True):
    """An endless, reproducible stream of [2] int64 stateless seeds, new each pass over the data if
    `each_iteration`."""
    return tf.data.Dataset.random(seed=seed, rerandomize_each_iteration=each_iteration).batch(2, drop_remainder=True)


def make_dataset(
    source,
    batch_size=32,
    *,
    transform=None,
    image_size=None,
    shuffle=False,
    seed=None,
    cache=False,
    drop_remainder=False,
    one_hot=None,
    num_parallel_calls=AUTOTUNE,
    shard=None,
    reshuffle_each_iteration=True,
):
    """Batches of `(images, labels)` from a source.

    Args:
        source: an `ImageSource` (`folder_source`, `array_source`, `digits_source`) or `(images, labels)`.
        batch_size: examples per batch.
        transform: a `Transform` (e.g. the first or second of `preset(...)`), or None.
        image_size: without a transform, resize every image to this (height, width) (aspect not kept);
            needed for files of different sizes.
        shuffle: reshuffle the examples each epoch (seeded).
        seed: makes shuffling and augmentation reproducible; None draws one from NumPy's global generator.
        cache: False, True (memory) or a file name: keep decoded images after the first epoch.
        drop_remainder: drop the last, smaller batch.
        one_hot: one-hot float labels; None means "if the transform mixes labels" (mixup, cutmix).
        num_parallel_calls: parallelism of the decode-and-augment map.
        reshuffle_each_iteration: False gives every pass over the dataset the same order and augmentation.
            `train` builds one dataset per epoch, each with its own seed, and needs each to be the same
            however often it is iterated: Keras' `fit` under a distribution strategy opens one iterator to
            build the model before the one it trains on.
        shard: `(count, index)`: keep every `count`-th example from the `index`-th, after the shuffle and
            before decoding (one worker of a multi-worker run; the same seed deals the workers disjoint shares).

    Returns a `tf.data.Dataset` with `class_names` (and, for files, `file_paths`, `skipped`) attributes.
    """
    if isinstance(source, tuple) and len(source) == 2:
        source = array_source(*source)
    if not isinstance(source, ImageSource):
        raise TypeError(f"source must be an ImageSource or (images, labels); got {type(source).__name__}")
    if len(source) == 0:
        raise ValueError("the source has no images")
    if transform is not None and not isinstance(transform, Transform):
        raise TypeError(f"transform must be a Transform (see keras_classics.data.preset); got {transform!r}")
    if transform is not None and image_size is not None:
        raise ValueError("give either a transform (which sets the size) or image_size, not both")
    if not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive int; got {batch_size!r}")
    mixes = transform is not None and transform.mixes_labels
    if one_hot is None:
        one_hot = mixes
    elif mixes and not one_hot:
        raise ValueError(f"transform {transform.name!r} mixes labels, which needs one_hot=True")
    encoded = source.paths is not None or source.encoded is not None  # files, or their bytes in memory
    if encoded and transform is None and image_size is None:
        raise ValueError("image files can differ in size, so batching them needs image_size or a transform")
    if seed is None:
        seed = int(np.random.randint(2**31 - 1))
    if shard is not None and not (len(shard) == 2 and 0 <= shard[1] < shard[0]):
        raise ValueError(f"shard must be (count, index) with 0 <= index < count; got {shard!r}")
    size = None if image_size is None else pair(image_size)

    def finish(image, element_seed):
        if transform is not None:
            return transform(image, element_seed)
        return image if size is None else resize(image, size)

    if source.paths is not None:
        files = tf.constant(list(source.paths))
        contents_of = lambda index: tf.io.read_file(files[index])  # noqa: E731
    elif source.encoded is not None:
        files = tf.constant(list(source.encoded))
        contents_of = lambda index: files[index]  # noqa: E731

    def load(index, element_seed):
        contents = contents_of(index)
        if transform is not None:
            return transform.decode(contents, element_seed)
        return finish(decode_rgb(contents), element_seed)

    labels = tf.constant(source.labels)
    if encoded and not cache:
        data = tf.data.Dataset.range(len(source))

        def element(index, element_seed):
            return load(index, element_seed), labels[index]
    else:
        if encoded:
            data = tf.data.Dataset.range(len(source))
            data = data.map(lambda index: decode_rgb(contents_of(index)), num_parallel_calls=num_parallel_calls)
        else:
            data = tf.data.Dataset.from_tensor_slices(source.images)
        data = tf.data.Dataset.zip(tf.data.Dataset.range(len(source)), data)
        if cache:
            data = data.cache("" if cache is True else str(cache))

        def element(indexed, element_seed):
            index, image = indexed
            return finish(image, element_seed), labels[index]

    if shuffle:
        data = data.shuffle(len(source), seed=seed, reshuffle_each_iteration=reshuffle_each_iteration)
    if shard is not None:
        data = data.shard(*shard)
    data = tf.data.Dataset.zip(data, _element_seeds(seed, reshuffle_each_iteration))
    data = data.map(element, num_parallel_calls=num_parallel_calls, deterministic=True)
    data = data.batch(batch_size, drop_remainder=drop_remainder)

    num_classes = source.num_classes

    def batch_stage(batch, batch_seed):
        images, batch_labels = batch
        if one_hot:
            batch_labels = tf.one_hot(batch_labels, num_classes, dtype=tf.float32)
        if transform is not None:
            return transform.apply_batch(images, batch_labels, batch_seed)
        return tf.cast(images, tf.float32), batch_labels

    data = tf.data.Dataset.zip(data, _element_seeds(seed + 1, reshuffle_each_iteration))
    data = data.map(batch_stage, num_parallel_calls=num_parallel_calls, deterministic=True)
    data = data.prefetch(AUTOTUNE)
    data.class_names = list(source.class_names)
    if source.paths is not None:
        data.file_paths = list(source.paths)
        data.skipped = list(source.skipped)
    return data


def image_folder(
    path,
    image_size=(256, 256),
    batch_size=32,
    *,
    validation_split=None,
    subset=None,
    seed=None,
    on_bad_file="raise",
    transform=None,
    shuffle=True,
    cache=False,
    drop_remainder=False,
    one_hot=None,
    verify=True,
):
    """Batches from `path/<class name>/<images>`, like `keras.utils.image_dataset_from_directory`.

    Class names are the sorted sub-folder names; labels index them. Every file is checked up front (see
    `folder_source`): with `on_bad_file="raise"` one error lists every file that cannot be decoded, with
    "skip" they are left out and listed in the result's `skipped` attribute.

    Args:
        path: folder with one sub-folder per class.
        image_size: (height, width) every image is resized to when there is no `transform`.
        batch_size: examples per batch.
        validation_split, subset, seed: a seeded, stratified split (`subset` "training", "validation" or
            "both", which returns `(training, validation)`). The seed also seeds shuffling and augmentation.
        on_bad_file: "raise" or "skip".
        transform: a `Transform`, or a `(train, eval)` pair as `preset(...)` returns: the training subset
            (or the whole folder without a split) gets `train`, the validation subset `eval`.
        shuffle: reshuffle the training subset each epoch (the validation subset is never shuffled).
        cache, drop_remainder, one_hot: as in `make_dataset`.
        verify: decode every file once up front to find bad ones.

    Example:
        >>> from keras_classics.data import image_folder, preset
        >>> train, val = image_folder("photos", validation_split=0.2, subset="both", seed=1,
        ...                           transform=preset("inception"))  # doctest: +SKIP
    """
    found = folder_source(
        path, validation_split=validation_split, subset=subset, seed=seed, on_bad_file=on_bad_file, verify=verify
    )
    if isinstance(transform, tuple):
        train_transform, eval_transform = transform
    else:
        train_transform = eval_transform = transform
    common = {"batch_size": batch_size, "seed": seed, "cache": cache, "drop_remainder": drop_remainder}

    def build(source, training):
        chosen = train_transform if training else eval_transform
        return make_dataset(
            source,
            transform=chosen,
            image_size=image_size if chosen is None else None,
            shuffle=shuffle and training,
            one_hot=one_hot if one_hot is not None or training else _eval_one_hot(train_transform),
            **common,
        )

    if subset == "both":
        return build(found[0], True), build(found[1], False)
    return build(found, subset != "validation")


def _eval_one_hot(train_transform):
    # Validation labels take the training labels' form, so one model.compile loss fits both.
    return bool(train_transform is not None and train_transform.mixes_labels)
