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


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A small ResNet-18 saved as .keras (as `train` leaves one) and a three-class image folder."""
    from zoo_helpers import write_colour_folder

    folder = tmp_path_factory.mktemp("reuse")
    model = keras_classics.resnet18(input_shape=(32, 32, 3), classes=3, include_preprocessing=True)
    model.save(folder / "resnet18.keras")
    return folder / "resnet18.keras", write_colour_folder(folder / "colours")


def test_evaluate_tta_prints_each_method_and_the_ensemble(trained):
    model, colours = trained
    out = _run(EXAMPLES / "evaluate_tta.py", model, "--data", colours, "--second", model, "--methods", "none,flip")
    # Columns: model (one word, or "ensemble of 2"), method, views, top1_accuracy, top1_change, images/s.
    rows = [line.split() for line in out.splitlines() if line.strip().startswith(("first", "second", "ensemble"))]
    assert [(row[0], row[-5]) for row in rows] == [
        ("first", "none"), ("second", "none"), ("ensemble", "none"),
        ("first", "flip"), ("second", "flip"), ("ensemble", "flip"),
    ]  # fmt: skip
    # The same model twice: its ensemble is itself, and a method's change against "none" is its own.
    assert rows[0][-3:-1] == rows[1][-3:-1] == rows[2][-3:-1]
    assert [row[-2] for row in rows[:3]] == ["0.0000"] * 3  # "none" against itself


def test_transfer_cached_reads_its_cache_the_second_time(trained, tmp_path):
    model, colours = trained
    argv = [EXAMPLES / "transfer_cached.py", model, "--data", colours, "--cache", tmp_path / "cache", "--epochs", "2"]
    first = _run(*argv, "--output", tmp_path / "one")
    second = _run(*argv, "--output", tmp_path / "two")
    assert "(computed and cached)" in first and "(read from the cache)" in second
    accuracy = [line.split("accuracy ")[1].split()[0] for line in (first + second).splitlines() if "accuracy" in line]
    assert len(accuracy) == 2 and accuracy[0] == accuracy[1]  # same features, same seed: the same head


def test_retrieve_similar_finds_the_query_itself_first(trained, tmp_path):
    model, colours = trained
    query = str(colours / "green" / "3.png")
    argv = [EXAMPLES / "retrieve_similar.py", model, "--index", colours, "--query", query, "--top", "3"]
    first = _run(*argv, "--saved-index", tmp_path / "index.npz")
    again = _run(*argv, "--saved-index", tmp_path / "index.npz")
    assert "indexed 36 images" in first and "index of 36 images read from" in again
    hits = [line.split() for line in again.splitlines() if line.startswith(query)]
    assert len(hits) == 3 and hits[0][1:3] == ["1", query] and float(hits[0][3]) < 1e-4


def test_train_on_a_folder_trains_saves_the_run_and_classifies_photos(tmp_path, two_class_photos):
    import csv
    import json

    run_dir = tmp_path / "run"
    out = _run(
        EXAMPLES / "train_on_a_folder.py", two_class_photos, "--image-size", "32", "--epochs", "2",
        "--batch-size", "4", "--run-dir", run_dir,
    )
    assert json.loads((run_dir / "class_names.json").read_text()) == ["dark", "light"]
    with open(run_dir / "history.csv") as file:
        rows = list(csv.DictReader(file))
    assert [row["epoch"] for row in rows] == ["0", "1"] and (run_dir / "curves.png").exists()
    accuracy = float(out.split("held-out accuracy ")[1].split()[0])
    assert 0.0 <= accuracy <= 1.0
    answers = [line for line in out.splitlines() if line.startswith(str(two_class_photos))]
    assert len(answers) == 4 and all(line.split(": ")[1].split(" ")[0] in ("dark", "light") for line in answers)


def test_resume_after_a_crash_loses_no_epoch_and_ends_on_the_uninterrupted_weights(tmp_path):
    out = _run(EXAMPLES / "resume_after_a_crash.py", "--epochs", "3", "--run-dir", tmp_path / "run", "--compare")
    assert "killed the run with SIGKILL after 1 completed epoch" in out or "after 2 completed epoch" in out
    assert "epochs [0, 1, 2] in history.csv" in out
    assert float(out.rsplit("largest weight difference ", 1)[1].split()[0]) == 0.0
