"""Exporting to a TF Serving SavedModel, atomically, with the numbers checked after export.

TF Serving reads `BASE/NAME/VERSION/`; this writes the version folder under a temporary name beside
it (`keras_classics.io.atomic_directory`), reloads it with `tf.saved_model.load`, compares its outputs with the Keras model's on sample
inputs, and only then renames it into place, so a crash or a failed check never leaves a
half-written version where TF Serving would pick it up.

Example:
    >>> import keras_classics
    >>> from keras_classics.export import export_saved_model
    >>> model = keras_classics.lenet5()
    >>> export_saved_model(model, "/tmp/serving/lenet5", version=1)  # doctest: +SKIP
    '/tmp/serving/lenet5/1'
"""

from __future__ import annotations

import os

import numpy as np

from keras_classics.io import atomic_directory


def export_saved_model(model, directory, version: int = 1, sample=None, atol: float = 1e-5, overwrite: bool = True) -> str:
    """Writes `model` as a SavedModel to `directory/version` and returns that path.

    Args:
        model: a Keras model.
        directory: the model's base path (TF Serving's `--model_base_path`).
        version: the numbered version folder.
        sample: inputs to check the export with (default: random inputs of the model's input shape).
        atol: largest allowed absolute difference between the SavedModel and the Keras model.
        overwrite: replace an existing version folder (otherwise raise `FileExistsError`).
    """
    import tensorflow as tf

    if not isinstance(version, int) or version < 0:
        raise ValueError(f"version must be a non-negative integer; got {version!r}")
    directory = os.fspath(directory)
    final = os.path.join(directory, str(version))
    if os.path.exists(final) and not overwrite:
        raise FileExistsError(f"{final!r} exists; pass overwrite=True to replace it")
    sample = _sample_inputs(model) if sample is None else sample
    with atomic_directory(final) as target:
        model.export(target, format="tf_saved_model", verbose=False)
        loaded = tf.saved_model.load(target)  # keep a reference: its variables die with it
        served = loaded.serve(tf.constant(sample))
        _check_close(model(sample, training=False), served, atol)
    return final


def _sample_inputs(model, batch: int = 2):
    shape = tuple(model.inputs[0].shape[1:])
    if None in shape:
        raise ValueError(f"model {model.name!r} has a variable input shape {shape}; pass `sample` inputs to check the export with")
    return np.random.default_rng(0).uniform(0.0, 1.0, (batch, *shape)).astype("float32")


def _check_close(expected, actual, atol):
    expected = expected if isinstance(expected, (list, tuple)) else [expected]
    actual = actual if isinstance(actual, (list, tuple)) else [actual]
    for want, got in zip(expected, actual):
        error = float(np.max(np.abs(np.asarray(want) - np.asarray(got))))
        if error > atol:
            raise ValueError(f"the exported model's outputs differ from the Keras model's by {error:.3g} (> {atol})")
