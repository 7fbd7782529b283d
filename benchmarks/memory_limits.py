"""How large a training batch and input each family handles on a 24 GiB CPU machine, measured then extrapolated.

For one model of each family at its default input size, a fresh process builds it, compiles it (SGD with
momentum), runs one training step to trace it, resets the process's peak resident memory (VmHWM, through
/proc/self/clear_refs) and runs a second step; the peak of that step, at batch 1 and at batch 16, is what is
compared (the build's and the trace's transients would otherwise hide the activations of small batches). Peak memory is close to linear in the batch (the activations kept for the backward pass), so

    per_image = (peak(16) - peak(1)) / 15      fixed = peak(1) - per_image

and, with a budget of 20 GiB (24 GiB less what the system, the data pipeline and a shell need):

    largest batch at the default size = (budget - fixed) / per_image
    largest side at batch 1           = default side * sqrt((budget - fixed) / per_image)   (activations ~ pixels)

Both are extrapolations from two measured points; `--check NAME BATCH` measures one more point to test them.
The same run records, per model, the ratio of the measured per-image memory to the sum of the layers' output
sizes (`analysis.layer_table`): `keras_classics.training.memory` uses the ratio to refuse a batch that cannot fit.
Results: `benchmarks/results/memory_limits.json`; `--table` prints the Markdown table for the README.

Usage:
    python benchmarks/memory_limits.py [NAME ...] [--table] [--check NAME BATCH]
"""

from __future__ import annotations

import json
import os
import pathlib
import statistics
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
RESULTS = ROOT / "benchmarks" / "results" / "memory_limits.json"
BUDGET_GIB = 20.0
GIB = 2**30

STEP = """
import json, os, sys
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
import keras, numpy as np
import keras_classics
from keras_classics.analysis import layer_table
name, batch, side = sys.argv[1], int(sys.argv[2]), sys.argv[3]
spec = keras_classics.model_info(name)
side = int(side) if side != "default" else spec.default_size
model = keras_classics.create_model(name, input_shape=(side, side, spec.channels), classes=1000)
outputs = len(model.outputs)
model.compile(optimizer=keras.optimizers.SGD(0.01, momentum=0.9),
              loss=[keras.losses.SparseCategoricalCrossentropy()] * outputs)
images = np.random.default_rng(0).uniform(0, 1, (batch, side, side, spec.channels)).astype("float32")
labels = [np.zeros(batch, "int32")] * outputs
model.train_on_batch(images, labels)  # the first step traces the graph
with open("/proc/self/clear_refs", "w") as f:
    f.write("5")  # resets the peak (VmHWM): what follows is the steady training step, not the build or trace
model.train_on_batch(images, labels)
peak = next(int(line.split()[1]) * 1024 for line in open("/proc/self/status") if line.startswith("VmHWM:"))
table = layer_table(model)
print(json.dumps({"peak": peak, "side": side,
                  "params": int(model.count_params()),
                  "activation_bytes": int(table["memory_bytes"].fillna(0).sum())}))  # per image
"""


def measure(name: str, batch: int, side="default") -> dict:
    env = dict(os.environ, TF_ONEDNN_USE_SYSTEM_ALLOCATOR="1")
    done = subprocess.run(
        [sys.executable, "-c", STEP, name, str(batch), str(side)],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        timeout=1800,
    )
    if done.returncode:
        raise RuntimeError(f"{name} batch {batch}: {done.stderr.strip().splitlines()[-1:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def limits(name: str) -> dict:
    one, four = measure(name, 1), measure(name, 16)
    per_image = max((four["peak"] - one["peak"]) / 15, 1.0)
    fixed = one["peak"] - per_image
    room = BUDGET_GIB * GIB - fixed
    return {
        "side": one["side"],
        "params": one["params"],
        "peak_batch1_gib": round(one["peak"] / GIB, 3),
        "peak_batch16_gib": round(four["peak"] / GIB, 3),
        "per_image_mib": round(per_image / 2**20, 1),
        "fixed_gib": round(fixed / GIB, 3),
        "largest_batch": int(room // per_image),
        "largest_side": int(one["side"] * (room / per_image) ** 0.5),
        "per_image_over_activations": round(per_image / one["activation_bytes"], 3),
    }


def table(results) -> str:
    lines = [
        "| model | input | peak at batch 1 / 16 (GiB) | per image (MiB) | largest batch at that size | largest side at batch 1 |",
        "|---|---|---|---|---|---|",
    ]
    for name, row in sorted(results.items(), key=lambda item: item[1]["per_image_mib"]):
        if "largest_batch" not in row:
            continue
        lines.append(
            f"| {name} | {row['side']} | {row['peak_batch1_gib']:.2f} / {row['peak_batch16_gib']:.2f} | "
            f"{row['per_image_mib']:,.0f} | {row['largest_batch']:,} | {row['largest_side']:,} |"
        )
    ratios = [row["per_image_over_activations"] for row in results.values() if "per_image_over_activations" in row]
    lines.append("")
    lines.append(
        f"Measured per-image memory / sum of layer outputs: median {statistics.median(ratios):.2f}, "
        f"range {min(ratios):.2f}-{max(ratios):.2f} over {len(ratios)} models."
    )
    return "\n".join(lines)


def main(argv) -> int:
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    if "--table" in argv:
        print(table(results))
        return 0
    if "--check" in argv:
        name, batch = argv[argv.index("--check") + 1], int(argv[argv.index("--check") + 2])
        measured = measure(name, batch)
        row = results[name]
        predicted = row["fixed_gib"] + batch * row["per_image_mib"] / 1024
        print(f"{name} batch {batch}: measured {measured['peak'] / GIB:.2f} GiB, predicted {predicted:.2f} GiB")
        results[name].setdefault("checks", {})[str(batch)] = {
            "measured_gib": round(measured["peak"] / GIB, 3),
            "predicted_gib": round(predicted, 3),
        }
    else:
        from zoo_helpers import ONE_PER_FAMILY

        names = [a for a in argv if not a.startswith("-")] or sorted(
            {n.split(":")[0] for n in ONE_PER_FAMILY} | {"vgg16"}
        )
        for name in names:
            try:
                results[name] = limits(name)
            except RuntimeError as error:
                results[name] = {"error": str(error)}
            print(name, results[name], flush=True)
            RESULTS.parent.mkdir(parents=True, exist_ok=True)
            RESULTS.write_text(json.dumps(results, indent=1, sort_keys=True))
    RESULTS.write_text(json.dumps(results, indent=1, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
