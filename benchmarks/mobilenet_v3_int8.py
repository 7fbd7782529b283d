"""Where MobileNetV3's int8 speed-up goes: the int8 / float32 latency of timing copies without its parts.

The issue's target is int8 at least 1.5x faster than float32 on the mobile networks. MobileNetV3-Large meets
it and -Small does not. This script builds, for each of the two, the network as it is and copies with
squeeze-and-excitation left out, with ReLU in place of hard-swish, with both, and the paper's minimalistic
model (both, and 3x3 depthwise kernels in place of the 5x5 ones). It converts each to float32 and to int8
the way the export does (`export.tflite.convert`: HARD_SWISH kept in float) and times all files in
interleaved rounds (`benchmarking.harness`), one image, XNNPACK, 1 thread. The copies are for timing only:
random weights, pixel input normalised in the graph as the benchmark's MobileNetV3 files are.

Usage:
    python benchmarks/mobilenet_v3_int8.py [--rounds 100] [--threads 1] [--size 224] [--networks small large]
        [--copies "as built" "no SE" ...]

It prints the table and writes `benchmarks/results/mobilenet_v3_int8.csv`.
"""

from __future__ import annotations

import argparse
import os
import pathlib

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from keras_classics.benchmarking.harness import interleave  # noqa: E402
from keras_classics.benchmarking.tflite import _interpreter_class, _invoke_call, _native_output_hidden  # noqa: E402
from keras_classics.blocks.preprocessing import normalize_pixels  # noqa: E402
from keras_classics.export.tflite import INT8_KEEP_FLOAT, convert  # noqa: E402
from keras_classics.models import mobilenet  # noqa: E402
from keras_classics.torch_compat import IMAGENET_MEAN, IMAGENET_STD  # noqa: E402

RESULTS = pathlib.Path(__file__).resolve().parent / "results" / "mobilenet_v3_int8.csv"
NETWORKS = {"small": (mobilenet.MOBILENET_V3_SMALL, 1024), "large": (mobilenet.MOBILENET_V3_LARGE, 1280)}
COPIES = {  # name -> (squeeze-and-excitation kept, hard-swish kept, 5x5 depthwise kernels kept)
    "as built": (True, True, True),
    "no SE": (False, True, True),
    "ReLU for hard-swish": (True, False, True),
    "neither": (False, False, True),
    "minimalistic": (False, False, False),  # the paper's: also 3x3 kernels everywhere
}


def timing_copy(rows, last_channel, keep_se, keep_hard_swish, keep_5x5=True, size: int = 224) -> keras.Model:
    """MobileNetV3 from `rows` (the paper's table), with SE, hard-swish and 5x5 depthwise kernels where asked,
    at `size` pixels."""
    act = "hard_swish" if keep_hard_swish else "relu"
    rows = tuple(
        (kernel if keep_5x5 else 3, expanded, filters, se and keep_se, block_act if keep_hard_swish else "relu", s)
        for kernel, expanded, filters, se, block_act, s in rows
    )
    pixels = keras.Input((size, size, 3))
    x = mobilenet._mobilenet_v3_features(normalize_pixels(pixels, IMAGENET_MEAN, IMAGENET_STD), rows, 1.0, act)
    return keras.Model(pixels, mobilenet._mobilenet_v3_head(x, 1000, last_channel, 0.2, act))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--size", type=int, default=224, help="input side (224: the networks' own)")
    parser.add_argument("--networks", nargs="+", default=list(NETWORKS), choices=list(NETWORKS))
    parser.add_argument("--copies", nargs="+", default=list(COPIES), choices=list(COPIES))
    args = parser.parse_args(argv)
    images = np.random.default_rng(0).uniform(0, 255, (8, args.size, args.size, 3)).astype("float32")
    interpreter_class = _interpreter_class()
    calls, keys = {}, []
    for network in args.networks:
        rows, last_channel = NETWORKS[network]
        for copy in args.copies:
            model = timing_copy(rows, last_channel, *COPIES[copy], size=args.size)
            print(f"converting MobileNetV3-{network.title()}, {copy}", flush=True)
            for kind in ("float32", "int8"):
                with _native_output_hidden():
                    if kind == "float32":
                        flatbuffer = convert(model)
                    else:
                        flatbuffer = convert(model, "int8", images, keep_float=INT8_KEEP_FLOAT)
                calls[(network, copy, kind)] = _invoke_call(interpreter_class, flatbuffer, images[0], args.threads)
            keys.append((network, copy))
            keras.backend.clear_session()
    named = {f"{network}|{copy}|{kind}": call for (network, copy, kind), call in calls.items()}
    timings = interleave(named, args.rounds, warmup=5)
    table = pd.DataFrame(
        {
            "network": f"mobilenet_v3_{network}",
            "copy": copy,
            "size": args.size,
            "threads": args.threads,
            "rounds": timings.rounds,
            "float32_ms": timings.milliseconds(f"{network}|{copy}|float32"),
            "int8_ms": timings.milliseconds(f"{network}|{copy}|int8"),
            "int8_speedup": timings.ratio(f"{network}|{copy}|float32", f"{network}|{copy}|int8"),
        }
        for network, copy in keys
    )
    print(table.to_string(index=False, float_format=lambda value: f"{value:.3f}"))
    RESULTS.parent.mkdir(exist_ok=True)
    if RESULTS.exists():  # one file for all runs: a row measured again replaces its earlier value
        key = ["network", "copy", "size", "threads"]
        earlier = pd.read_csv(RESULTS).set_index(key)
        table = pd.concat([earlier.drop(table.set_index(key).index, errors="ignore").reset_index(), table])
    table.to_csv(RESULTS, index=False)
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
