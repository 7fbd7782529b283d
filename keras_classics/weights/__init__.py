"""Loading weights from local files (Keras files, reference PyTorch state dicts) and converting a reference
state dict into a Keras `.weights.h5` file (`convert_reference_weights`).

Nothing is downloaded: `weights` is always a path on disk.

Example:
    >>> import keras_classics
    >>> from keras_classics.weights import load_weights
    >>> model = keras_classics.lenet5()
    >>> model.save_weights("/tmp/lenet5.weights.h5")
    >>> load_weights(keras_classics.lenet5(), "/tmp/lenet5.weights.h5")
"""

from __future__ import annotations

import os
import warnings

import keras

from keras_classics.weights.convert import convert_reference_weights

__all__ = ["KERAS_SUFFIXES", "REFERENCE_SUFFIXES", "convert_reference_weights", "load_weights"]

KERAS_SUFFIXES = (".weights.h5", ".keras")
REFERENCE_SUFFIXES = (".safetensors", ".npz", ".pth", ".pt")


def load_weights(model: keras.Model, path: str | os.PathLike, spec=None) -> None:
    """Loads `path` into `model`, dispatching on the file's extension.

    `.weights.h5` and `.keras` files must come from the same architecture; `.safetensors`, `.npz`,
    `.pth` and `.pt` are reference state dicts imported by name (see `keras_classics.weights.reference`).

    Raises:
        FileNotFoundError: the file does not exist.
        ValueError: the extension is not supported, or the file does not fit the model.
    """
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"weights file not found: {path!r} (keras_classics never downloads weights)")
    lower = path.lower()
    if lower.endswith(".weights.h5"):
        _load_keras_weights(model, path)
    elif lower.endswith(".keras"):
        source = keras.saving.load_model(path, compile=False)
        _copy_weights(source, model, path)
    elif lower.endswith(REFERENCE_SUFFIXES):
        from keras_classics.weights.reference import load_reference_weights

        load_reference_weights(model, path, spec=spec)
    else:
        supported = ", ".join(KERAS_SUFFIXES + REFERENCE_SUFFIXES)
        raise ValueError(f"unsupported weights file {path!r}; supported extensions: {supported}")


def _load_keras_weights(model, path):
    # On a shape mismatch Keras first warns about "legacy files" it cannot match, then raises: the warning
    # misleads, so it is dropped when the load fails and passed on when it succeeds.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            model.load_weights(path)
        except ValueError as error:
            raise ValueError(f"weights file {path!r} does not fit model {model.name!r}: {error}") from error
    for warning in caught:
        warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)


def _copy_weights(source: keras.Model, target: keras.Model, path: str) -> None:
    src, dst = source.weights, target.weights
    if len(src) != len(dst):
        raise ValueError(
            f"{path!r} holds {len(src)} weights but model {target.name!r} has {len(dst)}: not the same architecture"
        )
    mismatched = [(a.path, a.shape, b.shape) for a, b in zip(src, dst) if tuple(a.shape) != tuple(b.shape)]
    if mismatched:
        listing = "; ".join(f"{p}: file {s} vs model {t}" for p, s, t in mismatched[:10])
        raise ValueError(f"{path!r} does not fit model {target.name!r}: {listing}")
    for a, b in zip(src, dst):
        b.assign(a)
