"""Pictures of what a network learned: its first-layer kernels as a grid, a layer's feature maps.

`filter_grid` draws AlexNet's famous figure (Krizhevsky et al. 2012, Fig. 3): one tile per kernel of the
first convolution, colours stretched to the full range per tile so each kernel's pattern shows whatever its
scale. `feature_map_grid` tiles one layer's channels for an input image. Both return uint8 RGB arrays;
`save_png` writes one atomically. No plotting library is needed.

Example:
    >>> import keras_classics
    >>> from keras_classics.analysis.pictures import filter_grid
    >>> filter_grid(keras_classics.alexnet(), scale=1).shape  # 96 kernels of 11x11, 12 per row
    (95, 143, 3)
"""

from __future__ import annotations

import math

import keras
import numpy as np


def first_convolution(model):
    """The first convolution layer with a kernel (Conv2D or a grouped one) in `model`."""
    for layer in model.layers:
        kernel = _kernel_of(layer)
        if kernel is not None:
            return layer
    raise ValueError(f"{model.name} has no convolution layer")


def _kernel_of(layer):
    weights = [w for w in layer.weights if "kernel" in w.path and len(w.shape) == 4]
    return weights[0] if weights else None


def _stretch(tile):
    low, high = float(tile.min()), float(tile.max())
    scaled = (tile - low) / (high - low) if high > low else np.zeros_like(tile)
    return np.round(scaled * 255.0).astype("uint8")


def tile_grid(tiles, columns=None, gap: int = 1, scale: int = 1):
    """Lays (N, h, w, 3) uint8 tiles out in a grid with `gap` white pixels between, each enlarged `scale` times."""
    tiles = np.asarray(tiles)
    count, height, width = tiles.shape[:3]
    columns = columns or math.ceil(math.sqrt(count * height / width))
    rows = math.ceil(count / columns)
    height, width = height * scale, width * scale
    grid = np.full((rows * (height + gap) - gap, columns * (width + gap) - gap, 3), 255, "uint8")
    for i, tile in enumerate(tiles):
        top, left = (i // columns) * (height + gap), (i % columns) * (width + gap)
        grid[top : top + height, left : left + width] = np.kron(tile, np.ones((scale, scale, 1), "uint8"))
    return grid


def filter_grid(model, layer=None, columns=None, scale: int = 4):
    """The first (or the named) convolution's kernels as an RGB grid, each stretched to [0, 255] on its own.

    Kernels with 3 input channels show as colour, with one as grey; other counts show their first three.
    """
    layer = first_convolution(model) if layer is None else model.get_layer(layer)
    kernel = _kernel_of(layer)
    if kernel is None:
        raise ValueError(f"layer {layer.name!r} has no convolution kernel")
    kernel = np.asarray(kernel.numpy())  # (h, w, in, out)
    if kernel.shape[2] == 1:
        kernel = np.repeat(kernel, 3, axis=2)
    tiles = [_stretch(kernel[:, :, :3, k]) for k in range(kernel.shape[-1])]
    columns = columns or (12 if len(tiles) == 96 else None)  # 96 kernels: 12 per row, as in AlexNet's figure
    return tile_grid(tiles, columns, scale=scale)


def feature_map_grid(model, image, layer: str, columns=None, scale: int = 1, limit: int = 64):
    """Up to `limit` channels of layer `layer`'s output for one `image` (the model's input), as grey tiles."""
    probe = keras.Model(model.inputs[0], model.get_layer(layer).output)
    maps = np.asarray(probe(np.asarray(image, "float32")[None], training=False))[0]
    if maps.ndim != 3:
        raise ValueError(f"layer {layer!r} outputs shape {maps.shape}, not a (height, width, channels) map")
    tiles = [np.repeat(_stretch(maps[:, :, c])[:, :, None], 3, axis=2) for c in range(min(limit, maps.shape[-1]))]
    return tile_grid(tiles, columns, scale=scale)


def save_png(picture, path) -> str:
    """Writes a uint8 (H, W, 3) array as a PNG file, atomically; returns the path."""
    import tensorflow as tf

    from keras_classics.io import atomic_path

    with atomic_path(path) as staged:
        tf.io.write_file(staged, tf.io.encode_png(np.asarray(picture, "uint8")))
    return str(path)


def confusion_matrix(labels, predicted, classes: int) -> np.ndarray:
    """(classes, classes) counts: row = true class, column = predicted class."""
    counts = np.zeros((classes, classes), "int64")
    np.add.at(counts, (np.asarray(labels, "int64"), np.asarray(predicted, "int64")), 1)
    return counts


def save_confusion_matrix(counts, class_names, path, title: str = "") -> str:
    """A PNG of `counts` (see `confusion_matrix`): rows normalised to the true class's share, counts written
    in the cells when there are at most 30 classes; written atomically."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from keras_classics.io import atomic_path

    counts = np.asarray(counts)
    shares = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    side = min(2.0 + 0.45 * len(class_names), 16.0)
    figure, axis = plt.subplots(figsize=(side + 1.2, side))
    shown = axis.imshow(shares, cmap="Blues", vmin=0.0, vmax=1.0)
    figure.colorbar(shown, ax=axis, fraction=0.046, label="share of the true class")
    ticks = range(len(class_names))
    axis.set_xticks(ticks, class_names, rotation=90 if len(class_names) > 8 else 0, fontsize=8)
    axis.set_yticks(ticks, class_names, fontsize=8)
    axis.set_xlabel("predicted")
    axis.set_ylabel("true")
    axis.set_title(title, fontsize=9)
    if len(class_names) <= 30:
        for (row, column), count in np.ndenumerate(counts):
            colour = "white" if shares[row, column] > 0.5 else "black"
            axis.text(column, row, str(count), ha="center", va="center", fontsize=8, color=colour)
    figure.tight_layout()
    with atomic_path(path) as staged:
        figure.savefig(staged, format="png", dpi=90)
    plt.close(figure)
    return str(path)
