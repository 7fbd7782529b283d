"""Where images come from: a folder of class sub-folders, NumPy arrays, the embedded digits set, or a TFDS
data set (`keras_classics.data.tfds`).

A source is an `ImageSource`: the class names, an int label per example, and one of: the file paths (read
and decoded later, inside tf.data), the encoded files' bytes held in memory (decoded the same way), or the
images themselves. `make_dataset` in `keras_classics.data.pipeline` turns any
source into batches, so folders, arrays and digits go through the same pipeline.

A folder source checks every file once, up front, by decoding it cheaply (JPEGs at 1/8 scale), so a corrupt
file stops you before training starts, with one error listing every bad file, instead of killing an epoch
hours in. `on_bad_file="skip"` leaves them out instead and records them in `source.skipped`.

Example:
    >>> import numpy as np
    >>> from keras_classics.data.sources import array_source, split_source
    >>> source = array_source(np.zeros((10, 8, 8, 3), "uint8"), [0, 1] * 5, class_names=["cat", "dog"])
    >>> train, val = split_source(source, validation_split=0.2, seed=0)
    >>> len(train), len(val), val.class_names
    (8, 2, ('cat', 'dog'))
"""

from __future__ import annotations

import dataclasses
import os
import pathlib

import numpy as np

from keras_classics.data.decode import IMAGE_EXTENSIONS

SUBSETS = ("training", "validation", "both")


@dataclasses.dataclass(frozen=True)
class ImageSource:
    """Labelled images: `paths` (encoded files), `encoded` (their bytes) or `images` (an array), exactly one.

    Attributes:
        class_names: the class of label `i` is `class_names[i]`.
        labels: int64 array, one label per example.
        paths: file paths, or None.
        images: NHWC array (uint8, or float as the caller gave it), or None.
        encoded: the JPEG/PNG/BMP/GIF bytes of each image (a TFDS data set's records), or None.
        skipped: files left out because they could not be decoded (`on_bad_file="skip"`).
    """

    class_names: tuple
    labels: np.ndarray
    paths: tuple | None = None
    images: np.ndarray | None = None
    skipped: tuple = ()
    encoded: tuple | None = None

    def __len__(self):
        return len(self.labels)

    @property
    def num_classes(self):
        return len(self.class_names)

    def subset(self, indices):
        """The examples at `indices` (in that order), same classes."""
        indices = np.asarray(indices, dtype=np.int64)
        return dataclasses.replace(
            self,
            labels=self.labels[indices],
            paths=None if self.paths is None else tuple(self.paths[i] for i in indices),
            images=None if self.images is None else self.images[indices],
            encoded=None if self.encoded is None else tuple(self.encoded[i] for i in indices),
        )


def array_source(images, labels, class_names=None) -> ImageSource:
    """A source from in-memory NHWC images and integer labels.

    uint8 images stay uint8 until the batch; float images are passed through unchanged (their scale is the
    caller's). `class_names` defaults to `("0", "1", ...)` up to the largest label.
    """
    images = np.asarray(images)
    labels = np.asarray(labels)
    if images.ndim != 4:
        raise ValueError(f"images must be NHWC (4 dimensions); got shape {images.shape}")
    if labels.ndim != 1 or len(labels) != len(images):
        raise ValueError(f"labels must be one int per image ({len(images)}); got shape {labels.shape}")
    if len(labels) and (not np.issubdtype(labels.dtype, np.integer) or labels.min() < 0):
        raise ValueError(f"labels must be non-negative integers; got dtype {labels.dtype}, min {labels.min()}")
    if class_names is None:
        class_names = [str(i) for i in range(int(labels.max()) + 1 if len(labels) else 0)]
    class_names = tuple(str(name) for name in class_names)
    if len(labels) and labels.max() >= len(class_names):
        raise ValueError(f"label {labels.max()} has no class name ({len(class_names)} class_names given)")
    return ImageSource(class_names, labels.astype(np.int64), images=images)


def digits_source(subset="training", size=32) -> ImageSource:
    """scikit-learn's digits (see `load_digits`) as a source: uint8 grayscale in [0, 255], 10 classes.

    `subset` is "training" or "test" (load_digits' fixed stratified split).
    """
    from keras_classics.data.digits import load_digits

    if subset not in ("training", "test"):
        raise ValueError(f"subset must be 'training' or 'test'; got {subset!r}")
    train, test = load_digits(size=size)
    images, labels = train if subset == "training" else test
    # The same 0..255 scale as decoded image files, so one preprocessing serves both.
    images = np.round(images * 255.0).astype(np.uint8)
    return array_source(images, labels, class_names=[str(d) for d in range(10)])


def split_source(source, validation_split, seed):
    """Splits a source into (training, validation), stratified by class and seeded.

    Each class gives `round(n * validation_split)` of its examples to validation, chosen by a permutation
    drawn from `seed`: the same seed always gives the same two disjoint subsets.
    """
    check_validation_split(validation_split)
    rng = np.random.default_rng(seed)
    train, val = [], []
    for label in range(source.num_classes):
        members = rng.permutation(np.flatnonzero(source.labels == label))
        n_val = round(len(members) * validation_split)
        val.extend(members[:n_val])
        train.extend(members[n_val:])
    # Sorted, so each subset keeps the source's order; the pipeline shuffles.
    return source.subset(np.sort(train)), source.subset(np.sort(val))


def check_validation_split(validation_split):
    if not isinstance(validation_split, (int, float)) or not 0.0 < validation_split < 1.0:
        raise ValueError(f"validation_split must be a fraction strictly between 0 and 1; got {validation_split!r}")


def folder_source(path, *, validation_split=None, subset=None, seed=None, on_bad_file="raise", verify=True):
    """A source from `path/<class name>/<image files>`, class names sorted.

    Args:
        path: the folder holding one sub-folder per class.
        validation_split: fraction of each class held out, or None for no split.
        subset: with a split, "training", "validation" or "both" (returns a pair).
        seed: the split's seed; required with a split, so that separate calls for "training" and
            "validation" agree.
        on_bad_file: "raise" (one error listing every file that cannot be decoded) or "skip" (leave them
            out; their paths are in `source.skipped`).
        verify: decode every file once now to find bad ones (JPEGs at 1/8 scale). Without it a bad file
            fails inside the pipeline.

    Files whose names do not end in .jpg, .jpeg, .png, .bmp or .gif (any case), and hidden files, are
    ignored, as `keras.utils.image_dataset_from_directory` does.
    """
    if on_bad_file not in ("raise", "skip"):
        raise ValueError(f"on_bad_file must be 'raise' or 'skip'; got {on_bad_file!r}")
    if validation_split is None and subset is not None:
        raise ValueError(f"subset={subset!r} needs a validation_split")
    if validation_split is not None:
        check_validation_split(validation_split)
        if subset not in SUBSETS:
            raise ValueError(f"with a validation_split, subset must be one of {', '.join(SUBSETS)}; got {subset!r}")
        if seed is None:
            raise ValueError("validation_split needs a seed, so the training and validation subsets are disjoint")
    class_names, paths, labels = list_image_folder(path)
    skipped = ()
    if verify:
        bad = find_undecodable(paths)
        if bad and on_bad_file == "raise":
            listing = "\n".join(f"  {p}: {reason}" for p, reason in bad)
            raise ValueError(
                f"{len(bad)} of {len(paths)} image files in {path} cannot be decoded:\n{listing}\n"
                "Remove or fix them, or pass on_bad_file='skip' to leave them out."
            )
        if bad:
            skipped = tuple(p for p, _ in bad)
            bad_paths = set(skipped)
            keep = [i for i, p in enumerate(paths) if p not in bad_paths]
            paths, labels = [paths[i] for i in keep], labels[keep]
            empty = [name for i, name in enumerate(class_names) if not np.any(labels == i)]
            if empty:
                raise ValueError(f"after skipping undecodable files, class folder(s) {empty} have no images left")
    source = ImageSource(tuple(class_names), labels, paths=tuple(paths), skipped=skipped)
    if validation_split is None:
        return source
    train, val = split_source(source, validation_split, seed)
    return {"training": train, "validation": val, "both": (train, val)}[subset]


def list_image_folder(path):
    """(class_names, paths, labels) of a class-per-sub-folder tree, with clear errors for a wrong layout."""
    root = pathlib.Path(path)
    if not root.exists():
        raise FileNotFoundError(f"image folder {str(root)!r} does not exist")
    if not root.is_dir():
        raise NotADirectoryError(f"{str(root)!r} is a file; expected a folder with one sub-folder per class")
    class_dirs = sorted(d for d in root.iterdir() if d.is_dir() and not d.name.startswith("."))
    if not class_dirs:
        raise ValueError(f"image folder {str(root)!r} has no class sub-folders; expected {root}/<class name>/<images>")
    paths, labels, empty = [], [], []
    for label, class_dir in enumerate(class_dirs):
        files = sorted(
            os.path.join(dirpath, name)
            for dirpath, _, names in os.walk(class_dir, followlinks=True)
            for name in names
            if name.lower().endswith(IMAGE_EXTENSIONS) and not name.startswith(".")
        )
        if not files:
            empty.append(str(class_dir))
        paths.extend(files)
        labels.extend([label] * len(files))
    if empty:
        raise ValueError(
            f"class folder(s) with no images ({', '.join(IMAGE_EXTENSIONS)}): {', '.join(empty)}; "
            "remove them or add images"
        )
    return [d.name for d in class_dirs], paths, np.asarray(labels, dtype=np.int64)


def find_undecodable(paths):
    """[(path, reason)] for every file that cannot be read and decoded, in a parallel tf.data pass."""
    import tensorflow as tf

    from keras_classics.data.decode import check_decodes, decode_rgb

    data = tf.data.Dataset.from_tensor_slices((np.arange(len(paths)), list(paths)))
    data = data.map(lambda i, p: (i, check_decodes(tf.io.read_file(p))), num_parallel_calls=tf.data.AUTOTUNE)
    # Failing elements are dropped; the indices that come out are the good files.
    data = data.ignore_errors(log_warning=False)
    good = np.zeros(len(paths), dtype=bool)
    for index, _ in data.as_numpy_iterator():
        good[index] = True
    bad = []
    for i in np.flatnonzero(~good):
        # Decode the few bad ones again, eagerly, only to say why.
        try:
            decode_rgb(tf.io.read_file(paths[i]))
            reason = "cannot be decoded"
        except (tf.errors.OpError, ValueError) as error:
            reason = getattr(error, "message", str(error)).strip().splitlines()[0]
        bad.append((paths[i], reason))
    return bad
