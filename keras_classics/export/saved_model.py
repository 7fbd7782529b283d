"""Exporting to a TF Serving SavedModel, atomically, with the numbers checked after export.

TF Serving polls `BASE/NAME/VERSION/` and loads the highest version it finds. The version folder is
written under a temporary name beside it (`keras_classics.io.atomic_directory`), reloaded with
`tf.saved_model.load`, both signatures (see `export.serving`) are compared with the Keras model, and
only then is it renamed into place: a crash or a failed check never leaves a half-written version where
TF Serving would pick it up.

Example:
    >>> import keras_classics
    >>> from keras_classics.export import export_saved_model
    >>> report = export_saved_model(keras_classics.lenet5(), "/tmp/serving/lenet5")  # doctest: +SKIP
    >>> report.path  # doctest: +SKIP
    '/tmp/serving/lenet5/1'
"""

from __future__ import annotations

import dataclasses
import os

import numpy as np

from keras_classics.export import folding
from keras_classics.export.pixels import image_batch, in_float32, model_outputs, pixel_model
from keras_classics.export.serving import BYTES_SIGNATURE, TENSOR_SIGNATURE, outputs_probabilities, serving_archive
from keras_classics.io import atomic_directory


@dataclasses.dataclass
class SavedModelReport:
    """What was written and what the check measured."""

    path: str
    signatures: dict  # name -> {"inputs": {name: (dtype, shape)}, "outputs": {...}}
    max_difference: float  # serving_default against the Keras model, on the check images
    bytes_max_difference: float  # classify_image_bytes against decoding + center_crop_eval + the model
    check_images: int
    tolerance: float
    folded_batch_norms: int = 0  # BatchNormalization layers folded into the convolution before them


    def __str__(self) -> str:
        folded = f"{self.folded_batch_norms} BatchNormalization layers folded; " if self.folded_batch_norms else ""
        return (
            f"SavedModel written to {self.path}: signatures {', '.join(self.signatures)}; {folded}reloaded, "
            f"{TENSOR_SIGNATURE} matches the Keras model to {self.max_difference:.1e} and {BYTES_SIGNATURE} the "
            f"Python decode + crop path to {self.bytes_max_difference:.1e} on {self.check_images} images "
            f"(limit {self.tolerance:.0e})"
        )


def next_version(directory) -> int:
    """One more than the highest numbered version under `directory` (1 when there is none)."""
    directory = os.fspath(directory)
    if not os.path.isdir(directory):
        return 1
    versions = [int(entry) for entry in os.listdir(directory) if entry.isdigit()]
    return max(versions, default=0) + 1


def export_saved_model(
    model,
    directory,
    version: int | None = None,
    class_names=None,
    top_k: int = 5,
    sample=None,
    atol: float = 1e-5,
    overwrite: bool = False,
    mean=None,
    std=None,
    fold_batch_norm: bool = True,
) -> SavedModelReport:
    """Writes `model` as a SavedModel to `directory/version`, checks it, and returns the report.

    Args:
        model: a Keras classifier with one fixed-size image input.
        directory: the model's base path (TF Serving's `--model_base_path`).
        version: the numbered version folder; default: the next one (`next_version`).
        class_names: one name per class (default: `class_0`, `class_1`, ...).
        top_k: how many best classes the signatures return (capped at the number of classes).
        sample: RGB pixels in [0, 255] to check the export with, (N, H, W, C) (default: 4 random images).
        atol: largest allowed absolute difference of the probabilities.
        overwrite: replace an existing version folder (otherwise `FileExistsError`).
        mean, std: see `export.pixels.pixel_model`.
        fold_batch_norm: serve a copy with each BatchNormalization that follows a convolution folded into
            it (`export.folding`): the same outputs, one pass less over each feature map. The check
            compares the served outputs with `model` itself, so it covers the folding too.
    """
    import tensorflow as tf

    if version is None:
        version = next_version(directory)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ValueError(f"version must be a positive integer (TF Serving's version folder); got {version!r}")
    final = os.path.join(os.fspath(directory), str(version))
    if os.path.exists(final) and not overwrite:
        raise FileExistsError(f"{final!r} exists; pass overwrite=True to replace it, or another version")
    pixels = pixel_model(model, mean, std)
    shape = tuple(pixels.inputs[0].shape[1:])
    if None in shape:
        raise ValueError(f"model {model.name!r} takes a variable input shape {shape}; build it with input_shape=")
    classes = pixels.outputs[0].shape[-1]
    class_names = [f"class_{i}" for i in range(classes)] if class_names is None else list(class_names)
    sample = _check_images(sample, shape)
    served = folding.fold_batch_norm(in_float32(model)) if fold_batch_norm else model
    archive = serving_archive(served, class_names, min(top_k, classes), mean, std)
    softmax = not outputs_probabilities(model)
    with atomic_directory(final) as staged:
        archive.write_out(staged, verbose=False)
        loaded = tf.saved_model.load(staged)  # keep a reference: its variables die with it
        report = SavedModelReport(
            path=final,
            signatures=describe_signatures(loaded),
            max_difference=_tensor_difference(loaded, pixels, sample, class_names, softmax),
            bytes_max_difference=_bytes_difference(loaded, pixels, sample, softmax),
            check_images=len(sample),
            tolerance=atol,
            folded_batch_norms=len(folding.foldable_pairs(model)) if fold_batch_norm else 0,
        )
        worst = max(report.max_difference, report.bytes_max_difference)
        if worst > atol:
            raise ValueError(
                f"the exported model's outputs differ from the Keras model's by {worst:.3g} (> {atol}); not written"
            )
    return report


def _check_images(sample, shape):
    if sample is None:
        return np.random.default_rng(0).uniform(0, 255, (4, *shape)).astype("float32")
    return image_batch(sample, shape, "sample")


def _probabilities(pixels, images, softmax):
    """What the signatures should return: the model's first output, softmaxed when it is logits."""
    import tensorflow as tf

    scores = model_outputs(pixels, images)
    return np.asarray(tf.nn.softmax(scores) if softmax else scores)


def _tensor_difference(loaded, pixels, sample, class_names, softmax):
    import tensorflow as tf

    served = loaded.signatures[TENSOR_SIGNATURE](images=tf.constant(sample))
    expected = _probabilities(pixels, sample, softmax)
    names = served["top_k_classes"].numpy().astype(str)
    indices = served["top_k_indices"].numpy()
    if not (names == np.asarray(class_names)[indices]).all():
        raise ValueError("the exported top_k_classes do not name the top_k_indices' classes")
    return float(np.max(np.abs(served["probabilities"].numpy() - expected)))


def _bytes_difference(loaded, pixels, sample, softmax):
    """The bytes signature against Python's own path: PNG-encode the sample, decode, crop, run the model."""
    import tensorflow as tf

    from keras_classics.data.augment import center_crop_eval

    encoded = [tf.io.encode_png(tf.cast(tf.round(image), tf.uint8)) for image in sample]
    served = loaded.signatures[BYTES_SIGNATURE](image_bytes=tf.stack(encoded))["probabilities"].numpy()
    size = tuple(sample.shape[1:3])
    crops = np.stack(
        [center_crop_eval(tf.io.decode_png(data, channels=sample.shape[-1]), size).numpy() for data in encoded]
    ).astype("float32")
    return float(np.max(np.abs(served - _probabilities(pixels, crops, softmax))))


def describe_signatures(loaded) -> dict:
    """`{signature: {"inputs": {name: (dtype, shape)}, "outputs": {...}}}`, as `saved_model_cli show` lists them."""
    described = {}
    for name, function in loaded.signatures.items():
        inputs = function.structured_input_signature[1]
        outputs = function.structured_outputs
        described[name] = {
            "inputs": {key: (spec.dtype.name, tuple(spec.shape)) for key, spec in inputs.items()},
            "outputs": {key: (spec.dtype.name, tuple(spec.shape)) for key, spec in outputs.items()},
        }
    return described
