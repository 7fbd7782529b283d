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
import zipfile
import zlib

import keras

from keras_classics.weights.convert import convert_reference_weights

__all__ = [
    "KERAS_SUFFIXES",
    "REFERENCE_SUFFIXES",
    "convert_reference_weights",
    "load_keras_file",
    "load_trained",
    "load_weights",
]

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
    if not path.lower().endswith(KERAS_SUFFIXES + REFERENCE_SUFFIXES):
        supported = ", ".join(KERAS_SUFFIXES + REFERENCE_SUFFIXES)
        raise ValueError(f"unsupported weights file {path!r}; supported extensions: {supported}")
    try:
        _load_by_suffix(model, path, spec)
    except ValueError as error:
        hint = _channel_hint(model, spec)
        if hint is None:
            raise
        raise ValueError(f"{hint}\n{error}") from error


def _channel_hint(model, spec):
    """Names the likely cause when a model built for other input channels rejects a weights file."""
    channels = model.inputs[0].shape[-1] if model.inputs else None
    if spec is None or channels is None or channels == spec.channels:
        return None
    return (
        f"weights file does not fit: {model.name!r} was built for {channels}-channel input, and weights made for "
        f"{spec.name}'s usual {spec.channels}-channel images cannot load into it (input_shape[-1] must match the "
        "channels the weights were trained on)"
    )


def load_keras_file(path, compile: bool = False):
    """Loads a whole `.keras` model, with a clear error naming the file when it is missing, empty or damaged.

    `compile=True` restores the optimizer and its state too (what resuming a training run needs).

    Example:
        >>> load_keras_file("missing.keras")
        Traceback (most recent call last):
        ...
        ValueError: no such .keras file: 'missing.keras'
    """
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise ValueError(f"no such .keras file: {path!r}")
    if not zipfile.is_zipfile(path):  # Keras would say "File not found" of an empty or truncated file
        raise ValueError(f"could not read {path!r}: a .keras file is a zip archive, and this one is empty or damaged")
    try:
        return keras.saving.load_model(path, compile=compile)
    except (zipfile.BadZipFile, OSError, EOFError, KeyError, RuntimeError, zlib.error) as error:
        # What a corrupted archive raises from deep inside zipfile/h5py: name the file instead.
        raise ValueError(f"could not read {path!r}: the file is damaged ({type(error).__name__}: {error})") from error


def load_trained(source, weights=None):
    """A trained model from wherever the package puts one: a `train`/`finetune` run folder (its best
    checkpoint, else its last; `model.class_names` from the folder), a `.keras` file, or a registered model
    name built with `weights` (a local weights file, or None for random weights).

    Example:
        >>> load_trained("lenet5").name
        'lenet5'
    """
    source = os.fspath(source)
    if os.path.isdir(source):
        return _load_run(source, weights)
    if source.endswith(".keras"):
        if weights:
            raise ValueError(
                f"weights (--weights) go with a registered model name; {source!r} is a .keras file, which holds "
                "its own weights"
            )
        return load_keras_file(source)
    from keras_classics.registry import model_info

    return model_info(source).builder(weights=weights)


def _load_run(run_dir, weights):
    import json

    from keras_classics.training.run_folder import paths

    if weights:
        raise ValueError(
            f"weights (--weights) go with a registered model name; {run_dir!r} is a run folder, which holds its "
            "own checkpoints"
        )
    files = paths(run_dir)
    checkpoint = next((files[k] for k in ("best", "last") if os.path.exists(files[k])), None)
    if checkpoint is None:
        raise ValueError(f"{run_dir!r} is not a run folder from `train`: no checkpoints/best.keras or last.keras")
    model = load_keras_file(checkpoint)
    if os.path.exists(files["classes"]):
        with open(files["classes"]) as file:
            model.class_names = json.load(file)
    return model


def _load_by_suffix(model, path, spec):
    lower = path.lower()
    if lower.endswith(".weights.h5"):
        _load_keras_weights(model, path)
    elif lower.endswith(".keras"):
        _copy_weights(load_keras_file(path), model, path)
    else:
        from keras_classics.weights.reference import load_reference_weights

        load_reference_weights(model, path, spec=spec)


def _load_keras_weights(model, path):
    # On a shape mismatch Keras first warns about "legacy files" it cannot match, then raises: the warning
    # misleads, so it is dropped when the load fails and passed on when it succeeds.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            model.load_weights(path)
        except ValueError as error:
            raise ValueError(f"weights file {path!r} does not fit model {model.name!r}: {error}") from error
        except OSError as error:  # h5py: empty, truncated, or not HDF5 at all
            raise ValueError(f"could not read weights file {path!r} (empty, truncated or not HDF5): {error}") from error
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
