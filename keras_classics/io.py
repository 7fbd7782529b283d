"""Atomic file writes: a crash never leaves a half-written checkpoint or export in place."""

from __future__ import annotations

import contextlib
import os
import tempfile


@contextlib.contextmanager
def atomic_path(path):
    """Yields a temporary path beside `path` (same suffix); on success it is renamed onto `path`.

    Example:
        >>> import keras_classics
        >>> with atomic_path("/tmp/lenet5.weights.h5") as tmp:  # doctest: +SKIP
        ...     keras_classics.lenet5().save_weights(tmp)
    """
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    name = os.path.basename(path)
    suffix = ".weights.h5" if name.endswith(".weights.h5") else os.path.splitext(name)[1]
    handle, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=suffix, dir=directory)
    os.close(handle)
    os.remove(tmp)  # writers such as h5py want to create the file themselves
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
