"""Transfer learning on cached features: the backbone runs once, the new head trains on the saved vectors.

Takes a trained backbone (a run folder from `keras-classics train`, or a `.keras` file), computes its
features of every image in a folder once and saves them in a cache folder, trains a new softmax head on
them, and reports held-out accuracy and time. Run it twice: the second run reads the cache and only trains
the head. `--compare` also trains the same head through the frozen backbone on the images (no cache), which
reaches the same accuracy, more slowly.

Usage:
    python examples/transfer_cached.py runs/resnet18-cats_vs_dogs --data flowers/ --cache cache/ [--compare]
"""

from __future__ import annotations

import argparse
import os
import tempfile


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("backbone", help="a run folder from keras-classics train, or a .keras file")
    parser.add_argument("--data", required=True, help="one sub-folder per new class")
    parser.add_argument("--cache", required=True, help="where the features are saved (and found next time)")
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--compare", action="store_true", help="also train through the frozen backbone")
    parser.add_argument("--output", default=None, help="run folders go here (default: a temporary folder)")
    args = parser.parse_args(argv)

    from keras_classics.reuse.finetune import finetune
    from keras_classics.weights import load_trained

    output = args.output or tempfile.mkdtemp(prefix="transfer_")
    settings = {"epochs": args.epochs, "batch_size": args.batch_size}
    results = {}
    backbone = load_trained(args.backbone)
    cached = finetune(backbone, args.data, os.path.join(output, "cached"), cache_dir=args.cache, **settings)
    source = "read from the cache" if cached.from_cache else "computed and cached"
    print(f"cached features ({source}): held-out accuracy {cached.accuracy:.4f} in {cached.seconds:.1f} s")
    results["cached"] = cached
    if args.compare:
        frozen = finetune(backbone, args.data, os.path.join(output, "frozen"), **settings)
        print(f"frozen backbone on images: held-out accuracy {frozen.accuracy:.4f} in {frozen.seconds:.1f} s")
        results["frozen"] = frozen
    print(f"run folders in {output} (keras-classics evaluate RUN_DIR --data ... takes them)")
    return results


if __name__ == "__main__":
    main()
