"""Training on a GPU: mixed precision (mixed_float16) with XLA, ours / keras.applications, the largest batch.

Runs only when TensorFlow sees a GPU (`tf.config.list_physical_devices("GPU")`); otherwise the part is
skipped with a message. For ResNet-50, MobileNetV2 and EfficientNet-B0, both sides are built under the
`mixed_float16` policy, compiled with `jit_compile=True` and the same SGD step as `training.py`, and fed
one batch already on the GPU. The batch is the largest of 256, 128, 64, 32 at which one step of both
fits in memory (that step is also the warm-up). Published anchors for scale, from NVIDIA's Deep Learning
Examples (TensorFlow, AMP + XLA, one A100): ResNet-50 2,375 images/s, EfficientNet-B0 3,454 images/s.

Columns: model, input, batch, device, rounds, `ours_ms`, `keras_applications_ms` (median per step), the
same as images/s, `ours_vs_keras_applications` (below 1: ours is faster), `published_a100_images_per_s`.

Example:
    keras-classics benchmark --only gpu
"""

from __future__ import annotations

import dataclasses
import gc

import pandas as pd

from keras_classics.benchmarking import Skipped
from keras_classics.benchmarking import contenders as c
from keras_classics.benchmarking.harness import interleave
from keras_classics.benchmarking.report import Chart
from keras_classics.registry import model_info

TITLE = "training on the GPU, mixed_float16 + XLA, images/s (higher is faster)"
FULL_MODELS = ("resnet50", "mobilenet_v2", "efficientnet_b0")
QUICK_MODELS = ("resnet50",)
NAMES = ("ours", "keras_applications")
# NVIDIA Deep Learning Examples, TensorFlow 2, AMP + XLA, one A100 80GB (training images/s).
PUBLISHED_A100 = {"resnet50": 2375.0, "efficientnet_b0": 3454.0}
CHART = Chart(
    columns=("ours_images_per_s", "keras_applications_images_per_s", "published_a100_images_per_s"),
    legend=("keras_classics", "keras.applications", "published (A100, NVIDIA)"),
    xlabel="training images per second (median of interleaved rounds)",
    label=lambda row: f"{row['model']}, batch {row['batch']}",
)


@dataclasses.dataclass(frozen=True)
class Plan:
    models: tuple[str, ...]
    batches: tuple[int, ...] = (256, 128, 64, 32)  # tried from the largest
    rounds: int = 5
    warmup: int = 2


def plan(settings) -> Plan:
    models = settings.models or (QUICK_MODELS if settings.quick else FULL_MODELS)
    return Plan(models=tuple(models), rounds=settings.rounds or (3 if settings.quick else 5))


def gpus():
    import tensorflow as tf

    return tf.config.list_physical_devices("GPU")


def _out_of_memory(error) -> bool:
    import tensorflow as tf

    if isinstance(error, tf.errors.ResourceExhaustedError):
        return True
    # XLA reports some allocation failures as internal errors carrying the status name.
    return isinstance(error, tf.errors.InternalError) and "RESOURCE_EXHAUSTED" in str(error)


def _steps_at_largest_batch(built, name, batches, device):
    """(batch, {side: step}) at the largest of `batches` where one step of every side fits."""
    import tensorflow as tf

    for batch in batches:
        images, labels = c.random_images(batch, c.input_shape(name)), c.random_labels(batch, model_info(name).classes)
        with tf.device(device):
            images, labels = tf.constant(images), tf.constant(labels)
        calls = {side: c.keras_train_step(model, images, labels, jit_compile=True) for side, model in built.items()}
        try:
            for call in calls.values():
                call()  # compiles for this batch: also the first warm-up step
        except Exception as error:
            if not _out_of_memory(error):
                raise
            print(f"{name}: batch {batch} does not fit, trying a smaller one", flush=True)
            del calls, images, labels
            gc.collect()
            continue
        return batch, calls
    raise RuntimeError(f"{name}: not even batch {batches[-1]} fits in the GPU's memory")


def measure(plan: Plan) -> pd.DataFrame:
    import keras
    import tensorflow as tf

    found = gpus()
    if not found:
        raise Skipped("no GPU visible to TensorFlow (tf.config.list_physical_devices('GPU') is empty)")
    device = found[0].name.replace("physical_device:", "")
    description = tf.config.experimental.get_device_details(found[0]).get("device_name", device)
    previous = keras.mixed_precision.global_policy()
    keras.mixed_precision.set_global_policy("mixed_float16")
    rows = []
    try:
        for i, name in enumerate(plan.models, 1):
            print(f"[{i}/{len(plan.models)}] {name}", flush=True)
            built = {"ours": c.build_ours(name), "keras_applications": c.build_keras_twin(name)}
            built = {side: model for side, model in built.items() if model is not None}
            batch, calls = _steps_at_largest_batch(built, name, plan.batches, device)
            timings = interleave(calls, plan.rounds, plan.warmup)
            rows.append(
                {
                    "model": name,
                    "input": model_info(name).default_size,
                    "batch": batch,
                    "device": description,
                    "rounds": timings.rounds,
                    **timings.columns(NAMES, batch),
                    "published_a100_images_per_s": PUBLISHED_A100.get(name, float("nan")),
                }
            )
            del built, calls
            c.release()
    finally:
        keras.mixed_precision.set_global_policy(previous)
    return pd.DataFrame(rows)
