"""TFLite: LiteRT interpreter latency of float32 and int8 files, ours / keras.applications, 1 and 2 threads.

Each network and its keras.applications twin are converted the same way, by `keras_classics.export`'s
converter (one staged SavedModel per network, `export.tflite.convert_saved_model` for each file: built-in
ops only; int8 = integer kernels with float input and output, calibrated on a few random images in the
model's input range, which sets the scales but not the speed). Two int8 files per network: `int8`, the
export's default, leaves the ops XNNPACK has no int8 kernel for in float (`export.tflite.INT8_KEEP_FLOAT`:
HARD_SWISH), and `int8_full` quantizes every op (timed when `Plan.kinds` asks for it; the full run leaves it
out to fit its half hour, and its columns stay empty).
Each file runs in `ai_edge_litert`'s interpreter with its default XNNPACK delegate and `num_threads` 1,
then 2; a round is one `invoke()` of one image for each of the six files.

Columns: model, threads, preprocessing, rounds, `{ours,keras_applications}_{float32,int8,int8_full}_ms`
(median per image), `ours_vs_keras_applications_{float32,int8,int8_full}` (below 1: ours is faster) and
`{ours,keras_applications}_{int8,int8_full}_speedup` (float32 ms / int8 ms: above 1, int8 is faster).

Example:
    keras-classics benchmark --only tflite --models mobilenet_v2 efficientnet_b0
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import os
import sys

import numpy as np
import pandas as pd

from keras_classics.benchmarking import Skipped
from keras_classics.benchmarking import contenders as c
from keras_classics.benchmarking.harness import interleave
from keras_classics.benchmarking.report import Chart
from keras_classics.export.tflite import INT8_KEEP_FLOAT

TITLE = "TFLite (LiteRT + XNNPACK) latency per image on the CPU, ms (lower is faster)"
FULL_MODELS = ("mobilenet_v2", "mobilenet_v3_small", "mobilenet_v3_large", "efficientnet_b0")
QUICK_MODELS = ("mobilenet_v3_small",)
SIDES = ("ours", "keras_applications")
# column name -> (export.tflite quantize mode, ops kept in float)
KINDS = {"float32": ("none", ()), "int8": ("int8", INT8_KEEP_FLOAT), "int8_full": ("int8", ())}
FILES = tuple(f"{side}_{kind}" for kind in KINDS for side in SIDES)
CHART = Chart(
    columns=tuple(f"{name}_ms" for name in FILES),
    legend=tuple(f"{owner} {kind}" for kind in KINDS for owner in ("keras_classics", "keras.applications")),
    xlabel="milliseconds per image (median of interleaved rounds)",
    label=lambda row: f"{row['model']}, {row['threads']} thread{'s' if row['threads'] > 1 else ''}",
)


@dataclasses.dataclass(frozen=True)
class Plan:
    models: tuple[str, ...]
    threads: tuple[int, ...] = (1, 2)
    rounds: int = 20
    warmup: int = 2
    calibration_images: int = 8
    kinds: tuple[str, ...] = ("float32", "int8")  # of KINDS


def plan(settings) -> Plan:
    models = settings.models or (QUICK_MODELS if settings.quick else FULL_MODELS)
    return Plan(models=tuple(models), rounds=settings.rounds or (10 if settings.quick else 20))


def _interpreter_class():
    try:
        from ai_edge_litert.interpreter import Interpreter
    except ImportError:
        raise Skipped("needs the LiteRT interpreter: pip install ai-edge-litert") from None
    return Interpreter


@contextlib.contextmanager
def _native_output_hidden():
    """The converter and the interpreter print progress from C++ straight to the file descriptors
    ("fully_quantize: 0, ...", "Created TensorFlow Lite XNNPACK delegate"); errors still raise."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = [os.dup(1), os.dup(2)]
    with open(os.devnull, "w") as devnull:
        os.dup2(devnull.fileno(), 1)
        os.dup2(devnull.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            for descriptor in saved:
                os.close(descriptor)


def calibration_images(name: str, count: int) -> np.ndarray:
    """Random images in the range the model takes: pixels when it normalises inside, else about [-1, 1]."""
    high = 255.0 if c.preprocessing(name) == "in-graph" else 1.0
    low = 0.0 if high == 255.0 else -1.0
    return np.random.default_rng(0).uniform(low, high, (count, *c.input_shape(name))).astype("float32")


def flatbuffers(name: str, images: np.ndarray, kinds=tuple(KINDS)) -> dict[str, bytes]:
    """{`SIDE_KIND`: the TFLite file} of our network and its twin, one per kind in `kinds` (of `KINDS`)."""
    from keras_classics.export.tflite import convert_saved_model, inference_saved_model

    models = {"ours": c.build_ours(name), "keras_applications": c.build_keras_twin(name)}
    files = {}
    for side, model in models.items():
        if model is None:
            continue
        with inference_saved_model(model) as staged:  # one SavedModel serves the three conversions
            for kind in kinds:
                quantize, keep_float = KINDS[kind]
                representative = images if quantize == "int8" else None
                with _native_output_hidden():
                    flatbuffer = convert_saved_model(staged, quantize, representative, keep_float=keep_float)
                files[f"{side}_{kind}"] = flatbuffer
    del models
    c.release()
    return files


def _invoke_call(interpreter_class, flatbuffer: bytes, image: np.ndarray, threads: int):
    with _native_output_hidden():  # the XNNPACK delegate is applied, and announced, by allocate_tensors
        interpreter = interpreter_class(model_content=flatbuffer, num_threads=threads)
        interpreter.allocate_tensors()
    interpreter.set_tensor(interpreter.get_input_details()[0]["index"], image[None])
    return interpreter.invoke


def measure(plan: Plan) -> pd.DataFrame:
    interpreter_class = _interpreter_class()
    rows = []
    for i, name in enumerate(plan.models, 1):
        print(f"[{i}/{len(plan.models)}] {name}: converting float32 and int8 files", flush=True)
        images = calibration_images(name, plan.calibration_images)
        files = flatbuffers(name, images, plan.kinds)
        for threads in plan.threads:
            calls = {key: _invoke_call(interpreter_class, files[key], images[0], threads) for key in files}
            timings = interleave(calls, plan.rounds, plan.warmup)
            row = {"model": name, "threads": threads, "preprocessing": c.preprocessing(name), "rounds": timings.rounds}
            row.update({f"{key}_ms": timings.milliseconds(key) for key in FILES})
            for kind in KINDS:
                row[f"ours_vs_keras_applications_{kind}"] = timings.ratio(f"ours_{kind}", f"keras_applications_{kind}")
            for kind, side in itertools.product(("int8", "int8_full"), SIDES):
                row[f"{side}_{kind}_speedup"] = timings.ratio(f"{side}_float32", f"{side}_{kind}")
            rows.append(row)
    return pd.DataFrame(rows)
