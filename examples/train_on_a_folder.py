"""Training a zoo network from scratch on your own photographs: one sub-folder per class.

    photos/
      cats/ 0001.jpg 0002.jpg ...
      dogs/ 0001.jpg ...

A seeded, stratified fifth of the photos is held out. The `small_photos` recipe (AdamW, cosine schedule,
Inception's random resized crops) suits a few thousand photos; `--recipe` takes any other
(`keras-classics train --help` lists them). The run folder gets the settings, the history, `curves.png` and the
checkpoints; then the best checkpoint classifies a few of the photos, as you would use it afterwards.

Usage:
    python examples/train_on_a_folder.py photos/ [--model resnet18] [--image-size 96] [--epochs 30]
"""

from __future__ import annotations

import argparse
import json
import os


def classify(model_path, class_names, paths, size):
    """The top class of each photo, with the evaluation crop `train` validated with."""
    import numpy as np
    import tensorflow as tf

    from keras_classics.data import decode_rgb
    from keras_classics.data.augment import center_crop_eval
    from keras_classics.weights import load_trained

    model = load_trained(model_path)
    crops = np.stack([center_crop_eval(decode_rgb(tf.io.read_file(path)), size).numpy() for path in paths])
    probabilities = np.asarray(model.predict(crops.astype("float32"), verbose=0))
    probabilities = probabilities[0] if isinstance(probabilities, list) else probabilities
    return [(class_names[i], float(p[i])) for p, i in zip(probabilities, probabilities.argmax(-1))]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", help="one sub-folder of images per class")
    parser.add_argument("--model", default="resnet18")
    parser.add_argument("--recipe", default="small_photos")
    parser.add_argument("--image-size", type=int, default=96)
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--batch-size", type=int, default=None, help="default: the recipe's")
    parser.add_argument("--run-dir", default=None, help="default: runs/MODEL-FOLDER")
    args = parser.parse_args(argv)

    from keras_classics.training import train

    result = train(
        args.model,
        args.folder,
        recipe_name=args.recipe,
        image_size=args.image_size,
        epochs=args.epochs,
        batch_size=args.batch_size,
        run_dir=args.run_dir,
        export_dir=None,
        verbose=2,
    )
    print(f"held-out accuracy {result.test_accuracy:.4f}")
    print(f"run folder {result.run_dir}: {', '.join(sorted(os.listdir(result.run_dir)))}")

    with open(os.path.join(result.run_dir, "class_names.json")) as file:
        class_names = json.load(file)
    photos = sorted(
        os.path.join(args.folder, name, file)
        for name in class_names
        for file in sorted(os.listdir(os.path.join(args.folder, name)))[:2]
    )
    best = os.path.join(result.run_dir, "checkpoints", "best.keras")
    for path, (name, probability) in zip(photos, classify(best, class_names, photos, args.image_size)):
        print(f"{path}: {name} ({probability:.2f})")
    return result


if __name__ == "__main__":
    main()
