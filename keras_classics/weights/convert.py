"""Converting a reference (PyTorch) state dict into a Keras `.weights.h5` file, once, offline.

The file is written for the registered model's default build, so `NAME(weights=DST)` loads it; the keys of
parts that build lacks (auxiliary classifiers) are skipped and returned. The write is atomic: an interrupted
conversion never leaves a half-written file at `dst`.

Example:
    >>> from keras_classics.weights import convert_reference_weights
    >>> convert_reference_weights("resnet50", "resnet50.safetensors", "resnet50.weights.h5")  # doctest: +SKIP
    [1/3] building resnet50
    [2/3] importing resnet50.safetensors
    [3/3] writing resnet50.weights.h5
    []
"""

from __future__ import annotations

import os
from typing import Callable


def convert_reference_weights(
    name: str, src: str | os.PathLike, dst: str | os.PathLike, progress: Callable[[str], object] | None = print
) -> list[str]:
    """Imports reference state dict `src` into registered model `name` and saves its weights to `dst`.

    Args:
        name: a registered model name (`"resnet50"`).
        src: a `.safetensors`, `.npz`, `.pth` or `.pt` state dict.
        dst: the output path; it must end in `.weights.h5` (Keras' weights format).
        progress: called with one line per step (`"[1/3] building resnet50"`); None for silence.

    Returns:
        The reference keys skipped because the default build lacks their part.

    Raises:
        FileNotFoundError: `src` does not exist.
        ValueError: unknown model, a `dst` that is not a `.weights.h5` path or is a folder, or a state
            dict that does not fit the model (nothing is written then).
    """
    from keras_classics.io import atomic_path
    from keras_classics.registry import model_info
    from keras_classics.weights.reference import load_reference_weights

    src, dst = os.fspath(src), os.fspath(dst)
    report = progress or (lambda line: None)
    spec = model_info(name)
    if not dst.endswith(".weights.h5"):
        raise ValueError(f"dst must end in .weights.h5 (Keras' weights format); got {dst!r}")
    if os.path.isdir(dst):
        raise ValueError(f"dst {dst!r} is a folder; give the path of the .weights.h5 file to write")
    if not os.path.isfile(src):
        raise FileNotFoundError(f"reference weights file not found: {src!r}")
    report(f"[1/3] building {spec.name}")
    model = spec.builder()  # the default build, so that `NAME(weights=dst)` loads the file
    report(f"[2/3] importing {src}")
    skipped = load_reference_weights(model, src, spec=spec)
    report(f"[3/3] writing {dst}")
    with atomic_path(dst) as tmp:
        model.save_weights(tmp)
    return skipped
