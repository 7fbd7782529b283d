"""Grouped convolutions on CPU: our `GroupConv2D` (split) vs Keras' `Conv2D(groups=g)` (XLA) vs dense.

Keras 3 on TensorFlow runs `Conv2D(groups>1)` through a `tf.function(jit_compile=True)`, because TF's CPU
kernel has no grouped convolution. `keras_classics.layers.GroupConv2D` computes the groups as separate
convolutions and concatenates them instead. This script measures, for ShuffleNet-, ResNeXt- and
AlexNet-like shapes, the median time of the forward pass and of forward + backward (gradients for the input
and the kernel) of

    split  GroupConv2D(groups=g)                   (what keras_classics uses)
    xla    keras.layers.Conv2D(groups=g)           (Keras' own grouped path)
    dense  keras.layers.Conv2D(groups=1)           (same input/output shape, g times the multiply-adds)

all in one process on the CPU, each inside a `tf.function`, and whether a one-layer model of each converts
with `tf.lite.TFLiteConverter.from_keras_model` (in memory; nothing is written). It prints a pandas table
and writes `benchmarks/results/grouped_conv.csv`.

Usage:
    python benchmarks/grouped_conv.py [--batch 8] [--runs 20] [--threads 0] [--no-tflite]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import pathlib
import statistics
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import tensorflow as tf  # noqa: E402

from keras_classics.layers import GroupConv2D  # noqa: E402

RESULTS = pathlib.Path(__file__).resolve().parent / "results" / "grouped_conv.csv"

# (case, height/width, input channels, output channels, kernel, groups)
SHAPES = (
    ("shufflenet_g3_1x1", 56, 240, 240, 1, 3),  # ShuffleNet 1x g=3, Stage 2 width
    ("shufflenet_g8_1x1", 28, 384, 384, 1, 8),  # ShuffleNet 1x g=8, Stage 2 width
    ("resnext_g32_3x3", 28, 256, 256, 3, 32),  # ResNeXt-50 32x4d, conv3 stage
    ("resnext_g32_3x3_c2", 56, 128, 128, 3, 32),  # ResNeXt-50 32x4d, conv2 stage
    ("alexnet_g2_5x5", 27, 96, 256, 5, 2),  # AlexNet conv2 (two-GPU split)
)
IMPLEMENTATIONS = ("split", "xla", "dense")


def make_layer(impl: str, filters: int, kernel: int, groups: int) -> keras.layers.Layer:
    if impl == "split":
        return GroupConv2D(filters, kernel, groups=groups, padding="same", use_bias=False)
    if impl == "xla":
        return keras.layers.Conv2D(filters, kernel, groups=groups, padding="same", use_bias=False)
    return keras.layers.Conv2D(filters, kernel, padding="same", use_bias=False)


def median_ms(fn, x, runs: int, warmup: int = 3) -> float:
    for _ in range(warmup):  # tracing, XLA compilation, allocator warm-up
        fn(x)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = fn(x)
        tf.nest.map_structure(lambda t: t.numpy(), result)  # wait for the result
        times.append(time.perf_counter() - start)
    return 1e3 * statistics.median(times)


def tflite_status(model: keras.Model) -> str:
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # the converter's SavedModel export talks
            flatbuffer = tf.lite.TFLiteConverter.from_keras_model(model).convert()
    except Exception as error:  # noqa: BLE001 - report any converter failure
        message = str(error).strip().splitlines()
        return f"failed: {type(error).__name__}: {message[0][:120] if message else ''}"
    return f"ok ({len(flatbuffer) / 1024:.0f} KiB)"


def run(batch: int, runs: int, tflite: bool) -> pd.DataFrame:
    rows = []
    progress = keras.utils.Progbar(len(SHAPES) * len(IMPLEMENTATIONS), unit_name="case")
    for case, size, cin, cout, kernel, groups in SHAPES:
        x = tf.constant(np.random.default_rng(0).normal(size=(batch, size, size, cin)).astype("float32"))
        reference = None
        for impl in IMPLEMENTATIONS:
            layer = make_layer(impl, cout, kernel, groups)
            inputs = keras.Input((size, size, cin))
            model = keras.Model(inputs, layer(inputs))
            if impl == "split":
                split_kernel = layer.kernel.numpy()
            elif impl == "xla":
                layer.kernel.assign(split_kernel)  # same weights: check both give the same numbers

            forward = tf.function(lambda t, m=model: m(t, training=False))

            @tf.function
            def forward_backward(t, m=model):
                with tf.GradientTape() as tape:
                    tape.watch(t)
                    loss = tf.reduce_sum(m(t, training=True))
                return tape.gradient(loss, [t] + m.trainable_weights)

            out = forward(x).numpy()
            if impl == "split":
                reference = out
            agree = "" if impl == "dense" else f"{np.max(np.abs(out - reference)):.1e}"
            effective_groups = groups if impl != "dense" else 1
            rows.append(
                {
                    "case": case,
                    "input": f"{size}x{size}x{cin}",
                    "filters": cout,
                    "kernel": kernel,
                    "groups": effective_groups,
                    "impl": impl,
                    "mmacs": batch * size * size * cout * kernel * kernel * cin / effective_groups / 1e6,
                    "forward_ms": median_ms(forward, x, runs),
                    "fwd_bwd_ms": median_ms(forward_backward, x, runs),
                    "max_diff_vs_split": agree,
                    "tflite_from_keras_model": tflite_status(model) if tflite else "not tried",
                }
            )
            progress.add(1)
    table = pd.DataFrame(rows)
    dense = table[table.impl == "dense"].set_index("case")
    table["forward_vs_dense"] = table.forward_ms / table.case.map(dense.forward_ms)
    table["fwd_bwd_vs_dense"] = table.fwd_bwd_ms / table.case.map(dense.fwd_bwd_ms)
    return table


def main(argv=None) -> pd.DataFrame:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--runs", type=int, default=20, help="timed runs per measurement (the median is kept)")
    parser.add_argument("--threads", type=int, default=0, help="TF intra/inter-op threads (0: TF's default)")
    parser.add_argument("--no-tflite", action="store_true", help="skip the TFLite conversion check")
    parser.add_argument("--output", type=pathlib.Path, default=RESULTS)
    args = parser.parse_args(argv)
    tf.config.set_visible_devices([], "GPU")  # CPU only: the path the XLA workaround exists for
    if args.threads:
        tf.config.threading.set_intra_op_parallelism_threads(args.threads)
        tf.config.threading.set_inter_op_parallelism_threads(args.threads)
    table = run(args.batch, args.runs, not args.no_tflite)
    with pd.option_context("display.width", 200, "display.max_columns", None, "display.max_colwidth", 60):
        print(table.round(2).to_string(index=False))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.output, index=False)
    print(f"wrote {args.output}")
    return table


if __name__ == "__main__":
    main()
