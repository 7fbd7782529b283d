"""Every registered model exported to a TF Serving SavedModel and to TFLite in each mode, checked, tabulated.

Each model runs in its own process (memory goes back between models) at its default input size with 1,000
classes, random weights (seed 0) and logits out (`classifier_activation=None`); the check images (and the
int8 calibration set) are real photographs from `../shared/datasets/cats_vs_dogs` when it is there, random
pixels otherwise. One JSON file per model goes to `benchmarks/results/export_sweep/`, so a sweep that is
stopped resumes where it was (`--redo` starts a model again). `--table` writes the Markdown table into the
README between its sweep markers. `--jobs N` sweeps N models at once: mind the memory of the large ones.

What is measured per model: the SavedModel check (both signatures against the Keras model), and per TFLite
mode the op set (built-in ops only, or why not), the file size, the largest relative difference (float32,
float16) or the top-1 agreement with the float model (dynamic, int8: random weights make this a check of the
plumbing, not of accuracy), and the XNNPACK latency of one image on this machine's CPU.

Usage:
    python benchmarks/export_sweep.py ['resnet*' ...] [--images 32] [--jobs 2] [--redo]
    python benchmarks/export_sweep.py --table
"""

from __future__ import annotations

import argparse
import concurrent.futures
import fnmatch
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import time
import traceback

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

ROOT = pathlib.Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "export_sweep"
PHOTOS = ROOT.parent / "shared" / "datasets" / "cats_vs_dogs"
README = ROOT / "README.md"
MARKERS = ("<!-- export-sweep:start -->", "<!-- export-sweep:end -->")
MODES = ("none", "float16", "dynamic", "int8")


def photos(shape, count):
    """`count` real photographs centre-cropped to `shape`, or random pixels without ../shared."""
    import numpy as np

    if not PHOTOS.is_dir():
        return np.random.default_rng(0).uniform(0, 255, (count, *shape)).astype("float32"), "random pixels"
    import tensorflow as tf

    files = sorted(PHOTOS.glob("*/*.jpg"))[:: max(1, 2000 // count)][:count]
    images = []
    for path in files:
        image = tf.io.decode_jpeg(tf.io.read_file(str(path)), channels=shape[-1])
        side = min(image.shape[0], image.shape[1])
        top, left = (image.shape[0] - side) // 2, (image.shape[1] - side) // 2
        square = image[top : top + side, left : left + side]
        images.append(tf.image.resize(square, shape[:2], antialias=True).numpy())
    return np.clip(np.stack(images), 0, 255).astype("float32"), f"{len(files)} cats_vs_dogs photos"


def sweep_one(name, count):
    import keras_classics
    from keras_classics.export import TFLiteConversion, export_saved_model

    # Logits out: a random network's softmax is about 1/1000 for every class, below the int8 output's step
    # (1/256), so a softmax file's int8 top-1 would be a tie; logits keep the comparison meaningful.
    # The SavedModel's signatures apply the softmax themselves (`export.serving`).
    import keras

    keras.utils.set_random_seed(0)  # the same random weights on every run, so a row can be reproduced
    model = keras_classics.create_model(name, classifier_activation=None)
    shape = tuple(model.inputs[0].shape[1:])
    images, source = photos(shape, count)
    result = {"name": name, "input": list(shape), "images": source, "params": int(model.count_params())}
    result.update(seed=0, commit=_commit())
    with tempfile.TemporaryDirectory() as scratch:
        start = time.perf_counter()
        try:
            report = export_saved_model(model, os.path.join(scratch, "serving"), sample=images[:4])
            result["saved_model"] = {
                "ok": True,
                "max_difference": report.max_difference,
                "bytes_max_difference": report.bytes_max_difference,
            }
        except Exception as error:  # noqa: BLE001 - the table says why
            result["saved_model"] = {"ok": False, "why": f"{type(error).__name__}: {error}"[:300]}
        result["saved_model"]["seconds"] = round(time.perf_counter() - start, 1)
        with TFLiteConversion(model, representative=images, check_images=images) as conversion:
            for mode in MODES:
                start = time.perf_counter()
                try:
                    report = conversion.export(os.path.join(scratch, f"{mode}.tflite"), mode)
                    result[mode] = {
                        "ok": True,
                        "ops": sorted(report.ops),
                        "float_ops": sorted(set(report.float_ops)),
                        "bytes": report.size_bytes,
                        "max_relative_difference": report.max_relative_difference,
                        "top1_agreement": report.top1_agreement,
                        "latency_ms": report.latency_ms,
                    }
                except Exception as error:  # noqa: BLE001
                    result[mode] = {"ok": False, "why": f"{type(error).__name__}: {error}"[:300]}
                result[mode]["seconds"] = round(time.perf_counter() - start, 1)
    return result


def _commit():
    """The code a row was made with: the checkout's commit, `-dirty` when files other than results differed."""
    def git(*args):
        return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=False).stdout

    commit = git("rev-parse", "--short", "HEAD").strip() or "unknown"
    changed = git("status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)benchmarks/results")
    return commit + ("-dirty" if changed.strip() else "")


def run_sweep(patterns, count, redo, timeout, jobs):
    sys.modules.setdefault("triton", None)
    import keras_classics

    names = [n for n in keras_classics.list_models() if any(fnmatch.fnmatch(n, p) for p in patterns)]
    names.sort(key=lambda n: keras_classics.model_info(n).params)  # small first: a stopped sweep covers the most
    RESULTS.mkdir(parents=True, exist_ok=True)
    todo = [(i, name) for i, name in enumerate(names, 1) if redo or not (RESULTS / f"{name}.json").exists()]

    def sweep(item):
        i, name = item
        print(f"[{i}/{len(names)}] {name} ...", flush=True)
        start = time.perf_counter()
        command = [sys.executable, __file__, "--one", name, "--images", str(count)]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
            failure = None if done.returncode == 0 else done.stderr[-600:]
        except subprocess.TimeoutExpired:
            failure = f"over {timeout} s"
        if failure:
            (RESULTS / f"{name}.json").write_text(json.dumps({"name": name, "error": failure}, indent=1))
        print(f"    {name}: {time.perf_counter() - start:.0f} s{'; FAILED: ' + failure if failure else ''}", flush=True)

    # Each model is its own process: `jobs` of them at once share the machine's cores and memory.
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(sweep, todo))


def why(message):
    """A failure in a few words: the measured difference and its limit when a check failed."""
    found = re.search(r"differ from the Keras model's by (\S+) of the largest output \(> (\S+)\)", message)
    if found:
        return f"differs by {found[1]} (limit {found[2]})"
    return message.removeprefix("ValueError: ")[:60].replace("|", "/")


def table(results):
    header = (
        "| model | SavedModel | TFLite ops (built-in) | float32 MB / max rel. diff | float16 MB "
        "| dynamic MB / top-1 agr. | int8 MB / top-1 agr. / float islands | XNNPACK ms (f32 / int8) |"
    )
    lines = [header, "|" + "---|" * 8]
    for r in results:
        if "error" in r:
            lines.append(f"| {r['name']} | sweep failed: {r['error'].splitlines()[-1][:80]} |" + " |" * 6)
            continue

        def cell(mode, extra, r=r):
            m = r[mode]
            return f"{m['bytes'] / 2**20:,.1f}{extra(m)}" if m["ok"] else "no: " + why(m["why"])

        saved = "yes" if r["saved_model"]["ok"] else "no: " + r["saved_model"]["why"][:60]
        ops = len(r["none"]["ops"]) if r["none"]["ok"] else "-"
        f32 = cell("none", lambda m: f" / {m['max_relative_difference']:.0e}")
        f16 = cell("float16", lambda m: "")
        dyn = cell("dynamic", lambda m: f" / {m['top1_agreement']:.0%}")
        int8 = cell("int8", lambda m: f" / {m['top1_agreement']:.0%} / {', '.join(m['float_ops']) or 'none'}")
        latency = " / ".join(f"{r[m]['latency_ms']:.1f}" if r[m]["ok"] else "-" for m in ("none", "int8"))
        lines.append(f"| {r['name']} | {saved} | {ops} kinds | {f32} | {f16} | {dyn} | {int8} | {latency} |")
    return "\n".join(lines)


def write_table():
    results = [json.loads(p.read_text()) for p in sorted(RESULTS.glob("*.json"))]
    text = README.read_text()
    start, end = text.index(MARKERS[0]) + len(MARKERS[0]), text.index(MARKERS[1])
    README.write_text(text[:start] + "\n" + table(results) + "\n" + text[end:])
    print(f"README table: {len(results)} models")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("patterns", nargs="*", default=["*"], help="model name patterns (default: every model)")
    parser.add_argument("--images", type=int, default=32, help="check / calibration images per model")
    parser.add_argument("--redo", action="store_true", help="sweep models that already have a result again")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds per model")
    parser.add_argument("--jobs", type=int, default=1, help="models swept at once (each its own process)")
    parser.add_argument("--table", action="store_true", help="write the README table from the results")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.table:
        return write_table()
    if args.one:
        try:
            result = sweep_one(args.one, args.images)
        except Exception:  # noqa: BLE001 - recorded, the sweep goes on
            result = {"name": args.one, "error": traceback.format_exc()[-600:]}
        (RESULTS / f"{args.one}.json").write_text(json.dumps(result, indent=1))
        return None
    return run_sweep(args.patterns, args.images, args.redo, args.timeout, args.jobs)


if __name__ == "__main__":
    main()
