"""The input pipeline: images/s of decoding and of each augmentation preset, against the model's training rate.

Each contender is `make_dataset` on a JPEG folder (default `../shared/datasets/cats_vs_dogs`): `decode`
(whole JPEG, resized to 224x224, no augmentation) and every photo preset of `keras_classics.data.presets`
at 224 (`small` is for same-size arrays such as the digits), batches of 64. A round makes a fresh iterator
and pulls 10 batches, start-up included (about a tenth of the round): an iterator kept between rounds would
go on filling its buffers while the others are timed.

The consumer of a preset is the cheapest network (fewest MACs at 224) whose default recipe trains with it:
the one that asks for the most images per second. Its training rate (one SGD step, as in `training.py`) is
measured in the same run; `headroom` = pipeline images/s / consumer images/s, and below 1 the pipeline
would be the bottleneck. Both are measured alone on all the cores; in training they share them.

Columns: stage, images_per_s, ms_per_batch, rounds, consumer, consumer_batch, consumer_train_images_per_s,
headroom.

Example:
    keras-classics benchmark --only pipeline --data ../shared/datasets/cats_vs_dogs
"""

from __future__ import annotations

import dataclasses
import os

import pandas as pd

from keras_classics.benchmarking import Skipped
from keras_classics.benchmarking import contenders as c
from keras_classics.benchmarking.harness import interleave
from keras_classics.benchmarking.report import Chart
from keras_classics.benchmarking.training import random_batch
from keras_classics.registry import list_models, model_info

TITLE = "input pipeline on the CPU (decode + augmentation) against the fastest consumer's training rate"
QUICK_PRESETS = ("inception", "resnet")
CHART = Chart(
    columns=("images_per_s", "consumer_train_images_per_s"),
    legend=("pipeline", "fastest consumer's training"),
    xlabel="images per second (median of interleaved rounds)",
    label=lambda row: row["stage"] if not row["consumer"] else f"{row['stage']} -> {row['consumer']}",
    log=True,
)


@dataclasses.dataclass(frozen=True)
class Plan:
    folder: str
    presets: tuple[str, ...]
    size: int = 224
    batch: int = 64
    batches_per_round: int = 10
    rounds: int = 5
    warmup: int = 1
    consumers: bool = True
    consumer_batch: int = 16
    max_gmacs_per_step: float = 32.0


def photo_presets(size: int = 224) -> tuple[str, ...]:
    """The presets whose training transform gives a fixed size (`small` keeps each image's own)."""
    from keras_classics.data.presets import PRESETS, preset

    return tuple(name for name in PRESETS if preset(name, size=size)[0].size is not None)


def plan(settings) -> Plan:
    presets = QUICK_PRESETS if settings.quick else photo_presets()
    rounds = settings.rounds or (3 if settings.quick else 5)
    return Plan(folder=settings.data, presets=presets, rounds=rounds)


def fastest_consumer(preset_name: str, size: int = 224) -> str | None:
    """The registered network with the fewest MACs at `size` whose default recipe uses `preset_name`."""
    from keras_classics.training.recipes import recipe_for

    candidates = []
    for name in list_models():
        spec = model_info(name)
        if spec.default_size == size and spec.mmacs and recipe_for(name, spec.family).augmentation == preset_name:
            candidates.append((spec.mmacs, name))
    return min(candidates)[1] if candidates else None


def _pull(data, batches: int):
    """Pulls `batches` batches from a fresh iterator, which is then dropped (stopping its threads)."""
    iterator = iter(data)
    for _ in range(batches):
        next(iterator)


def _pipelines(plan: Plan):
    from keras_classics.data import folder_source, make_dataset, preset

    if not os.path.isdir(plan.folder):
        raise Skipped(f"no image folder at {plan.folder!r} (give one with --data FOLDER)")
    source = folder_source(plan.folder, on_bad_file="skip")
    print(f"{len(source)} images in {plan.folder}", flush=True)
    options = {"batch_size": plan.batch, "shuffle": True, "seed": 0}
    pipelines = {"decode": make_dataset(source, image_size=plan.size, **options)}
    for name in plan.presets:
        pipelines[name] = make_dataset(source, transform=preset(name, size=plan.size)[0], **options)
    return {name: data.repeat() for name, data in pipelines.items()}


def _consumer_rates(names, plan: Plan):
    """{network: (batch, training images/s)}, the networks' steps interleaved with each other."""
    calls, batches = {}, {}
    for name in names:
        images, labels = random_batch(name, plan.consumer_batch, plan.max_gmacs_per_step)
        batches[name] = len(images)
        calls[name] = c.keras_train_step(c.build_ours(name), images, labels)
    if not calls:
        return {}
    print(f"training steps of {', '.join(calls)}", flush=True)
    timings = interleave(calls, plan.rounds, plan.warmup)
    rates = {name: (batches[name], timings.per_second(name, batches[name])) for name in calls}
    del calls
    c.release()
    return rates


def measure(plan: Plan) -> pd.DataFrame:
    pipelines = _pipelines(plan)
    calls = {name: (lambda data=data: _pull(data, plan.batches_per_round)) for name, data in pipelines.items()}
    print(f"pipelines: {', '.join(calls)}", flush=True)
    timings = interleave(calls, plan.rounds, plan.warmup)
    consumers = {name: fastest_consumer(name, plan.size) for name in plan.presets} if plan.consumers else {}
    rates = _consumer_rates(sorted({name for name in consumers.values() if name}), plan)
    rows = []
    for stage in pipelines:
        consumer = consumers.get(stage)
        batch, rate = rates.get(consumer, (None, float("nan")))
        images_per_s = timings.per_second(stage, plan.batch * plan.batches_per_round)
        rows.append(
            {
                "stage": stage,
                "images_per_s": images_per_s,
                "ms_per_batch": timings.milliseconds(stage) / plan.batches_per_round,
                "rounds": timings.rounds,
                "consumer": consumer or "",
                "consumer_batch": batch,
                "consumer_train_images_per_s": rate,
                "headroom": images_per_s / rate,
            }
        )
    table = pd.DataFrame(rows)
    table["consumer_batch"] = table["consumer_batch"].astype("Int64")  # an integer column with gaps
    return table
