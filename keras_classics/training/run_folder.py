"""One folder per training run: what was run, what it learned, and where to pick it up again.

    RUN_DIR/
      config.json        the resolved configuration (model, data, recipe, seed...): enough to rerun it
      class_names.json   the label order
      history.csv        one row per completed epoch (loss, accuracy, validation, learning rate)
      state.json         epochs completed and the best validation accuracy so far
      checkpoints/last.keras      model + optimizer state after the last completed epoch (resume point)
      checkpoints/previous.keras  the same one epoch earlier (resume point when last.keras is damaged)
      checkpoints/best.keras      the best model by validation accuracy (averaged weights, if the recipe averages)
      curves.png         loss, accuracy and learning rate per epoch

Every file is written atomically (`keras_classics.io`): a run killed at any moment leaves the previous
complete version of each, never half of one. A checkpoint knows its own epoch (the optimizer's step count
over the steps per epoch), so resuming never trusts state.json about which epoch a file holds.
"""

from __future__ import annotations

import csv
import json
import math
import os
import warnings

import keras

from keras_classics.io import atomic_path
from keras_classics.training.optim import averaged_weights, spans_the_run
from keras_classics.weights import load_keras_file


def write_json(path, value):
    with atomic_path(path) as staged, open(staged, "w") as file:
        json.dump(value, file, indent=1, default=str)


def read_json(path, default=None):
    if not os.path.exists(path):
        return default
    with open(path) as file:
        return json.load(file)


def paths(run_dir):
    checkpoints = os.path.join(run_dir, "checkpoints")
    return {
        "config": os.path.join(run_dir, "config.json"),
        "classes": os.path.join(run_dir, "class_names.json"),
        "history": os.path.join(run_dir, "history.csv"),
        "state": os.path.join(run_dir, "state.json"),
        "last": os.path.join(checkpoints, "last.keras"),
        "previous": os.path.join(checkpoints, "previous.keras"),
        "best": os.path.join(checkpoints, "best.keras"),
        "curves": os.path.join(run_dir, "curves.png"),
    }


def read_history(path):
    """The rows of history.csv as dicts of floats (an empty list when there is none)."""
    if not os.path.exists(path):
        return []
    with open(path, newline="") as file:
        return [
            {key: int(value) if key == "epoch" else float(value) for key, value in row.items()}
            for row in csv.DictReader(file)
        ]


def settings_to_resume(files, run_dir, stated: dict) -> dict:
    """`stated` (the caller's `data`, `recipe`, `epochs`, `batch_size`, `image_size`, `seed`; None where left
    out) completed from the run's config.json: what a resumed run trains with.

    A resumed run goes on with the optimizer and schedule its checkpoint holds, the data order of its seed and
    the batches of its size; a different value would quietly train something else, so each one stated
    differently is refused, naming the run's. Only `epochs` may change, and only where the run's optimizer
    does not depend on it (`optim.spans_the_run`: a plateau, constant or exponential schedule without a
    weight average), which extends or shortens the run. Without a config.json (a run folder from before it
    was written) `stated` is returned as it is.

    Example:
        >>> settings_to_resume({"config": "/nonexistent/config.json"}, "runs/x", {"epochs": 3})
        {'epochs': 3}
    """
    recorded = read_json(files["config"])
    if recorded is None:
        return dict(stated)
    recipe = recorded.get("recipe") or {}
    runs = {key: recorded.get(key) for key in stated} | {"recipe": recipe.get("name")}
    extendable = not spans_the_run(recipe.get("schedule"), recipe.get("weight_averaging") or 0.0)
    fixed = set(stated) - ({"epochs"} if extendable else set())
    resolved = {}
    for key, value in stated.items():
        theirs = runs.get(key)
        if key in fixed and value is not None and theirs is not None and value != theirs:
            raise ValueError(
                f"resume: the run in {run_dir!r} was started with {key} {theirs!r}, not {value!r}; leave {key} "
                "out to continue it as it was, or start a new run (another run folder) to train differently"
            )
        resolved[key] = theirs if value is None else value
    return resolved


def load_resume_point(files, steps_per_epoch: int):
    """(model, epochs completed) from the newest checkpoint that loads: last.keras, else previous.keras.

    A damaged last.keras (truncated, corrupted) is reported with a warning naming it and the error, and the
    run resumes one epoch earlier from previous.keras. Raises ValueError when no checkpoint loads.
    """
    problems = []
    for key in ("last", "previous"):
        path = files[key]
        if not os.path.exists(path):
            continue
        try:
            model = load_keras_file(path, compile=True)
        except Exception as error:  # noqa: BLE001 - any failure to read the file is reported the same way
            problems.append(f"{path}: {error}")
            warnings.warn(f"checkpoint {path} cannot be read ({error}); trying the one before it", stacklevel=2)
            continue
        steps = int(keras.ops.convert_to_numpy(model.optimizer.iterations))
        if steps % steps_per_epoch:
            raise ValueError(
                f"{path} holds {steps} training steps, not a whole number of epochs of {steps_per_epoch} steps: "
                "resume with the batch size and data the run started with"
            )
        if problems:
            warnings.warn(f"resuming from {path} (epoch {steps // steps_per_epoch})", stacklevel=2)
        return model, steps // steps_per_epoch
    found = "; ".join(problems) or f"no {files['last']} or {files['previous']}"
    raise ValueError(f"resume: no readable checkpoint ({found})")


class RunCheckpoint(keras.callbacks.Callback):
    """After each epoch, atomically: the history row, last.keras (the old one kept as previous.keras),
    best.keras on improvement, then state.json.

    A kill at any moment leaves at least one whole checkpoint that knows its epoch; resuming from it repeats
    at most one epoch, and history.csv is rewritten from the rows of completed epochs, so no epoch appears
    twice. `writes=False` (a multi-worker run's non-chief workers) keeps the rows and writes nothing.
    `network`: the model best.keras holds when `fit` trains a wrapper around it (`HiddenMixing`); last.keras
    and previous.keras hold what `fit` trains, to resume it.
    """

    def __init__(self, run_dir, monitor="val_accuracy", rows=None, best=None, writes: bool = True, network=None):
        super().__init__()
        self.network = network
        self.files = paths(run_dir)
        self.monitor = monitor
        self.rows = list(rows or [])
        self.best = best
        self.writes = writes

    def on_epoch_end(self, epoch, logs=None):
        logs = dict(logs or {})
        if not math.isfinite(float(logs.get("loss", 0.0))):
            return  # a diverged epoch (stopped by StopOnDivergence) must not replace the last good checkpoint
        logs["learning_rate"] = float(keras.ops.convert_to_numpy(self.model.optimizer.learning_rate))
        self.rows = [row for row in self.rows if int(row["epoch"]) < epoch] + [{"epoch": epoch, **logs}]
        if not self.writes:
            return
        with atomic_path(self.files["history"]) as staged, open(staged, "w", newline="") as file:
            columns = list(dict.fromkeys(key for row in self.rows for key in row))
            writer = csv.DictWriter(file, columns)
            writer.writeheader()
            writer.writerows(self.rows)
        os.makedirs(os.path.dirname(self.files["last"]), exist_ok=True)
        with atomic_path(self.files["last"]) as staged:
            self.model.save(staged)
            # Only once the new file is whole: a failed write (full disk) leaves both old files as they were.
            if os.path.exists(self.files["last"]):
                os.replace(self.files["last"], self.files["previous"])
        score = logs.get(self.monitor)
        if score is not None and (self.best is None or score > self.best):
            self.best = float(score)
            with atomic_path(self.files["best"]) as staged, averaged_weights(self.model):
                (self.network or self.model).save(staged)  # the averaged weights, when the recipe keeps an average
        write_json(self.files["state"], {"epochs_completed": epoch + 1, "best": self.best, "monitor": self.monitor})


def plot_curves(history_rows, path) -> bool:
    """curves.png: loss, accuracy and learning rate per epoch. False when matplotlib is missing."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    epochs = [int(row["epoch"]) + 1 for row in history_rows]
    keys = [key for row in history_rows for key in row]
    # a model with auxiliary classifiers logs its main output's accuracy under the output's name
    accuracy = next((key for key in keys if key.endswith("accuracy") and not key.startswith("val_")), "accuracy")
    figure, axes = plt.subplots(1, 3, figsize=(13, 3.6))
    for ax, key in zip(axes, ("loss", accuracy)):
        for prefix, style in (("", "-"), ("val_", "--")):
            if any(prefix + key in row for row in history_rows):
                ax.plot(epochs, [row.get(prefix + key) for row in history_rows], style, label=prefix + key or key)
        ax.set_xlabel("epoch")
        ax.set_title(key)
        ax.legend()
    axes[2].plot(epochs, [row.get("learning_rate") for row in history_rows])
    axes[2].set_title("learning rate")
    axes[2].set_xlabel("epoch")
    figure.tight_layout()
    with atomic_path(path) as staged:
        figure.savefig(staged, format="png", dpi=90)
    plt.close(figure)
    return True
