"""Classify image files with an exported TFLite file, as an app on a phone would run it.

Each image is decoded, its shorter side resized and the centre cropped to the file's input size (the
crop `evaluate` and the SavedModel's bytes signature use), then run through the LiteRT interpreter
(`ai-edge-litert`; int8/uint8 inputs are quantized with the file's own scale). Prints the top classes.

Usage:
    python examples/run_tflite.py saved_models/lenet5_int8.tflite seven.png two.png --labels 0 1 2 3 4 5 6 7 8 9
"""

from __future__ import annotations

import argparse

import numpy as np


def load_image(path, height, width, channels):
    import tensorflow as tf

    from keras_classics.data.augment import center_crop_eval

    image = tf.io.decode_image(tf.io.read_file(path), channels=channels, expand_animations=False)
    return center_crop_eval(image, (height, width)).numpy()


def classify(tflite_path, image_paths, top: int = 3):
    """`[(path, [(class index, probability), ...]), ...]` for each image."""
    from keras_classics.export.tflite import make_interpreter, run

    with open(tflite_path, "rb") as file:
        flatbuffer = file.read()
    _, height, width, channels = make_interpreter(flatbuffer).get_input_details()[0]["shape"]
    images = np.stack([load_image(path, height, width, channels) for path in image_paths])
    probabilities, milliseconds = run(flatbuffer, images)
    print(f"{len(images)} images, {milliseconds:.2f} ms each")
    return [
        (path, [(int(i), float(p[i])) for i in np.argsort(-p)[:top]]) for path, p in zip(image_paths, probabilities)
    ]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tflite", help="a .tflite file from `keras-classics export --format tflite`")
    parser.add_argument("images", nargs="+", help="JPEG/PNG/BMP/GIF files")
    parser.add_argument("--labels", nargs="*", help="class names in output order (default: indices)")
    parser.add_argument("--top", type=int, default=3, help="how many classes to print")
    args = parser.parse_args(argv)
    for path, best in classify(args.tflite, args.images, args.top):
        names = [args.labels[i] if args.labels else str(i) for i, _ in best]
        print(f"{path}: " + ", ".join(f"{name} {p:.1%}" for name, (_, p) in zip(names, best)))


if __name__ == "__main__":
    main()
