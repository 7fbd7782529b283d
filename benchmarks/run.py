"""Inference speed and weight memory of our models against keras.applications and the PyTorch reference.

For each model pair, in one process on the CPU: build ours and the `keras.applications` twin with
random weights (and the torchvision reference, when torch is installed), run a warm-up and then `--runs`
timed forward passes of one batch in inference mode (Keras models inside a `tf.function`, torch under
`torch.inference_mode`), and report the median milliseconds per batch, images per second, and the ratios
ours / keras.applications and ours / reference. Writes `benchmarks/results/models.csv` and, when matplotlib
is installed, `benchmarks/results/models.png`.

Usage:
    python benchmarks/run.py [--batch 8] [--runs 10] [--models resnet50 mobilenet_v2 ...]
"""

from __future__ import annotations

import argparse
import os
import pathlib
import statistics
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.modules.setdefault("triton", None)  # see tests/conftest.py: Triton after TensorFlow crashes

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import tensorflow as tf  # noqa: E402

import keras_classics  # noqa: E402

RESULTS = pathlib.Path(__file__).resolve().parent / "results"

# ours -> the keras.applications builder of the same network
KERAS_TWINS = {
    "resnet50": "ResNet50",
    "mobilenet_v2": "MobileNetV2",
    "mobilenet_v3_large": "MobileNetV3Large",
    "efficientnet_b0": "EfficientNetB0",
    "densenet121": "DenseNet121",
    "vgg16": "VGG16",
    "inception_v3": "InceptionV3",
    "xception": "Xception",
}


def time_keras(model, images, runs):
    forward = tf.function(lambda x: model(x, training=False))
    forward(images)  # trace and warm up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        np.asarray(forward(images))
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3


def time_reference(spec, images, runs):
    try:
        import torch
        import torchvision
    except ImportError:
        return None
    if spec.reference_library != "torchvision":
        return None
    model = torchvision.models.get_model(spec.reference_name, weights=None).eval()
    x = torch.from_numpy(images.transpose(0, 3, 1, 2).copy())
    times = []
    with torch.inference_mode():
        model(x)
        for _ in range(runs):
            start = time.perf_counter()
            model(x)
            times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3


def weight_mib(model):
    return sum(np.prod(w.shape) * np.dtype(w.dtype).itemsize for w in model.weights) / 2**20


def benchmark(name, batch, runs):
    spec = keras_classics.model_info(name)
    size = spec.default_size
    images = np.random.default_rng(0).uniform(size=(batch, size, size, 3)).astype("float32")
    ours = spec.builder()
    twin = getattr(keras.applications, KERAS_TWINS[name])(weights=None, input_shape=(size, size, 3))
    row = {
        "model": name,
        "input": size,
        "batch": batch,
        "ours_ms": time_keras(ours, images, runs),
        "keras_applications_ms": time_keras(twin, images, runs),
        "reference_ms": time_reference(spec, images, runs),
        "ours_weights_MiB": weight_mib(ours),
        "keras_applications_weights_MiB": weight_mib(twin),
    }
    row["ours_images_per_s"] = batch / row["ours_ms"] * 1e3
    row["ours_vs_keras_applications"] = row["ours_ms"] / row["keras_applications_ms"]
    row["ours_vs_reference"] = row["ours_ms"] / row["reference_ms"] if row["reference_ms"] else None
    keras.backend.clear_session()
    return row


def plot(table, path):
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no plot")
        return
    columns = ["ours_ms", "keras_applications_ms", "reference_ms"]
    ax = table.set_index("model")[columns].plot.barh(figsize=(8, 0.6 * len(table) + 1.5))
    ax.set_xlabel(f"milliseconds per batch of {int(table['batch'].iloc[0])} (median; lower is faster)")
    ax.legend(["keras_classics", "keras.applications", "torchvision"])
    plt.tight_layout()
    plt.savefig(path, dpi=120)
    print(f"wrote {path}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--models", nargs="+", default=sorted(KERAS_TWINS), choices=sorted(KERAS_TWINS))
    args = parser.parse_args(argv)
    rows = []
    for i, name in enumerate(args.models, 1):
        print(f"[{i}/{len(args.models)}] {name}", flush=True)
        rows.append(benchmark(name, args.batch, args.runs))
    table = pd.DataFrame(rows)
    RESULTS.mkdir(parents=True, exist_ok=True)
    table.to_csv(RESULTS / "models.csv", index=False)
    with pd.option_context("display.width", 200, "display.max_columns", None, "display.float_format", "{:.2f}".format):
        print(table.to_string(index=False))
    plot(table, RESULTS / "models.png")


if __name__ == "__main__":
    main()
