"""TFDS sets as sources and as `train`'s `tfds:NAME` data, offline through TFDS' mock data."""

import json
import sys
import types

import numpy as np
import pytest

tfds = pytest.importorskip("tensorflow_datasets")

from keras_classics.data import decode_rgb, make_dataset, preset, tfds_source  # noqa: E402
from keras_classics.data import tfds as tfds_module  # noqa: E402

FLOWERS = ("dandelion", "daisy", "tulips", "sunflowers", "roses")  # tf_flowers' label names, in TFDS' order


def mock(examples=12):
    return tfds.testing.mock_data(num_examples=examples, policy=tfds.testing.MockPolicy.USE_CODE)


def test_a_tfds_split_becomes_an_encoded_source_that_the_pipeline_decodes():
    with mock():
        source = tfds_source("tf_flowers", "train")
        records = list(tfds.load("tf_flowers", split="train", as_supervised=True).as_numpy_iterator())
    assert source.class_names == FLOWERS and len(source) == 12
    assert source.paths is None and source.images is None and len(source.encoded) == 12
    assert source.labels.tolist() == [int(label) for _, label in records]  # the set's order, its labels
    for contents, (image, _) in zip(source.encoded, records):
        np.testing.assert_array_equal(decode_rgb(contents).numpy(), image)  # the same pixels TFDS decodes
    train_transform, _ = preset("inception", size=48)
    batches = [make_dataset(source, batch_size=5, transform=train_transform, shuffle=True, seed=3) for _ in range(2)]
    first, second = ([(x.numpy(), y.numpy()) for x, y in b] for b in batches)
    assert [x.shape for x, _ in first] == [(5, 48, 48, 3), (5, 48, 48, 3), (2, 48, 48, 3)]
    for (x1, y1), (x2, y2) in zip(first, second):  # seeded: the same batches
        np.testing.assert_array_equal(x1, x2)
        np.testing.assert_array_equal(y1, y2)
    assert sorted(np.concatenate([y for _, y in first]).tolist()) == sorted(source.labels.tolist())


def test_tfds_errors_name_the_set_and_what_to_do(tmp_path, monkeypatch):
    with pytest.raises(ValueError, match="unknown TFDS data set 'no_such_set'"):
        tfds_source("no_such_set")
    with pytest.raises(ValueError, match=r"'tf_flowers' is not prepared in .*download_and_prepare.*never downloads"):
        tfds_source("tf_flowers", data_dir=str(tmp_path))
    with pytest.raises(ValueError, match="'imdb_reviews' is not an image-classification set"):
        tfds_source("imdb_reviews")
    monkeypatch.setitem(sys.modules, "tensorflow_datasets", None)
    with pytest.raises(ImportError, match=r"pip install 'keras-classics\[datasets\]'"):
        tfds_source("tf_flowers")


@pytest.mark.parametrize(
    "splits,held_out",
    [(("train", "validation", "test"), "validation"), (("train", "test"), "test"), (("train",), None)],
)
def test_train_holds_out_the_validation_split_else_the_test_split(monkeypatch, splits, held_out):
    builder = types.SimpleNamespace(info=types.SimpleNamespace(splits=dict.fromkeys(splits)))
    monkeypatch.setattr(tfds_module, "_builder", lambda name, data_dir=None: builder)
    assert tfds_module.held_out_split("any") == held_out


def test_train_on_a_tfds_set(tmp_path):
    from keras_classics.training import train

    run = tmp_path / "run"
    with mock(20):  # the mock has no split sizes, so a seeded fifth of train is held out
        result = train(
            "squeezenet1_1", "tfds:tf_flowers", epochs=1, batch_size=4, image_size=32, run_dir=str(run),
            export_dir=None, verbose=0,
        )  # fmt: skip
    assert 0.0 <= result.test_accuracy <= 1.0
    assert json.loads((run / "config.json").read_text())["data"] == "tfds:tf_flowers"
    assert tuple(json.loads((run / "class_names.json").read_text())) == FLOWERS
    assert len(result.history["loss"]) == 1 and np.isfinite(result.history["loss"][0])
