"""Image retrieval by a network's features: index a folder, query with an image, get its nearest neighbours.

AlexNet's paper showed that images whose fc7 (4096-d, penultimate) feature vectors lie close together look
alike to people even when their pixels do not. Any zoo model (or `.keras` model) serves: `embedding_model`
returns the vector feeding its classifier by default, or any named layer's output (global-average-pooled
when it is a feature map), computed from [0, 255] RGB pixels.

Example:
    >>> import numpy as np, keras_classics
    >>> from keras_classics.reuse import ImageIndex, embedding_model
    >>> embed = embedding_model(keras_classics.resnet18(input_shape=(64, 64, 3)))
    >>> images = np.random.default_rng(0).uniform(0, 255, (4, 64, 64, 3)).astype("float32")
    >>> index = ImageIndex.from_images(embed, images, names=["a", "b", "c", "d"])
    >>> index.search(images[2:3], k=1)["name"].tolist()
    ['c']
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import keras
import numpy as np
import pandas as pd

from keras_classics.export.pixels import first_output, pixel_model, registered_statistics, takes_pixels
from keras_classics.io import atomic_path

METRICS = ("cosine", "euclidean")


def embedding_model(model, layer: str | None = None) -> keras.Model:
    """A model from [0, 255] pixels to one feature vector per image.

    Args:
        model: a Keras model (a zoo model, with or without its head).
        layer: the layer whose output to use; default: the input of the last layer with weights (the
            classifier), i.e. the penultimate features (AlexNet's fc7, ResNet's pooled 512/2048-d vector).
    """
    if layer is None:
        tensor = [item for item in model.layers if item.weights][-1].input
    else:
        names = {item.name for item in model.layers}
        if layer not in names:
            raise ValueError(f"{model.name!r} has no layer {layer!r}; its layers include {sorted(names)[:8]} ...")
        tensor = model.get_layer(layer).output
    inner = keras.Model(model.inputs[0], first_output(tensor), name=f"{model.name}_features")
    if not takes_pixels(model):  # the normalization the network expects goes in front, as for exports
        mean, std = registered_statistics(model)
        inner = pixel_model(inner, mean, std)
    x = inner.output
    if len(x.shape) == 4:
        x = keras.layers.GlobalAveragePooling2D(name="embedding_pool")(x)
    elif len(x.shape) != 2:
        x = keras.layers.Flatten(name="embedding_flatten")(x)
    return keras.Model(inner.inputs[0], x, name=f"{model.name}_embedding")


@dataclass
class ImageIndex:
    """Feature vectors of indexed images and their names (file paths for a folder)."""

    embed: keras.Model
    features: np.ndarray
    names: list

    @classmethod
    def from_images(cls, embed, images, names=None, batch_size: int = 32) -> ImageIndex:
        images = np.asarray(images, dtype="float32")
        features = embed.predict(images, batch_size=batch_size, verbose=0)
        return cls(embed, features, list(names) if names is not None else [str(i) for i in range(len(images))])

    @classmethod
    def from_folder(cls, embed, folder, batch_size: int = 32) -> ImageIndex:
        """Indexes every decodable image under `folder` (sub-folders included), centre-cropped to the input."""
        paths = _image_paths(folder)
        return cls.from_images(embed, load_images(paths, embed), names=paths, batch_size=batch_size)

    def search(self, queries, k: int = 5, metric: str = "cosine", query_names=None) -> pd.DataFrame:
        """The `k` nearest indexed images of each query: rows (query, rank, name, distance), nearest first."""
        if metric not in METRICS:
            raise ValueError(f"metric must be one of {', '.join(METRICS)}; got {metric!r}")
        if isinstance(k, bool) or not isinstance(k, int) or k < 1:
            raise ValueError(f"k must be a positive integer; got {k!r}")
        queries = np.asarray(queries, dtype="float32")
        wanted = self.embed.predict(queries, verbose=0)
        distances = _distances(wanted, self.features, metric)
        query_names = list(query_names) if query_names is not None else [str(i) for i in range(len(queries))]
        rows = []
        for q, row in enumerate(distances):
            for rank, j in enumerate(np.argsort(row, kind="stable")[:k], start=1):
                rows.append({"query": query_names[q], "rank": rank, "name": self.names[j], "distance": float(row[j])})
        return pd.DataFrame(rows)

    def save(self, path) -> None:
        """The features and names as a `.npz` file (written atomically); `load` needs the same `embed`."""
        with atomic_path(path) as staged, open(staged, "wb") as file:
            np.savez(file, features=self.features, names=np.array(self.names, dtype=str))

    @classmethod
    def load(cls, embed, path) -> ImageIndex:
        with np.load(path) as stored:
            features, names = stored["features"], stored["names"].tolist()
        if features.shape[1] != embed.output.shape[-1]:
            raise ValueError(
                f"{path} holds {features.shape[1]}-d features; {embed.name} makes {embed.output.shape[-1]}-d"
            )
        return cls(embed, features, names)


def _distances(queries, features, metric):
    if metric == "cosine":
        a = queries / np.maximum(np.linalg.norm(queries, axis=1, keepdims=True), 1e-12)
        b = features / np.maximum(np.linalg.norm(features, axis=1, keepdims=True), 1e-12)
        return 1.0 - a @ b.T
    squared = (queries**2).sum(1)[:, None] + (features**2).sum(1)[None, :] - 2.0 * queries @ features.T
    return np.sqrt(np.maximum(squared, 0.0))


def _image_paths(folder):
    if not os.path.isdir(folder):
        raise ValueError(f"no such image folder: {folder!r}")
    from keras_classics.data.decode import IMAGE_EXTENSIONS

    paths = sorted(
        os.path.join(root, name)
        for root, dirs, files in os.walk(folder)
        for name in files
        if not name.startswith(".") and name.lower().endswith(IMAGE_EXTENSIONS)
    )
    if not paths:
        raise ValueError(f"{folder!r} holds no images ({', '.join(IMAGE_EXTENSIONS)})")
    return paths


def load_images(paths, embed) -> np.ndarray:
    """The images at `paths` as [0, 255] pixels, centre-cropped to `embed`'s input like `evaluate` does."""
    import tensorflow as tf

    from keras_classics.data import decode_rgb
    from keras_classics.data.augment import center_crop_eval

    height, width, channels = embed.inputs[0].shape[1:]
    images = []
    for path in paths:
        image = decode_rgb(tf.io.read_file(path))
        image = tf.image.rgb_to_grayscale(image) if channels == 1 else image
        images.append(center_crop_eval(image, (height, width)).numpy())
    return np.stack(images).astype("float32")


def contact_sheet(results: pd.DataFrame, query_images, index_images, path) -> None:
    """A PNG: one row per query, the query first, then its neighbours with their distances."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    queries = list(dict.fromkeys(results["query"]))
    k = int(results["rank"].max())
    figure, axes = plt.subplots(len(queries), k + 1, figsize=(1.8 * (k + 1), 1.9 * len(queries)), squeeze=False)
    for r, query in enumerate(queries):
        axes[r][0].imshow(np.clip(query_images[r], 0, 255).astype("uint8").squeeze())
        axes[r][0].set_title(os.path.basename(str(query))[:18], fontsize=7)
        for _, hit in results[results["query"] == query].iterrows():
            axis = axes[r][int(hit["rank"])]
            axis.imshow(np.clip(index_images[hit["name"]], 0, 255).astype("uint8").squeeze())
            axis.set_title(f"{int(hit['rank'])}: {hit['distance']:.3f}", fontsize=7)
    for axis in np.ravel(axes):
        axis.axis("off")
    figure.tight_layout()
    with atomic_path(path) as staged:
        figure.savefig(staged, format="png", dpi=80)
    plt.close(figure)
