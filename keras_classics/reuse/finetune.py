"""`keras-classics finetune`: a trained network's features, a new head for an image folder's classes.

`finetune(backbone, folder, run_dir)` holds out a seeded fifth of each class (as `train` does), trains a new
softmax head on the frozen backbone (on cached features when `cache_dir` is given, else on images), then,
with `fine_tune_epochs`, opens the backbone's last stages at a lower learning rate. The run folder gets what
`train` writes, so `keras-classics evaluate RUN_DIR` and `export` take it:

    RUN_DIR/checkpoints/last.keras, class_names.json, config.json, curves.png,
    RUN_DIR/history.csv (the fine-tuning epochs follow the head's)

Example:
    >>> from keras_classics.reuse.finetune import finetune
    >>> from keras_classics.weights import load_keras_file
    >>> backbone = load_keras_file("runs/resnet18-cats_vs_dogs/checkpoints/best.keras")  # doctest: +SKIP
    >>> result = finetune(backbone, "flowers/", "runs/flowers", cache_dir="cache")  # doctest: +SKIP
    >>> result.accuracy, result.from_cache  # doctest: +SKIP
    (0.91, False)
"""

from __future__ import annotations

import dataclasses
import os
import time

import keras

from keras_classics.reuse import transfer


@dataclasses.dataclass
class FinetuneResult:
    model: keras.Model
    accuracy: float  # on the held-out fifth
    seconds: float  # feature extraction (or its cache) and every training phase
    from_cache: bool
    run_dir: str
    opened_layers: list


def finetune(
    backbone,
    data,
    run_dir,
    *,
    epochs: int = 10,
    batch_size: int = 32,
    learning_rate: float = 1e-3,
    cache_dir=None,
    augment: bool = False,
    fine_tune_epochs: int = 0,
    fine_tune_stages: int = 1,
    fine_tune_learning_rate: float = 1e-5,
    layer: str | None = None,
    dropout: float = 0.0,
    seed: int = 0,
    verbose=0,
) -> FinetuneResult:
    """Trains a new head (and optionally the last stages) of `backbone` on the image folder `data`.

    Args:
        backbone: a Keras model (see `keras-classics evaluate` for where one comes from).
        data: a folder of class sub-folders; a seeded fifth of each class is held out.
        cache_dir: train the head on the backbone's features cached here (computed on the first run).
            Caching needs the images as they are (centre crop), so it cannot go with `augment`.
        augment: random resized crops and flips for the head (without a cache) and for fine-tuning.
        fine_tune_epochs: epochs with the last `fine_tune_stages` stages open, at `fine_tune_learning_rate`.
    """
    from keras_classics.data import folder_source, make_dataset, preset
    from keras_classics.data.presets import eval_transform
    from keras_classics.training import run_folder
    from keras_classics.training.train import _check_output_dir

    if cache_dir is not None and augment:
        raise ValueError("cached features are of the centre-cropped images: give cache_dir or augment, not both")
    for argument, value in (("epochs", epochs), ("batch_size", batch_size)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{argument} must be a positive integer; got {value!r}")
    if isinstance(fine_tune_epochs, bool) or not isinstance(fine_tune_epochs, int) or fine_tune_epochs < 0:
        raise ValueError(f"fine_tune_epochs must be a non-negative integer; got {fine_tune_epochs!r}")
    _check_output_dir("run_dir", run_dir)
    training, held_out = folder_source(data, validation_split=0.2, subset="both", seed=seed, on_bad_file="skip")
    model = transfer.transfer_model(backbone, len(training.class_names), layer=layer, dropout=dropout, seed=seed)
    size = model.inputs[0].shape[1]
    plain = eval_transform(size)
    augmented = preset("inception", size=size)[0] if augment else plain

    def images(source, transform, shuffle):
        return make_dataset(source, batch_size=batch_size, transform=transform, shuffle=shuffle, seed=seed)

    started = time.perf_counter()
    rows = []
    from_cache = False
    if cache_dir is not None:
        features, labels, from_cache = transfer.cached_features(model, training, cache_dir, batch_size=batch_size)
        held_features, held_labels, _ = transfer.cached_features(model, held_out, cache_dir, batch_size=batch_size)
        history = transfer.train_head_on_features(
            model, features, labels, epochs=epochs, batch_size=batch_size, learning_rate=learning_rate,
            seed=seed, validation=(held_features, held_labels), verbose=verbose,
        )  # fmt: skip
    else:
        history = transfer.train_on_images(
            model, images(training, augmented, True), epochs=epochs, learning_rate=learning_rate, seed=seed,
            validation=images(held_out, plain, False), verbose=verbose,
        )  # fmt: skip
    rows += _rows(history, learning_rate, first_epoch=0)
    opened = []
    if fine_tune_epochs:
        opened = transfer.unfreeze_last_stages(model, fine_tune_stages)
        history = transfer.train_on_images(
            model, images(training, augmented, True), epochs=fine_tune_epochs, learning_rate=fine_tune_learning_rate,
            seed=seed + 1, validation=images(held_out, plain, False), verbose=verbose,
        )  # fmt: skip
        rows += _rows(history, fine_tune_learning_rate, first_epoch=epochs)
    _compile_for_evaluation(model)
    scores = model.evaluate(images(held_out, plain, False), verbose=0, return_dict=True)
    seconds = time.perf_counter() - started
    config = {
        "backbone": backbone.name, "data": os.fspath(data), "epochs": epochs, "batch_size": batch_size,
        "learning_rate": learning_rate, "cache_dir": cache_dir, "augment": augment,
        "fine_tune_epochs": fine_tune_epochs, "fine_tune_stages": fine_tune_stages,
        "fine_tune_learning_rate": fine_tune_learning_rate, "layer": layer, "dropout": dropout, "seed": seed,
    }  # fmt: skip
    _write_run(run_folder, run_dir, model, training.class_names, rows, config)
    return FinetuneResult(model, float(scores["accuracy"]), seconds, from_cache, os.fspath(run_dir), opened)


def _compile_for_evaluation(model):
    model.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])


def _rows(history, learning_rate, first_epoch):
    epochs = len(history.history.get("loss", []))
    return [
        {"epoch": first_epoch + i, "learning_rate": learning_rate}
        | {key: float(values[i]) for key, values in history.history.items()}
        for i in range(epochs)
    ]


def _write_run(run_folder, run_dir, model, class_names, rows, config):
    import csv

    from keras_classics.io import atomic_path

    files = run_folder.paths(run_dir)
    os.makedirs(os.path.dirname(files["last"]), exist_ok=True)
    with atomic_path(files["last"]) as staged:
        model.save(staged)
    run_folder.write_json(files["classes"], list(class_names))
    run_folder.write_json(files["config"], config)
    with atomic_path(files["history"]) as staged, open(staged, "w", newline="") as file:
        writer = csv.DictWriter(file, list(dict.fromkeys(key for row in rows for key in row)))
        writer.writeheader()
        writer.writerows(rows)
    run_folder.plot_curves(rows, files["curves"])
