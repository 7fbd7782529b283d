"""Transfer from a backbone trained by `train` against training from scratch, on real photographs.

`../shared/datasets/cats_vs_dogs` is split in two halves of 1,000 photos (every other file of each class):
half A trains the backbone (`train`: ResNet-18 at 96x96, the `small_photos` recipe); on half B (a seeded fifth
held out, the same fifth `train` and `finetune` both hold out) the script compares

- training the same network from scratch with the same recipe and epochs;
- a new head on the backbone's cached features (`finetune --cache`), run twice: features computed, then read;
- the same head trained through the frozen backbone on the images (no cache);
- the cached head followed by fine-tuning the last stage.

The halves share their two classes, so this measures how much of the backbone's training carries over to
photos it never saw, and what each way costs; a new label set would need a second data set.
Writes `benchmarks/results/transfer_cats_vs_dogs.json`.

Usage:
    python benchmarks/transfer_cats_vs_dogs.py [--epochs 15] [--head-epochs 30] [--work /tmp/transfer]
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
PHOTOS = ROOT.parent / "shared" / "datasets" / "cats_vs_dogs"
RESULT = ROOT / "benchmarks" / "results" / "transfer_cats_vs_dogs.json"


def split_halves(work):
    """Folders A and B of symlinks: every other photo of each class."""
    halves = {"A": work / "A", "B": work / "B"}
    for class_name in sorted(os.listdir(PHOTOS)):
        files = sorted(os.listdir(PHOTOS / class_name))
        for half, offset in (("A", 0), ("B", 1)):
            (halves[half] / class_name).mkdir(parents=True, exist_ok=True)
            for name in files[offset::2]:
                link = halves[half] / class_name / name
                if not link.exists():
                    link.symlink_to(PHOTOS / class_name / name)
    return halves


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--head-epochs", type=int, default=30)
    parser.add_argument("--work", default="/tmp/transfer_cats_vs_dogs")
    args = parser.parse_args()

    from keras_classics.reuse.finetune import finetune
    from keras_classics.training import train
    from keras_classics.weights import load_trained

    work = pathlib.Path(args.work)
    halves = split_halves(work)
    recipe = {"recipe_name": "small_photos", "image_size": 96, "epochs": args.epochs, "export_dir": None, "verbose": 0}
    results = {"model": "resnet18", "size": 96, "epochs": args.epochs, "head_epochs": args.head_epochs}

    def timed_train(half, label):
        started = time.perf_counter()
        result = train("resnet18", dataset=str(halves[half]), run_dir=str(work / label), **recipe)
        results[label] = {"accuracy": result.test_accuracy, "seconds": time.perf_counter() - started}
        print(f"{label}: {result.test_accuracy:.4f} in {results[label]['seconds']:.0f} s", flush=True)

    timed_train("A", "backbone_on_A")
    timed_train("B", "scratch_on_B")
    backbone = load_trained(work / "backbone_on_A")
    head = {"epochs": args.head_epochs, "batch_size": 32, "learning_rate": 1e-3}
    runs = {
        "cached_first": {"cache_dir": work / "cache", **head},
        "cached_second": {"cache_dir": work / "cache", **head},
        "frozen_on_images": head,
        "cached_then_fine_tune_last_stage": {"cache_dir": work / "cache", "fine_tune_epochs": 5, **head},
    }
    for label, options in runs.items():
        result = finetune(backbone, halves["B"], work / label, **options)
        results[label] = {"accuracy": result.accuracy, "seconds": result.seconds, "from_cache": result.from_cache}
        print(f"{label}: {result.accuracy:.4f} in {result.seconds:.0f} s (cache: {result.from_cache})", flush=True)
    RESULT.write_text(json.dumps(results, indent=1) + "\n")
    print(f"written {RESULT}")


if __name__ == "__main__":
    main()
