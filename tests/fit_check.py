"""The fit-step check of test_models.py, run in a helper process that is replaced every few models.

Keras' compiled training step (`model.fit`, or any `tf.function` that applies an optimizer) leaves about
one copy of the weights per model behind in TensorFlow's runtime after every Python object of the model
is gone (measured: VGG-11 then VGG-13 then VGG-11, each fitted one step and freed: 1.1, 1.6, 2.1 GB
resident; predict, gradients alone or an eager optimizer step leave nothing). Over the zoo's 85 models
that reached 16.5 GB in one pytest worker. A helper process ends after `TASKS_PER_HELPER` checks and
takes what it leaked with it.
"""

from __future__ import annotations

import hashlib
import inspect
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import numpy as np

TASKS_PER_HELPER = 4


def helper_pool() -> ProcessPoolExecutor:
    """One helper process at a time, started fresh (spawn: no TensorFlow state is inherited)."""
    return ProcessPoolExecutor(
        max_workers=1, mp_context=multiprocessing.get_context("spawn"), max_tasks_per_child=TASKS_PER_HELPER
    )


def _digest(weight):
    """A weight's bytes as a hash: equal hashes mean an unchanged weight, without keeping a copy."""
    return hashlib.blake2b(np.ascontiguousarray(weight.numpy()).tobytes(), digest_size=16).digest()


def _without_stochastic_depth(builder):
    # Stochastic depth drops a whole residual branch per sample: with a batch of 4 it can drop a block for
    # every sample, which starves that block of gradient by design. Stochastic depth has its own tests.
    return {"drop_path_rate": 0.0} if "drop_path_rate" in inspect.signature(builder).parameters else {}


def fit_step_report(name: str, size: int, channels: int) -> dict:
    """Builds `name`, checks its gradients and one `fit` step; returns what the test asserts on.

    Returns `starved` (weights no gradient reaches), `loss` (of the fit step), `unchanged` (weights with a
    gradient large enough to move a float32 value that fit did not update) and `peak_kib` (this process's
    resident high-water mark).
    """
    import keras
    import tensorflow as tf

    import keras_classics
    from memory_guard import peak_kib

    keras.utils.set_random_seed(0)
    builder = keras_classics.model_info(name).builder
    # Glorot, not the default reference scheme: torchvision's ViT starts with a zero classifier, which by
    # design gives every other weight a zero gradient in the first step; this check is about gradient paths.
    model = builder(
        input_shape=(size, size, channels),
        classes=3,
        classifier_activation=None,
        kernel_init="glorot",
        **_without_stochastic_depth(builder),
    )
    images = np.random.default_rng(0).uniform(0.0, 1.0, (4, size, size, channels)).astype("float32")
    labels = np.array([0, 1, 2, 1])
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    with tf.GradientTape() as tape:
        outputs = model(images, training=True)
        outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
        loss = tf.add_n([loss_fn(labels, y) for y in outputs])
    gradients = tape.gradient(loss, model.trainable_weights)
    starved = [w.path for w, g in zip(model.trainable_weights, gradients) if g is None or not np.any(g)]
    # Only each gradient's size is needed below: ViT-L/16's gradients alone are 1.2 GB.
    largest_gradient = [0.0 if g is None else float(np.max(np.abs(g))) for g in gradients]
    del gradients, tape
    n_outputs = len(model.outputs)
    model.compile(optimizer="sgd", loss=[loss_fn] * n_outputs if n_outputs > 1 else loss_fn)
    before = [_digest(w) for w in model.trainable_weights]
    targets = labels if n_outputs == 1 else [labels] * n_outputs
    history = model.fit(images, targets, batch_size=4, epochs=1, verbose=0)
    # The compiled step updates every weight whose gradient is large enough to move a float32 value
    # (a BatchNorm scale feeding another BatchNorm can get ~1e-6 at initialization: it has a gradient,
    # but lr * gradient may be below its resolution).
    unchanged = [
        w.path for b, w, g in zip(before, model.trainable_weights, largest_gradient) if g > 1e-3 and b == _digest(w)
    ]
    return {
        "starved": starved,
        "loss": float(history.history["loss"][0]),
        "unchanged": unchanged,
        "peak_kib": peak_kib(),
    }
