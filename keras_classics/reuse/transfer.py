"""Transfer learning: a new classifier for N classes on a trained network's features.

The two ways the classic notes teach:

- **Frozen backbone**: `transfer_model` puts a new softmax layer (`transfer_head`) on the vector that fed
  the old classifier. The backbone runs in inference mode (BatchNorm with its moving statistics, dropout
  off) and its weights are frozen; `train_on_images` trains the head on images. `unfreeze_last_stages`
  then opens the last stages of the backbone for fine-tuning at a lower learning rate; BatchNorm layers stay
  frozen and in inference mode, so a small data set cannot spoil their statistics.
- **Cached features**: the frozen backbone computes the same vector for an image every epoch, so compute it
  once (`cached_features`, saved as `.npz` in a cache folder, keyed by the backbone's weights and the image
  files) and train only the head on the vectors (`train_head_on_features`): epochs cost a matrix product
  instead of a forward pass. A second run with the same backbone and files reads the cache. The head is the
  same layer object as in the transfer model, so the result is an ordinary Keras classifier (export it,
  evaluate it, fine-tune it).

Without augmentation both ways learn the same head: same features, same batches, same steps.

Example:
    >>> import numpy as np, keras_classics
    >>> from keras_classics.reuse.transfer import transfer_model, train_head_on_features
    >>> model = transfer_model(keras_classics.resnet18(input_shape=(64, 64, 3)), classes=3)
    >>> model.output.shape, tuple(model.get_layer("transfer_head").kernel.shape)
    ((None, 3), (512, 3))
    >>> features = np.random.default_rng(0).normal(size=(12, 512)).astype("float32")
    >>> history = train_head_on_features(model, features, np.arange(12) % 3, epochs=2, batch_size=4)
    >>> len(history.history["loss"])
    2
"""

from __future__ import annotations

import hashlib
import os

import keras
import numpy as np

from keras_classics.io import atomic_path
from keras_classics.reuse.retrieval import embedding_model

HEAD = "transfer_head"
BACKBONE = "backbone"


def transfer_model(backbone, classes: int, *, layer: str | None = None, dropout: float = 0.0, seed: int = 0):
    """A classifier for `classes` classes: `backbone`'s features (frozen, inference mode) and a new softmax.

    Args:
        backbone: a trained Keras model (a zoo model, a `.keras` file's, a `train` run's).
        classes: the number of new classes (2 or more).
        layer: the backbone layer whose output feeds the head; default: the input of its classifier.
        dropout: dropout before the new head (0 for none).
        seed: seeds the head's initial weights (and its dropout), so runs are repeatable.

    The model takes [0, 255] RGB pixels at the backbone's input size.
    """
    if isinstance(classes, bool) or not isinstance(classes, (int, np.integer)) or classes < 2:
        raise ValueError(f"classes must be an integer >= 2; got {classes!r}")
    if not 0.0 <= dropout < 1.0:
        raise ValueError(f"dropout must be in [0, 1); got {dropout!r}")
    embed = embedding_model(backbone, layer)
    features = keras.Model(embed.inputs[0], embed.outputs[0], name=BACKBONE)  # the name fine-tuning finds it by
    features.trainable = False
    pixels = keras.Input(shape=features.inputs[0].shape[1:], name="pixels")
    x = features(pixels, training=False)  # BatchNorm and dropout in inference mode, also when fine-tuning
    x = _head_input(x, dropout, seed)
    outputs = _head(int(classes), seed)(x)
    return keras.Model(pixels, outputs, name=f"{backbone.name}_transfer")


def _head(classes, seed):
    return keras.layers.Dense(
        classes, activation="softmax", name=HEAD, kernel_initializer=keras.initializers.GlorotUniform(seed)
    )


def _head_input(x, dropout, seed):
    return keras.layers.Dropout(dropout, seed=seed, name="transfer_dropout")(x) if dropout else x


def backbone_of(model) -> keras.Model:
    """The frozen feature model inside a `transfer_model` (pixels -> feature vector)."""
    try:
        return model.get_layer(BACKBONE)
    except ValueError:
        raise ValueError(f"{model.name!r} is not a transfer model: it has no {BACKBONE!r} layer") from None


def _compile(model, learning_rate):
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )


def train_head_on_features(
    model,
    features,
    labels,
    *,
    epochs: int = 10,
    batch_size: int = 32,
    learning_rate: float = 1e-3,
    shuffle: bool = True,
    seed: int = 0,
    validation=None,
    verbose=0,
):
    """Trains the transfer model's head (in place) on cached feature vectors; returns the Keras History.

    `validation` is an optional `(features, labels)` pair.
    """
    head = model.get_layer(HEAD)
    inputs = keras.Input(shape=(backbone_of(model).output.shape[-1],), name="features")
    dropout = next((item for item in model.layers if item.name == "transfer_dropout"), None)
    x = dropout(inputs) if dropout is not None else inputs
    head_only = keras.Model(inputs, head(x), name="head_on_features")  # shares the head's weights
    _compile(head_only, learning_rate)
    keras.utils.set_random_seed(seed)
    return head_only.fit(
        np.asarray(features, "float32"),
        np.asarray(labels),
        epochs=epochs,
        batch_size=batch_size,
        shuffle=shuffle,
        validation_data=validation,
        verbose=verbose,
    )


def train_on_images(
    model,
    data,
    *,
    epochs: int = 10,
    batch_size: int = 32,
    learning_rate: float = 1e-3,
    seed: int = 0,
    validation=None,
    verbose=0,
):
    """Trains what is trainable in `model` (the head; after `unfreeze_last_stages`, also those stages) on
    `data`, a `tf.data.Dataset` of batches or `(images, labels)` arrays of [0, 255] pixels (taken in order,
    `batch_size` at a time); returns the Keras History."""
    _compile(model, learning_rate)
    keras.utils.set_random_seed(seed)
    if isinstance(data, tuple):
        images, labels = data
        images, labels = np.asarray(images, "float32"), np.asarray(labels)
        fit_options = {"epochs": epochs, "batch_size": batch_size, "validation_data": validation, "verbose": verbose}
        return model.fit(images, labels, shuffle=False, **fit_options)
    # A dataset brings its own order (shuffled or not, seeded); Keras would only warn that it cannot shuffle it.
    return model.fit(data, epochs=epochs, shuffle=False, validation_data=validation, verbose=verbose)


def _flat_layers(model):
    for item in model.layers:
        if isinstance(item, keras.Model):
            yield from _flat_layers(item)
        else:
            yield item


def unfreeze_last_stages(model, stages: int = 1, stage_names=None) -> list:
    """Opens the backbone's last `stages` stages (and the layers after them) to training; returns their names.

    Stages are the network's registered feature stages (`model_info(name).stages`, e.g. ResNet's layer1-4),
    or `stage_names` (layer names that end each stage, in order). BatchNorm layers stay frozen.
    """
    backbone = backbone_of(model)
    if stage_names is None:
        stage_names = _registered_stages(model)
    if isinstance(stages, bool) or not isinstance(stages, int) or not 1 <= stages <= len(stage_names):
        raise ValueError(
            f"stages must be an integer from 1 to {len(stage_names)} (the backbone's stages); got {stages!r}"
        )
    layers = list(_flat_layers(backbone))
    names = [item.name for item in layers]
    if stages == len(stage_names):
        start = 0
    else:
        boundary = stage_names[-stages - 1]
        if boundary not in names:
            raise ValueError(f"the backbone has no layer {boundary!r} ending a stage")
        start = names.index(boundary) + 1
    backbone.trainable = True
    opened = []
    for index, item in enumerate(layers):
        item.trainable = index >= start and not isinstance(item, keras.layers.BatchNormalization)
        if item.trainable and item.weights:
            opened.append(item.name)
    return opened


def _registered_stages(model):
    from keras_classics.registry import model_info

    name = model.name.removesuffix("_transfer")
    try:
        stages = model_info(name).stages
    except (KeyError, ValueError):
        stages = ()
    if not stages:
        raise ValueError(f"no registered stages for {name!r}; pass stage_names=[the layers ending each stage]")
    return list(stages)


def cached_features(model, source, cache_dir=None, *, batch_size: int = 32):
    """`(features, labels, from_cache)` of every image in `source` (an `ImageSource`), centre-cropped.

    With `cache_dir`, the features are saved there as `features-<key>.npz`, the key a hash of the backbone's
    weights and input size and of the files' paths, sizes and modification times; a later call with the same
    backbone and files loads them instead of running the backbone.
    """
    from keras_classics.data import make_dataset
    from keras_classics.data.presets import eval_transform

    backbone = backbone_of(model)
    path = None
    if cache_dir is not None:
        path = os.path.join(cache_dir, f"features-{_cache_key(backbone, source)}.npz")
        if os.path.exists(path):
            with np.load(path) as stored:
                return stored["features"], stored["labels"], True
    height, width = backbone.inputs[0].shape[1:3]
    if height != width:
        raise ValueError(f"cached features need a square input; the backbone takes {height}x{width}")
    data = make_dataset(source, batch_size=batch_size, transform=eval_transform(height), shuffle=False, seed=0)
    features = backbone.predict(data.map(lambda images, labels: images), verbose=0)
    labels = np.asarray(source.labels)
    if path is not None:
        os.makedirs(cache_dir, exist_ok=True)
        with atomic_path(path) as staged, open(staged, "wb") as file:
            np.savez(file, features=features, labels=labels)
    return features, labels, False


def _cache_key(backbone, source) -> str:
    digest = hashlib.sha256()
    digest.update(repr(tuple(backbone.inputs[0].shape[1:])).encode())
    for weight in backbone.weights:
        digest.update(np.ascontiguousarray(keras.ops.convert_to_numpy(weight)).tobytes())
    if source.encoded is not None:
        for contents in source.encoded:
            digest.update(contents)
    elif source.paths is None:
        digest.update(np.ascontiguousarray(source.images).tobytes())
    else:
        for path in source.paths:
            status = os.stat(path)
            digest.update(f"{os.path.abspath(path)}|{status.st_size}|{status.st_mtime_ns}".encode())
    digest.update(np.asarray(source.labels).tobytes())
    return digest.hexdigest()[:16]
