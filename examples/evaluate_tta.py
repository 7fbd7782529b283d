"""What each test-time augmentation buys: plain, flipped, AlexNet's 10 crops, VGG's scales, and an ensemble.

Evaluates a trained model (a run folder from `keras-classics train`, or a `.keras` file) on an image folder
with every method, and, given a second model, their ensemble (softmax averaged). Prints the table with the
change in top-1 accuracy each method brings over the plain centre crop.

Usage:
    keras-classics train resnet18 --data ../shared/datasets/cats_vs_dogs --epochs 10 --output runs/a
    python examples/evaluate_tta.py runs/a --data ../shared/datasets/cats_vs_dogs --limit 400 [--second runs/b]
"""

from __future__ import annotations

import argparse

import numpy as np

METHODS = ("none", "flip", "ten_crop", "multi_scale")


def read_folder(folder, limit, channels):
    """Every n-th image of the class folders (at most `limit`) as [0, 255] pixels, with its label."""
    import tensorflow as tf

    from keras_classics.data import decode_rgb, folder_source

    source = folder_source(folder, on_bad_file="skip")
    step = max(1, len(source.paths) // limit) if limit else 1
    paths, labels = source.paths[::step][:limit], source.labels[::step][:limit]
    images = [decode_rgb(tf.io.read_file(path)) for path in paths]
    images = [tf.image.rgb_to_grayscale(image) if channels == 1 else image for image in images]
    return [image.numpy() for image in images], np.asarray(labels)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model", help="a run folder from keras-classics train, or a .keras file")
    parser.add_argument("--data", required=True, help="one sub-folder per class, in the model's class order")
    parser.add_argument("--second", help="another model: its ensemble with the first is evaluated too")
    parser.add_argument("--limit", type=int, default=200, help="images spread over the folder (0: all)")
    parser.add_argument("--methods", default=",".join(METHODS), help="comma-separated evaluation.tta methods")
    args = parser.parse_args(argv)

    from keras_classics.evaluation import evaluate
    from keras_classics.weights import load_trained

    models = [load_trained(args.model)] + ([load_trained(args.second)] if args.second else [])
    names = ["first", "second"][: len(models)]
    images, labels = read_folder(args.data, args.limit, models[0].inputs[0].shape[-1])
    table = evaluate(models, images, labels, tta=args.methods.split(","), names=names)
    plain = table[table["method"] == "none"].set_index("model")["top1_accuracy"]
    table["top1_change"] = [row.top1_accuracy - plain.get(row.model, np.nan) for row in table.itertuples()]
    columns = ["model", "method", "views", "top1_accuracy", "top1_change", "images_per_second"]
    print(f"{len(labels)} images of {args.data}")
    print(table[columns].to_string(index=False, float_format="{:.4f}".format))
    return table


if __name__ == "__main__":
    main()
