"""Input-pipeline throughput: images per second a training pipeline delivers, with no model attached.

Runs `image_folder` on a folder of JPEGs (default: ../shared/datasets/cats_vs_dogs) with a preset's training
transform (default `inception`: random resized crop to 224x224 and a flip, the JPEG crop window decoded
alone), batches of 64, and times `--batches` batches after `--warmup` warm-up batches. The data set is
repeated so short folders still give enough batches. Prints images/s; nothing is written.

Usage:
    python benchmarks/pipeline_throughput.py [--folder PATH] [--preset inception] [--size 224]
        [--batch 64] [--batches 10] [--warmup 2] [--full-decode] [--repeats 3]

`--full-decode` decodes each whole JPEG and crops after (the transform applied to decoded images), to show
what decoding only the crop window saves.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from keras_classics.data import folder_source, make_dataset, preset
from keras_classics.data.transform import Transform

DEFAULT_FOLDER = pathlib.Path(__file__).resolve().parents[2] / "shared" / "datasets" / "cats_vs_dogs"


def full_decode(transform):
    """The same transform, but every JPEG decoded whole (no crop window)."""

    def image(image, seed):
        return transform(image, seed)

    return Transform(image=image, batch=transform.batch, mixes_labels=transform.mixes_labels, name="full-decode")


def measure(data, batches, warmup):
    iterator = iter(data.repeat())
    for _ in range(warmup):
        next(iterator)
    count = 0
    start, cpu_start = time.perf_counter(), time.process_time()
    for _ in range(batches):
        images, _ = next(iterator)
        count += int(images.shape[0])
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    return count / wall, count / cpu


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", default=str(DEFAULT_FOLDER))
    parser.add_argument("--preset", default="inception")
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--batches", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--full-decode", action="store_true")
    args = parser.parse_args()

    start = time.perf_counter()
    source = folder_source(args.folder)
    print(f"{len(source)} files checked in {time.perf_counter() - start:.1f} s")
    train, _ = preset(args.preset, size=args.size)
    if args.full_decode:
        train = full_decode(train)
    data = make_dataset(source, args.batch, transform=train, shuffle=True, seed=0)
    runs = [measure(data, args.batches, args.warmup) for _ in range(args.repeats)]
    rates, per_cpu = [r for r, _ in runs], [c for _, c in runs]
    cores = len(os.sched_getaffinity(0))
    print(
        f"preset={args.preset}, {args.size}x{args.size}, batch {args.batch}"
        f"{', full decode' if args.full_decode else ''}; {cores} CPU cores"
    )
    print("images/s per repeat: " + ", ".join(f"{r:.0f}" for r in rates))
    print(f"images/s (best of {args.repeats}): {max(rates):.0f}")
    # Wall-clock rates drop when other processes share the cores; CPU time does not.
    print(
        f"images per CPU-second: {max(per_cpu):.0f} (x {cores} cores = {max(per_cpu) * cores:.0f} images/s "
        "if this process had every core to itself)"
    )


if __name__ == "__main__":
    main()
