"""Inference on the CPU: batch-1 latency and large-batch throughput, ours / keras.applications / torch.

Ours is timed twice: as built (`ours`, BatchNormalization computed as Keras computes it, like
keras.applications' models) and as `export.fold_batch_norm` leaves it for predicting and serving
(`ours_folded`, each BatchNormalization that follows a convolution folded into it). Folding would speed
keras.applications' models the same way; the folded column measures what this package's inference path
gives, not a difference in the networks.

The full run times the 23 networks of `contenders.DEFAULT_TWINS` (`--models twins`: all 40 that
keras.applications shares). For each network, the three contenders are built with random weights at the
network's default size (`contenders.py`), and each batch size is timed in interleaved rounds: Keras models
inside one `tf.function` with `training=False`, the torch reference under `torch.inference_mode()`. The
large batch is 32 (16 with `--quick`), halved until the forward pass costs at most 32 GMACs (ResNet-50 at 4,
VGG-16 at 2, the largest networks at 1), so that the full suite fits its half hour; the `batch` column says
what was timed, and a network capped to batch 1 is timed once.

Columns: model, input, batch, preprocessing, reference, rounds, then `ours_ms`, `ours_folded_ms`,
`keras_applications_ms`, `reference_ms` (median per batch), the same as images/s, and
`ours_vs_keras_applications`, `ours_vs_reference`, `ours_folded_vs_keras_applications`, `ours_folded_vs_ours`
(ratios of the medians: below 1, the first is faster).

Example:
    keras-classics benchmark --only inference --models resnet50 efficientnet_b0
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from keras_classics.benchmarking import contenders as c
from keras_classics.benchmarking.harness import interleave
from keras_classics.benchmarking.report import Chart
from keras_classics.export.folding import fold_batch_norm
from keras_classics.registry import model_info

TITLE = "inference on the CPU, images/s (higher is faster)"
QUICK_MODELS = ("mobilenet_v2", "efficientnet_b0", "resnet50")
NAMES = ("ours", "ours_folded", "keras_applications", "reference")
# Rounds go on until each contender has this many seconds of timed calls (`harness.interleave`): the median of
# three 10 ms calls moved ratios by up to 0.2.
FAST_CALL_SECONDS = 0.5
CHART = Chart(
    columns=tuple(f"{name}_images_per_s" for name in NAMES),
    legend=("keras_classics", "keras_classics, BatchNorm folded", "keras.applications", "torchvision / timm"),
    xlabel="images per second (median of interleaved rounds)",
    label=lambda row: f"{row['model']}, batch {row['batch']}",
    log=True,
)


@dataclasses.dataclass(frozen=True)
class Plan:
    models: tuple[str, ...]
    batches: tuple[int, ...] = (1, 32)
    rounds: int = 3
    warmup: int = 1
    min_seconds: float = FAST_CALL_SECONDS  # more rounds for fast calls (batch 1 of the small networks)
    reference: bool = True
    max_gmacs_per_step: float = 32.0


def plan(settings) -> Plan:
    models = settings.models or (QUICK_MODELS if settings.quick else c.DEFAULT_TWINS)
    batches = (1, 16) if settings.quick else (1, 32)
    # rounds asked for are exactly that many; by default fast calls get more (see FAST_CALL_SECONDS)
    return Plan(
        models=tuple(models),
        batches=batches,
        rounds=settings.rounds or 3,
        min_seconds=0.0 if settings.rounds else FAST_CALL_SECONDS,
        reference=settings.reference,
    )


def measure(plan: Plan) -> pd.DataFrame:
    rows = []
    torch_missing = plan.reference and c.import_torch() is None
    if torch_missing:
        print("torch is not installed: no reference column (pip install -e '.[parity]')")
    for i, name in enumerate(plan.models, 1):
        spec = model_info(name)
        print(f"[{i}/{len(plan.models)}] {name}", flush=True)
        ours = c.build_ours(name)
        built = {"ours": ours, "ours_folded": fold_batch_norm(ours), "keras_applications": c.build_keras_twin(name)}
        built["reference"] = c.build_reference(name) if plan.reference and not torch_missing else None
        # dict.fromkeys: a network capped to batch 1 would otherwise time batch 1 twice
        for batch in dict.fromkeys(c.capped_batch(b, spec.mmacs, plan.max_gmacs_per_step) for b in plan.batches):
            images = c.random_images(batch, c.input_shape(name))
            calls = {
                contender: (c.torch_forward if contender == "reference" else c.keras_forward)(model, images)
                for contender, model in built.items()
                if model is not None
            }
            timings = interleave(calls, plan.rounds, plan.warmup, min_seconds=plan.min_seconds)
            reference = spec.reference if built["reference"] is not None else ""
            row = c.timing_row(name, batch, timings, NAMES, reference=reference)
            del row["ours_vs_ours_folded"]  # said the other way round, below
            row["ours_folded_vs_keras_applications"] = timings.ratio("ours_folded", "keras_applications")
            row["ours_folded_vs_ours"] = timings.ratio("ours_folded", "ours")
            rows.append(row)
        del built, ours
        c.release()
    return pd.DataFrame(rows)
