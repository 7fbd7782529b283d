"""The scripts in examples/ run as a user would run them, and print what the model computes."""

import pathlib
import subprocess
import sys

import numpy as np
import pytest
import tensorflow as tf

import keras_classics
from keras_classics.data import load_digits
from keras_classics.data.augment import center_crop_eval
from keras_classics.export import export_saved_model, export_tflite

EXAMPLES = pathlib.Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """A LeNet-5 taking pixels, its SavedModel and TFLite file, and three digit scans saved as PNG files."""
    folder = tmp_path_factory.mktemp("examples")
    model = keras_classics.lenet5(include_preprocessing=True)
    names = [f"digit {i}" for i in range(10)]
    saved = export_saved_model(model, folder / "lenet5", class_names=names, top_k=3).path
    export_tflite(model, folder / "lenet5.tflite")
    _, (images, _) = load_digits(size=40)  # larger than the input: the scripts resize and crop
    paths = []
    for i, image in enumerate(images[:3]):
        paths.append(str(folder / f"scan{i}.png"))
        tf.io.write_file(paths[-1], tf.io.encode_png(tf.cast(image * 255.0, tf.uint8)))
    yield model, names, folder, saved, paths


def _keras_best(model, paths):
    crops = np.stack([center_crop_eval(tf.io.decode_png(tf.io.read_file(p), channels=1), (32, 32)) for p in paths])
    return np.asarray(model(crops, training=False)).argmax(-1)


def _run(*argv):
    done = subprocess.run([sys.executable, *map(str, argv)], capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_serve_request_answers_like_the_model(exported):
    model, names, _, saved, paths = exported
    out = _run(EXAMPLES / "serve_request.py", *paths, "--model", "lenet5", "--local", saved)
    lines = [line for line in out.splitlines() if line.startswith(tuple(paths))]
    best = _keras_best(model, paths)
    assert [line.split(": ")[1].split(" ")[:2] for line in lines] == [names[i].split(" ") for i in best]


def test_run_tflite_prints_the_models_top_class(exported):
    model, _, folder, _, paths = exported
    out = _run(EXAMPLES / "run_tflite.py", folder / "lenet5.tflite", *paths)
    lines = [line for line in out.splitlines() if line.startswith(tuple(paths))]
    assert [int(line.split(": ")[1].split(" ")[0]) for line in lines] == list(_keras_best(model, paths))


def test_serve_request_builds_the_documented_rest_body(exported):
    sys.path.insert(0, str(EXAMPLES))
    try:
        import serve_request
    finally:
        sys.path.pop(0)
    *_, paths = exported
    body = serve_request.rest_request(paths[:1])
    assert body["signature_name"] == "classify_image_bytes"
    assert list(body["instances"][0]) == ["image_bytes"] and list(body["instances"][0]["image_bytes"]) == ["b64"]
