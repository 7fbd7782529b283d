"""Atomic writes of files and folders: a crash never leaves a half-written checkpoint or export in place.

Both write under a temporary name beside the destination (same file system, so the final rename is
atomic) and remove what they wrote when the block fails.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile


def _parent(path: str) -> str:
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    return directory


@contextlib.contextmanager
def atomic_path(path):
    """Yields a temporary path beside `path` (same suffix); on success it is renamed onto `path`.

    Example:
        >>> import keras_classics
        >>> with atomic_path("/tmp/lenet5.weights.h5") as tmp:  # doctest: +SKIP
        ...     keras_classics.lenet5().save_weights(tmp)
    """
    path = os.fspath(path)
    name = os.path.basename(path)
    suffix = ".weights.h5" if name.endswith(".weights.h5") else os.path.splitext(name)[1]
    handle, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=suffix, dir=_parent(path))
    os.close(handle)
    os.remove(tmp)  # writers such as h5py want to create the file themselves
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


@contextlib.contextmanager
def atomic_directory(path):
    """Yields a not yet existing folder path beside `path`; on success it replaces `path` (and whatever
    folder was there). Checks made inside the block can still refuse the result by raising.

    Example:
        >>> with atomic_directory("/tmp/serving/lenet5/1") as tmp:  # doctest: +SKIP
        ...     model.export(tmp, format="tf_saved_model")
    """
    path = os.fspath(path)
    staging = tempfile.mkdtemp(prefix=f".{os.path.basename(path)}.tmp-", dir=_parent(path))
    try:
        target = os.path.join(staging, "contents")
        yield target
        if os.path.exists(path):
            shutil.rmtree(path)
        os.replace(target, path)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
