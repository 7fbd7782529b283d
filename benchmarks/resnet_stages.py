"""Where ResNet-50's extra time goes: ours against keras.applications' twin, stage by stage, with the MACs.

Ours is torchvision's ResNet-50 v1.5 (the stride of each stage's first block on its 3x3 convolution);
keras.applications' ResNet50 is v1 (the stride on the first 1x1). Our ResNet50V2 is timm's layout (a
stage downsamples in its first block); keras.applications' ResNet50V2 downsamples in the last block of
stages 1-3. Both differences move multiply-adds between stages. This script cuts each network at its stage
boundaries: the models from the input to each boundary are timed in interleaved rounds
(`benchmarking.harness`), and a stage's time is the difference of two neighbours, its MACs likewise
(`analysis.profile.count_macs`). If the time ratio of each stage follows its MAC ratio, the difference is the
architecture's, not the implementation's.

Usage:
    python benchmarks/resnet_stages.py [--batch 8] [--rounds 15]

It prints one table per network and writes `benchmarks/results/resnet_stages.csv`.
"""

from __future__ import annotations

import argparse
import os
import pathlib

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import pandas as pd  # noqa: E402
import tensorflow as tf  # noqa: E402

from keras_classics.analysis.profile import count_macs  # noqa: E402
from keras_classics.benchmarking import contenders as c  # noqa: E402
from keras_classics.benchmarking.harness import interleave  # noqa: E402

RESULTS = pathlib.Path(__file__).resolve().parent / "results" / "resnet_stages.csv"
STAGES = ("stem", "stage 1", "stage 2", "stage 3", "stage 4", "head")
# The last layer of the stem and of each stage, ours then keras.applications'; the head ends at the logits.
BOUNDARIES = {
    "resnet50": (
        ("maxpool", "layer1_2_out", "layer2_3_out", "layer3_5_out", "layer4_2_out"),
        ("pool1_pool", "conv2_block3_out", "conv3_block4_out", "conv4_block6_out", "conv5_block3_out"),
    ),
    "resnet50_v2": (
        ("stem_pool", "stages_0_blocks_2_add", "stages_1_blocks_3_add", "stages_2_blocks_5_add", "norm_act"),
        ("pool1_pool", "conv2_block3_out", "conv3_block4_out", "conv4_block6_out", "post_relu"),
    ),
}


def prefixes(model: keras.Model, boundaries) -> list[keras.Model]:
    """The models from `model`'s input to each boundary layer's output, then `model` itself."""
    return [keras.Model(model.inputs, model.get_layer(name).output) for name in boundaries] + [model]


def stage_table(name: str, batch: int, rounds: int) -> pd.DataFrame:
    images = c.random_images(batch, c.input_shape(name))
    sides = {"ours": c.build_ours(name), "keras": c.build_keras_twin(name)}
    cuts = {side: prefixes(model, BOUNDARIES[name][i]) for i, (side, model) in enumerate(sides.items())}
    calls = {
        f"{side} {stage}": c.keras_forward(cut, images) for side in sides for stage, cut in zip(STAGES, cuts[side])
    }
    timings = interleave(calls, rounds, warmup=2)
    # Per side, the time and GMACs from the input to each boundary (the last cut is the whole network).
    ms = {side: [0.0] + [timings.milliseconds(f"{side} {stage}") for stage in STAGES] for side in sides}
    gmacs = {side: [0.0] + [count_macs(cut) / 1e9 for cut in cuts[side]] for side in sides}
    rows = []
    for i, stage in enumerate(STAGES + ("whole",)):
        start, end = (0, len(STAGES)) if stage == "whole" else (i, i + 1)
        row = {"network": name, "batch": batch, "stage": stage, "rounds": timings.rounds}
        for side in sides:
            row[f"{side}_ms"] = ms[side][end] - ms[side][start]
            row[f"{side}_gmacs"] = gmacs[side][end] - gmacs[side][start]
        row["time_ratio"] = row["ours_ms"] / row["keras_ms"]
        row["mac_ratio"] = row["ours_gmacs"] / row["keras_gmacs"]
        rows.append(row)
    del sides, cuts, calls
    c.release()
    return pd.DataFrame(rows)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--networks", nargs="+", default=list(BOUNDARIES), choices=list(BOUNDARIES))
    args = parser.parse_args(argv)
    tf.get_logger().setLevel("ERROR")  # each cut is its own tf.function: not a retracing worth a warning
    tables = [stage_table(name, args.batch, args.rounds) for name in args.networks]
    for table in tables:
        print(table.to_string(index=False, float_format=lambda value: f"{value:.3f}"))
    RESULTS.parent.mkdir(exist_ok=True)
    pd.concat(tables).to_csv(RESULTS, index=False)
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
