"""Every registered model under `mixed_float16` and `mixed_bfloat16`: one training step, float32 outputs, a finite loss.

The test suite checks one model per family (tests/test_mixed_precision.py); this sweep checks the whole zoo
at each model's smallest input side (at least 32) with 5 classes and a batch of 2, random weights and
images. Results go to `benchmarks/results/mixed_precision.json` (one entry per model and policy: input side,
output dtypes, loss, seconds, or the error).

Usage:
    python benchmarks/mixed_precision.py ['resnet*' ...] [--redo]

A stopped sweep resumes where it was; `--redo` measures the chosen models again.
"""

from __future__ import annotations

import fnmatch
import json
import os
import pathlib
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ONEDNN_USE_SYSTEM_ALLOCATOR", "1")  # memory goes back between models

import keras
import numpy as np

import keras_classics
from keras_classics.runtime import release_models

RESULTS = pathlib.Path(__file__).resolve().parent / "results" / "mixed_precision.json"
POLICIES = ("mixed_float16", "mixed_bfloat16")


def one_step(name: str, policy: str) -> dict:
    spec = keras_classics.model_info(name)
    side = max(spec.min_size, 32)
    keras.mixed_precision.set_global_policy(policy)
    try:
        started = time.perf_counter()
        model = keras_classics.create_model(
            name, input_shape=(side, side, spec.channels), classes=5, classifier_activation=None
        )
        outputs = len(model.outputs)
        model.compile(optimizer="sgd", loss=[keras.losses.SparseCategoricalCrossentropy(from_logits=True)] * outputs)
        images = np.random.default_rng(0).uniform(0, 1, (2, side, side, spec.channels)).astype("float32")
        labels = np.array([0, 1])
        loss = float(np.ravel(model.train_on_batch(images, [labels] * outputs))[0])
        return {
            "side": side,
            "output_dtypes": sorted({str(t.dtype) for t in model.outputs}),
            "loss": loss,
            "finite": bool(np.isfinite(loss)),
            "seconds": round(time.perf_counter() - started, 2),
        }
    except Exception as error:  # noqa: BLE001 - a sweep records every failure and goes on
        return {"side": side, "error": f"{type(error).__name__}: {error}"[:500]}
    finally:
        keras.mixed_precision.set_global_policy("float32")
        release_models()


def main(argv) -> int:
    redo = "--redo" in argv
    patterns = [a for a in argv if not a.startswith("--")]
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    names = [n for n in keras_classics.list_models() if any(fnmatch.fnmatch(n, p) for p in patterns or ["*"])]
    for name in sorted(names, key=lambda n: keras_classics.model_info(n).params):
        for policy in POLICIES:
            if policy in results.get(name, {}) and not redo:
                continue  # done in an earlier, stopped sweep
            results.setdefault(name, {})[policy] = entry = one_step(name, policy)
            print(name, policy, entry, flush=True)
            RESULTS.parent.mkdir(parents=True, exist_ok=True)
            RESULTS.write_text(json.dumps(results, indent=1, sort_keys=True))
    failed = [(n, p) for n, by in results.items() for p, e in by.items() if not e.get("finite")]
    print(f"{len(results)} models, {len(failed)} failures: {failed}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
