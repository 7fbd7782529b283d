"""Every registered model at its paper's input size: parameters, MACs against the reference table, weights and
activation memory, depth and receptive field, as a CSV and a cost chart (MACs against parameters).

Each model is built in a fresh process (the largest hold 2.5 GB of weights; one process for all would keep
TensorFlow's high-water mark), its row computed by `keras_classics.analysis.zoo.model_row`. Rows already in
the CSV are kept, so an interrupted run resumes; `--redo` starts over.

Usage:
    python benchmarks/zoo_table.py [NAME ...] [--redo]
Results: benchmarks/results/zoo_table.csv, benchmarks/results/zoo_cost.png
"""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys

import pandas as pd

ROOT = pathlib.Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
TABLE = RESULTS / "zoo_table.csv"
CHART = RESULTS / "zoo_cost.png"

ONE_ROW = (
    "import json, sys; from keras_classics.analysis.zoo import model_row; print(json.dumps(model_row(sys.argv[1])))"
)


def main(argv):
    import keras_classics
    from keras_classics.analysis.zoo import cost_chart

    redo = "--redo" in argv
    names = [a for a in argv if not a.startswith("--")] or keras_classics.list_models()
    done = pd.read_csv(TABLE) if TABLE.exists() and not redo else pd.DataFrame()
    rows = {row["name"]: row for row in done.to_dict("records")}
    for name in names:
        if name in rows:
            continue
        finished = subprocess.run([sys.executable, "-c", ONE_ROW, name], capture_output=True, text=True, check=False)
        if finished.returncode:
            print(f"{name}: failed\n{finished.stderr[-2000:]}", flush=True)
            continue
        rows[name] = json.loads(finished.stdout.strip().splitlines()[-1])
        row = rows[name]
        print(f"{name:28s} {row['params'] / 1e6:9.2f} M {row['mmacs']:12.1f} MMACs, ratio {row['mmacs_ratio']}")
        RESULTS.mkdir(parents=True, exist_ok=True)
        pd.DataFrame(rows.values()).to_csv(TABLE, index=False)
    table = pd.DataFrame(rows.values())
    table = table.set_index("name").loc[[n for n in keras_classics.list_models() if n in rows]].reset_index()
    table.to_csv(TABLE, index=False)
    cost_chart(table, CHART)
    pinned = table.dropna(subset=["reference_mmacs"])
    worst = (pinned["mmacs_ratio"] - 1).abs().max() if len(pinned) else float("nan")
    print(f"{len(table)} models; {len(pinned)} with reference MACs, largest difference {worst:.4%}; {TABLE}, {CHART}")


if __name__ == "__main__":
    main(sys.argv[1:])
