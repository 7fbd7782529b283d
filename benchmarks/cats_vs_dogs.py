"""A network trained from scratch on real photographs, then evaluated every way the package offers.

On `../shared/datasets/cats_vs_dogs` (2,000 photos; a seeded, stratified fifth held out): trains `--model`
twice (two seeds) with the `inception` augmentation preset, then reports on the held-out photos

- the accuracy of each run and the time it took;
- each test-time augmentation method (`evaluation.tta`) and the two runs as an ensemble;
- the float32, dynamic-range and int8 TFLite files' agreement with the Keras model (int8 calibrated on
  training photos), with their sizes.

Writes `benchmarks/results/cats_vs_dogs.json` and prints the tables.

Usage:
    python benchmarks/cats_vs_dogs.py [--model resnet18] [--size 112] [--epochs 20]
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import numpy as np
import tensorflow as tf

import keras_classics
from keras_classics.data import decode_rgb, folder_source, image_folder, preset
from keras_classics.data.augment import center_crop_eval
from keras_classics.evaluation import evaluate
from keras_classics.export import export_tflite

ROOT = pathlib.Path(__file__).resolve().parents[1]
PHOTOS = ROOT.parent / "shared" / "datasets" / "cats_vs_dogs"
RESULTS = ROOT / "benchmarks" / "results"


def train_once(name, size, epochs, batch_size, learning_rate, seed):
    keras.utils.set_random_seed(seed)
    train, held_out = image_folder(
        PHOTOS,
        validation_split=0.2,
        subset="both",
        seed=0,
        batch_size=batch_size,
        transform=preset("inception", size=size),
    )
    model = keras_classics.create_model(name, input_shape=(size, size, 3), classes=2, include_preprocessing=True)
    steps = epochs * int(train.cardinality())
    schedule = keras.optimizers.schedules.CosineDecay(0.0, steps, warmup_target=learning_rate, warmup_steps=steps // 20)
    model.compile(
        optimizer=keras.optimizers.AdamW(schedule, weight_decay=0.05),
        loss=keras.losses.SparseCategoricalCrossentropy(),
        metrics=["accuracy"],
    )
    start = time.perf_counter()
    model.fit(train, validation_data=held_out, epochs=epochs, verbose=2)
    seconds = time.perf_counter() - start
    _, accuracy = model.evaluate(held_out, verbose=0)
    return model, float(accuracy), seconds


def held_out_photos(size, limit=None):
    """The held-out photos, decoded (full size, for the TTA views) and their labels."""
    _, validation = folder_source(PHOTOS, validation_split=0.2, subset="both", seed=0)
    paths, labels = validation.paths[:limit], np.asarray(validation.labels[:limit])
    return [decode_rgb(tf.io.read_file(p)).numpy() for p in paths], labels


def training_crops(size, count=200):
    training, _ = folder_source(PHOTOS, validation_split=0.2, subset="both", seed=0)
    paths = training.paths[:: max(1, len(training.paths) // count)][:count]
    return np.stack([center_crop_eval(decode_rgb(tf.io.read_file(p)), size).numpy() for p in paths]).astype("float32")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default="resnet18")
    parser.add_argument("--size", type=int, default=112)
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--learning-rate", type=float, default=2e-3)
    parser.add_argument("--tta", nargs="*", default=["none", "flip", "ten_crop", "multi_scale", "multi_crop"])
    args = parser.parse_args()
    if not PHOTOS.is_dir():
        raise SystemExit(f"needs {PHOTOS}")
    runs = [
        train_once(args.model, args.size, args.epochs, args.batch_size, args.learning_rate, seed) for seed in (0, 1)
    ]
    for i, (_, accuracy, seconds) in enumerate(runs):
        print(f"run {i}: held-out accuracy {accuracy:.2%} after {seconds / 60:.1f} min of training")
    images, labels = held_out_photos(args.size)
    table = evaluate([m for m, _, _ in runs], images, labels, tta=args.tta, names=["run 0", "run 1"])
    print(table.drop(columns=["top5_accuracy", "top5_error"]).to_string(index=False, float_format="{:.4f}".format))
    crops = np.stack([center_crop_eval(image, args.size).numpy() for image in images]).astype("float32")
    calibration = training_crops(args.size)
    quantized = []
    with tempfile.TemporaryDirectory() as scratch:
        for mode in ("none", "dynamic", "int8"):
            report = export_tflite(
                runs[0][0],
                os.path.join(scratch, f"{mode}.tflite"),
                quantize=mode,
                representative=calibration if mode == "int8" else None,
                check_images=crops,
            )
            print(report)
            quantized.append(
                {
                    "mode": mode,
                    "bytes": report.size_bytes,
                    "max_relative_difference": report.max_relative_difference,
                    "top1_agreement": report.top1_agreement,
                    "latency_ms": report.latency_ms,
                }
            )
    result = {
        "model": args.model,
        "size": args.size,
        "epochs": args.epochs,
        "runs": [{"accuracy": a, "train_seconds": s} for _, a, s in runs],
        "held_out": len(labels),
        "tta": table.drop(columns=[]).to_dict(orient="records"),
        "tflite": quantized,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "cats_vs_dogs.json").write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
