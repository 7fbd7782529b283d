"""ImageNet input scaling and class names, as `keras.applications.imagenet_utils` offers them.

`preprocess_input(x, mode=...)` is Keras' function (same modes, same numbers) for code that calls it
directly; each model module's own `preprocess_input` instead gives what *our* network of that name expects
(see `normalize`). `decode_predictions` reads the ImageNet-1k class index shipped with the package (the
public list keras.applications downloads, byte for byte), so it works offline.

Example:
    >>> import numpy as np
    >>> from keras_classics.applications import imagenet_utils
    >>> scores = np.zeros((1, 1000), "float32"); scores[0, 207] = 0.9; scores[0, 281] = 0.1
    >>> [(wnid, name) for wnid, name, _ in imagenet_utils.decode_predictions(scores, top=2)[0]]
    [('n02099601', 'golden_retriever'), ('n02123045', 'tabby')]
    >>> imagenet_utils.preprocess_input(np.full((1, 1, 3), 255.0), mode="tf").tolist()
    [[[1.0, 1.0, 1.0]]]
"""

from __future__ import annotations

import functools
import json
import numbers
from pathlib import Path

import numpy as np

from keras_classics.torch_compat import pixel_scale_offset

_CLASS_INDEX_FILE = Path(__file__).with_name("imagenet_class_index.json")
_MODES = ("caffe", "tf", "torch")
# Keras' constants for its three modes (keras.applications.imagenet_utils).
_CAFFE_BGR_MEAN = (103.939, 116.779, 123.68)
_TORCH_MEAN = (0.485, 0.456, 0.406)
_TORCH_STD = (0.229, 0.224, 0.225)


@functools.cache
def imagenet_classes() -> tuple[tuple[str, str], ...]:
    """The 1000 ImageNet-1k classes in label order: (WordNet id, Keras' class name)."""
    index = json.loads(_CLASS_INDEX_FILE.read_text())
    return tuple(tuple(index[str(i)]) for i in range(len(index)))


def decode_predictions(preds, top: int = 5):
    """The `top` classes of each row of ImageNet scores: a list (one per image) of (wnid, name, score).

    Args:
        preds: scores of shape (samples, 1000): probabilities or logits, NumPy or a tensor.
        top: how many classes to return per image, best first.
    """
    if isinstance(top, bool) or not isinstance(top, numbers.Integral) or top < 1:
        raise ValueError(f"top must be a positive integer; got {top!r}")
    scores = _to_numpy(preds)
    classes = imagenet_classes()
    if scores.ndim != 2 or scores.shape[1] != len(classes):
        raise ValueError(
            f"decode_predictions expects ImageNet scores of shape (samples, {len(classes)}); got an array of "
            f"shape {scores.shape}"
        )
    results = []
    for row in scores:
        best = np.argsort(row, kind="stable")[::-1][:top]
        results.append([(*classes[i], row[i]) for i in best])
    return results


def preprocess_input(x, data_format=None, mode: str = "caffe"):
    """Keras' ImageNet scaling of [0, 255] RGB images, in one of its three modes.

    - "caffe": RGB to BGR, then the ImageNet mean subtracted per channel (no scaling);
    - "tf": scaled to [-1, 1];
    - "torch": scaled to [0, 1], then normalized with the ImageNet mean and standard deviation.

    NumPy input gives a new float array (the input is left untouched); tensors give tensors.
    """
    if mode not in _MODES:
        raise ValueError(f"mode must be one of {', '.join(_MODES)}; got {mode!r}")
    if mode == "tf":
        return normalize(x, (0.5, 0.5, 0.5), (0.5, 0.5, 0.5), data_format)
    if mode == "torch":
        return normalize(x, _TORCH_MEAN, _TORCH_STD, data_format)
    x, axis, backend = _prepare(x, data_format)
    x = backend.flip(x, axis=axis)  # RGB -> BGR
    return x - _along(backend, np.asarray(_CAFFE_BGR_MEAN), axis, x.ndim if backend is np else len(x.shape))


def normalize(x, mean, std, data_format=None):
    """`(x / 255 - mean) / std` per channel: what a network trained on normalized [0, 1] pixels expects.

    Computed as `x * scale + offset`, exactly as the in-graph `include_preprocessing=True` layer does, so
    `model(normalize(x, ...))` equals the same model built with in-graph preprocessing on `x`.
    """
    scale, offset = pixel_scale_offset(mean, std)
    x, axis, backend = _prepare(x, data_format)
    rank = x.ndim if backend is np else len(x.shape)
    return x * _along(backend, scale, axis, rank, x.dtype) + _along(backend, offset, axis, rank, x.dtype)


def _prepare(x, data_format):
    """x as a float array or tensor, its channel axis, and the module (numpy or keras.ops) to compute with."""
    data_format = _data_format(data_format)
    if isinstance(x, (np.ndarray, list, tuple, numbers.Number)):
        x = np.asarray(x)
        if not np.issubdtype(x.dtype, np.floating):
            x = x.astype(_floatx())
        backend = np
        shape = x.shape
    else:
        from keras import ops

        if "float" not in str(x.dtype):
            x = ops.cast(x, _floatx())
        backend = ops
        shape = tuple(x.shape)
    if len(shape) < 3:
        raise ValueError(f"expected images of shape (height, width, 3) or a batch of them; got shape {shape}")
    axis = (0 if len(shape) == 3 else 1) if data_format == "channels_first" else len(shape) - 1
    if shape[axis] is not None and shape[axis] != 3:
        raise ValueError(
            f"expected 3 colour channels on axis {axis} ({data_format}); got shape {shape}"
        )
    return x, axis, backend


def _along(backend, values, axis, rank, dtype="float32"):
    """`values` (one per channel) shaped to broadcast along `axis` of a rank-`rank` array."""
    shape = [1] * rank
    shape[axis] = len(values)
    values = np.reshape(np.asarray(values), shape)
    if backend is np:
        return values.astype(dtype)
    return backend.convert_to_tensor(values, dtype=dtype)


def _data_format(data_format):
    if data_format is None:
        import keras

        return keras.config.image_data_format()
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(f"data_format must be 'channels_last' or 'channels_first'; got {data_format!r}")
    return data_format


def _floatx():
    import keras

    return keras.config.floatx()


def _to_numpy(preds):
    if isinstance(preds, np.ndarray):
        return preds
    if hasattr(preds, "numpy"):
        return preds.numpy()
    return np.asarray(preds)
