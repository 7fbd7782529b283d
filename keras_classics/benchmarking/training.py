"""Training on the CPU: images/s of one `train_on_batch` step, ours / keras.applications.

Both sides train in float32 with the same batch, SGD (lr 0.01, momentum 0.9) and sparse cross-entropy on
random images and labels, compiled without XLA; the first step (tracing) is the warm-up. The full run times
one network per family of the inference part's default networks (`contenders.FAMILY_REPRESENTATIVES`: the
deeper variants repeat its blocks) at batch 16 (8 with `--quick`), halved for the networks whose forward
pass would cost over 32 GMACs per step (DenseNet-121 at 8; ResNet-50 and Inception v3 at 4; VGG-16,
Inception-ResNet-v2 and Xception at 2); `--models` times any others.

Columns: model, input, batch, preprocessing, rounds, `ours_ms`, `keras_applications_ms` (median per step),
the same as images/s, and `ours_vs_keras_applications` (ratio of the medians: below 1, ours is faster).

Example:
    keras-classics benchmark --only training --models mobilenet_v2 densenet121
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from keras_classics.benchmarking import contenders as c
from keras_classics.benchmarking.harness import interleave
from keras_classics.benchmarking.report import Chart
from keras_classics.registry import model_info

TITLE = "training step on the CPU, float32 SGD, images/s (higher is faster)"
QUICK_MODELS = ("mobilenet_v3_small", "mobilenet_v2")
NAMES = ("ours", "keras_applications")
CHART = Chart(
    columns=tuple(f"{name}_images_per_s" for name in NAMES),
    legend=("keras_classics", "keras.applications"),
    xlabel="training images per second (median of interleaved rounds)",
    label=lambda row: f"{row['model']}, batch {row['batch']}",
)


@dataclasses.dataclass(frozen=True)
class Plan:
    models: tuple[str, ...]
    batch: int = 16
    rounds: int = 3
    warmup: int = 1
    max_gmacs_per_step: float = 32.0


def plan(settings) -> Plan:
    models = settings.models or (QUICK_MODELS if settings.quick else c.FAMILY_REPRESENTATIVES)
    return Plan(models=tuple(models), batch=8 if settings.quick else 16, rounds=settings.rounds or 3)


def random_batch(name: str, batch: int, max_gmacs: float):
    """`(images, labels)` for one training step of `name`: `batch` examples, fewer for the largest networks."""
    spec = model_info(name)
    batch = c.capped_batch(batch, spec.mmacs, max_gmacs)
    return c.random_images(batch, c.input_shape(name)), c.random_labels(batch, spec.classes)


def measure(plan: Plan) -> pd.DataFrame:
    rows = []
    for i, name in enumerate(plan.models, 1):
        images, labels = random_batch(name, plan.batch, plan.max_gmacs_per_step)
        batch = len(images)
        print(f"[{i}/{len(plan.models)}] {name}, batch {batch}", flush=True)
        built = {"ours": c.build_ours(name), "keras_applications": c.build_keras_twin(name)}
        calls = {
            contender: c.keras_train_step(model, images, labels)
            for contender, model in built.items()
            if model is not None
        }
        timings = interleave(calls, plan.rounds, plan.warmup)
        rows.append(c.timing_row(name, batch, timings, NAMES))
        del built, calls
        c.release()
    return pd.DataFrame(rows)
