"""Top-1/top-5 accuracy of a model or an ensemble, plain or with each paper's test-time augmentation.

The softmax is averaged over an image's views (`evaluation.tta`) and, for an ensemble, over its models (as
AlexNet's and VGG's papers combined theirs). Models are wrapped to take [0, 255] pixels (`export.pixels`),
so a zoo model with or without its own preprocessing layer is evaluated on the same images.

Example:
    >>> import numpy as np, keras_classics
    >>> from keras_classics.evaluation import evaluate
    >>> images = np.random.default_rng(0).integers(0, 256, (4, 40, 40, 1), dtype="uint8")
    >>> table = evaluate(keras_classics.lenet5(), images, [0, 1, 2, 3], tta=["none", "flip"])
    >>> list(table["method"]), list(table["views"])
    (['none', 'flip'], [1, 2])
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from keras_classics.evaluation.tta import METHODS, views
from keras_classics.export.pixels import first_output, pixel_model


def predict_tta(model, images, method: str = "none", batch_size: int = 64):
    """`(N, classes)` softmax probabilities, averaged over each image's `method` views."""
    import tensorflow as tf

    pixels = pixel_model(model)
    size = pixels.inputs[0].shape[1]
    softmax = _needs_softmax(model)

    # One compiled forward pass (eager calls cost several times more per batch); shapes vary only in the batch.
    @tf.function(reduce_retracing=True)
    def probabilities_of(batch):
        scores = first_output(pixels(batch, training=False))
        return tf.nn.softmax(scores) if softmax else scores

    results = []
    for image in images:
        stack = views(image, method, size)
        probabilities = tf.concat(
            [probabilities_of(stack[i : i + batch_size]) for i in range(0, len(stack), batch_size)], 0
        )
        results.append(tf.reduce_mean(probabilities, axis=0).numpy())
    return np.stack(results)


def evaluate(models, images, labels, tta=("none",), names=None, batch_size: int = 64) -> pd.DataFrame:
    """One row per (model or ensemble, method): views, top-1/top-5 accuracy and error, images per second.

    Args:
        models: a Keras classifier, or a list of them (each evaluated, then their average as an ensemble).
        images: the images, each (H, W, C) pixels in [0, 255] of any size (a list, or one array).
        labels: their integer classes.
        tta: methods from `evaluation.tta.METHODS`.
        names: labels for the models in the table (default: their `name`).

    The table's `attrs["probabilities"]` holds `{(model, method): (N, classes) array}`.
    """
    models = list(models) if isinstance(models, (list, tuple)) else [models]
    names = list(names) if names else [model.name for model in models]
    labels = np.asarray(labels)
    methods = [tta] if isinstance(tta, str) else list(tta)
    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        raise ValueError(f"tta must be among {', '.join(METHODS)}; got {', '.join(map(repr, unknown))}")
    if len(images) != len(labels) or len(images) == 0:
        raise ValueError(f"need as many labels as images, at least one; got {len(images)} images, {len(labels)} labels")
    rows, kept = [], {}
    for method in methods:
        per_model = []
        for model, name in zip(models, names):
            start = time.perf_counter()
            probabilities = predict_tta(model, images, method, batch_size)
            seconds = time.perf_counter() - start
            per_model.append((probabilities, seconds))
            kept[(name, method)] = probabilities
            rows.append(_row(name, method, probabilities, labels, seconds))
        if len(models) > 1:
            ensemble = f"ensemble of {len(models)}"
            probabilities = np.mean([p for p, _ in per_model], axis=0)
            kept[(ensemble, method)] = probabilities
            rows.append(_row(ensemble, method, probabilities, labels, sum(s for _, s in per_model)))
    table = pd.DataFrame(rows)
    table.attrs["probabilities"] = kept
    return table


def _row(name, method, probabilities, labels, seconds):
    ranked = np.argsort(-probabilities, axis=-1)
    top1 = float(np.mean(ranked[:, 0] == labels))
    top5 = float(np.mean((ranked[:, :5] == labels[:, None]).any(axis=1)))
    count = {"none": 1, "flip": 2, "ten_crop": 10, "multi_scale": 6, "multi_crop": 150}[method]
    return {
        "model": name,
        "method": method,
        "views": count,
        "top1_accuracy": top1,
        "top5_accuracy": top5,
        "top1_error": 1.0 - top1,
        "top5_error": 1.0 - top5,
        "images_per_second": len(labels) / seconds if seconds else float("inf"),
    }


def _needs_softmax(model) -> bool:
    from keras_classics.export.serving import outputs_probabilities

    return not outputs_probabilities(model)
