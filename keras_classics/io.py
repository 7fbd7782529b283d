"""Atomic writes of files and folders: a crash never leaves a half-written checkpoint or export in place.

Both write under a temporary name beside the destination (same file system, so the final rename is
atomic) and remove what they wrote when the block fails. A write that fails because the disk is full (or a
file-size limit is reached) is reported as one `OSError` naming the destination and saying that the
previous version is untouched, whichever writer (Python, h5py, TensorFlow) ran out of room.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile

_NO_ROOM_ERRNOS = (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)
# TensorFlow's writers raise their own error types; their messages carry the operating system's words.
_NO_ROOM_WORDS = ("No space left on device", "File too large", "Disk quota exceeded")


def _out_of_room(error: BaseException) -> bool:
    if isinstance(error, OSError) and error.errno in _NO_ROOM_ERRNOS:
        return True
    return any(words in str(error) for words in _NO_ROOM_WORDS)


def _no_room_error(path: str, error: BaseException) -> OSError:
    kept = "the previous version is unchanged" if os.path.exists(path) else "nothing was left in its place"
    reason = next((words for words in _NO_ROOM_WORDS if words in str(error)), os.strerror(errno.ENOSPC))
    return OSError(
        errno.ENOSPC, f"could not write {path!r}: {reason} (out of disk space or over a file-size limit); {kept}"
    )


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
    except Exception as error:
        if _out_of_room(error):
            raise _no_room_error(path, error) from error
        raise
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
    except Exception as error:
        if _out_of_room(error):
            raise _no_room_error(path, error) from error
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def file_in_the_way(path) -> str | None:
    """The file that keeps `path` from being (or becoming) a folder: `path` itself or its nearest existing
    parent when that is a file; None when the folder exists or can be created.

    Example:
        >>> file_in_the_way("/tmp/a/new/folder") is None
        True
    """
    existing = os.path.abspath(os.fspath(path))
    while not os.path.exists(existing):
        existing = os.path.dirname(existing)
    return None if os.path.isdir(existing) else existing
