"""Training a registered model with `model.fit`: the `keras-classics train` command's engine.

A `Recipe` holds what the paper (or our measurement) says works: optimizer, learning rate and its
cosine schedule, epochs, batch size, label smoothing and augmentation. `train` builds the model under
the right `tf.distribute` strategy, feeds it with `tf.data`, reports held-out accuracy and exports a
SavedModel.

Example:
    >>> from keras_classics.training import train
    >>> result = train("lenet5", epochs=1)  # doctest: +SKIP
    >>> 0.0 <= result.test_accuracy <= 1.0  # doctest: +SKIP
    True
"""

from __future__ import annotations

import dataclasses
import os

import keras
import numpy as np


@dataclasses.dataclass(frozen=True)
class Recipe:
    """How to train one model on one data set."""

    epochs: int = 30
    batch_size: int = 32
    learning_rate: float = 2e-3
    optimizer: str = "adam"
    label_smoothing: float = 0.0
    translate: float = 0.0  # random translation, as a fraction of the image side
    seed: int = 0


# LeNet-5 on the 8x8 digits upsampled to 32x32: Adam with a cosine decay and +-8% random shifts reach
# 97.8-98.9% held-out accuracy in 30 epochs (seeds 0-3; 95.8% without the shifts with seed 0).
RECIPES = {("lenet5", "digits"): Recipe(epochs=30, batch_size=32, learning_rate=2e-3, translate=0.08)}


@dataclasses.dataclass
class TrainResult:
    model: keras.Model
    history: dict
    test_accuracy: float
    export_path: str | None
    export_report: object = None  # export.SavedModelReport: what the export's check measured


def strategy_for_devices():
    """MirroredStrategy over every GPU when there are several, else the default strategy."""
    import tensorflow as tf

    gpus = tf.config.list_logical_devices("GPU")
    return tf.distribute.MirroredStrategy() if len(gpus) > 1 else tf.distribute.get_strategy()


def _load(dataset):
    if dataset == "digits":
        from keras_classics.data import load_digits

        return load_digits()
    raise ValueError(f"unknown dataset {dataset!r}; available: 'digits'")


def _pipeline(images, labels, recipe, training):
    import tensorflow as tf

    data = tf.data.Dataset.from_tensor_slices((images, labels))
    if training:
        data = data.shuffle(len(images), seed=recipe.seed, reshuffle_each_iteration=True)
    data = data.batch(recipe.batch_size)
    if training and recipe.translate:
        shift = keras.layers.RandomTranslation(
            recipe.translate, recipe.translate, fill_mode="constant", seed=recipe.seed
        )
        # In order, not in parallel: the layer draws from one seed state, so parallel calls would make the
        # shifts (and the trained model) depend on thread timing.
        data = data.map(lambda x, y: (shift(x, training=True), y))
    return data.prefetch(tf.data.AUTOTUNE)


def _optimizer(recipe, steps):
    schedule = keras.optimizers.schedules.CosineDecay(recipe.learning_rate, max(1, steps))
    if recipe.optimizer == "adam":
        return keras.optimizers.Adam(schedule)
    if recipe.optimizer == "sgd":
        return keras.optimizers.SGD(schedule, momentum=0.9, nesterov=True)
    raise ValueError(f"optimizer must be 'adam' or 'sgd'; got {recipe.optimizer!r}")


def _positive_or_default(argument, value, default):
    if value is None:
        return default
    # bool is an int subclass, and numpy integers are not ints: accept integral numbers, nothing else.
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{argument} must be a positive integer (or None for the recipe's {default}); got {value!r}")
    return int(value)


def _check_output_dir(path):
    """Raises ValueError if `path`, or the nearest part of it that exists, is not a folder."""
    existing = os.path.abspath(os.fspath(path))
    while not os.path.exists(existing):
        existing = os.path.dirname(existing)
    if not os.path.isdir(existing):
        raise ValueError(f"export_dir {os.fspath(path)!r} cannot be a folder: {existing!r} is a file")


def train(
    name: str,
    dataset: str = "digits",
    epochs: int | None = None,
    batch_size: int | None = None,
    export_dir: str | None = "saved_models",
    verbose: int | str = "auto",
) -> TrainResult:
    """Trains registered model `name` on `dataset`, prints held-out accuracy, exports a SavedModel.

    `epochs` and `batch_size` default (None) to the recipe's; otherwise they must be positive integers.
    `export_dir=None` skips the export.

    Raises:
        ValueError: an unknown model or data set, `epochs` or `batch_size` below 1, or an `export_dir`
            that is (or lies under) a file; all checked before any training.

    Example:
        >>> train("lenet5", epochs=0)
        Traceback (most recent call last):
        ...
        ValueError: epochs must be a positive integer (or None for the recipe's 30); got 0
    """
    from keras_classics.registry import model_info

    spec = model_info(name)
    recipe = RECIPES.get((spec.name, dataset), Recipe())
    recipe = dataclasses.replace(
        recipe,
        epochs=_positive_or_default("epochs", epochs, recipe.epochs),
        batch_size=_positive_or_default("batch_size", batch_size, recipe.batch_size),
    )
    if export_dir is not None:
        _check_output_dir(export_dir)
    (x_train, y_train), (x_test, y_test) = _load(dataset)
    classes = int(max(y_train.max(), y_test.max()) + 1)
    keras.utils.set_random_seed(recipe.seed)

    with strategy_for_devices().scope():
        # Pixels in [0, 1] are scaled to [0, 255] so the model's own preprocessing layer normalizes them:
        # the exported model then takes raw pixels.
        model = spec.builder(
            input_shape=x_train.shape[1:], classes=classes, include_preprocessing=True
        )
        steps = int(np.ceil(len(x_train) / recipe.batch_size)) * recipe.epochs
        model.compile(
            optimizer=_optimizer(recipe, steps),
            loss=keras.losses.CategoricalCrossentropy(label_smoothing=recipe.label_smoothing)
            if recipe.label_smoothing
            else keras.losses.SparseCategoricalCrossentropy(),
            metrics=["accuracy"],
        )
    y_fit = keras.utils.to_categorical(y_train, classes) if recipe.label_smoothing else y_train
    y_eval = keras.utils.to_categorical(y_test, classes) if recipe.label_smoothing else y_test
    # The pipeline shuffles itself (seeded); fit's own shuffle does not apply to a tf.data.Dataset.
    history = model.fit(
        _pipeline(x_train * 255.0, y_fit, recipe, training=True), epochs=recipe.epochs, shuffle=False, verbose=verbose
    )
    _, accuracy = model.evaluate(_pipeline(x_test * 255.0, y_eval, recipe, training=False), verbose=0)
    export_path = report = None
    if export_dir is not None:
        from keras_classics.export import export_saved_model

        report = export_saved_model(
            model, os.path.join(export_dir, spec.name), class_names=[str(c) for c in range(classes)], sample=x_test[:8] * 255.0
        )
        export_path = report.path
    return TrainResult(model, history.history, float(accuracy), export_path, report)
