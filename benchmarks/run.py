"""The benchmark suite, run from a checkout: the same as `keras-classics benchmark` with the same options.

The suite lives in `keras_classics/benchmarking/` (one module per part, one shared timing harness); this
script only writes its results next to itself, into `benchmarks/results/`, wherever it is started from.

Usage:
    python benchmarks/run.py [--quick] [--only inference,training,pipeline,tflite,grouped,gpu] [--models NAME ...]
        [--rounds N] [--no-reference] [--data FOLDER] [--output DIR]
"""

from __future__ import annotations

import pathlib
import sys

from keras_classics.cli import main

RESULTS = pathlib.Path(__file__).resolve().parent / "results"

if __name__ == "__main__":
    argv = sys.argv[1:]
    if "--output" not in argv:
        argv += ["--output", str(RESULTS)]
    sys.exit(main(["benchmark", *argv]))
