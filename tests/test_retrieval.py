"""Image retrieval: a photo's own flipped copy is its nearest neighbour among other photos."""

import numpy as np
import pytest
import tensorflow as tf
from zoo_helpers import SHARED

import keras_classics
from keras_classics.reuse import ImageIndex, contact_sheet, embedding_model, load_images

PHOTOS = SHARED / "datasets" / "cats_vs_dogs"


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    if not PHOTOS.is_dir():
        pytest.skip("../shared/datasets/cats_vs_dogs is absent (a user's clone has none)")
    root = tmp_path_factory.mktemp("index")
    for kind in ("cats", "dogs"):
        (root / kind).mkdir()
        for i in range(1, 13):
            name = f"{kind[:-1]}.{i}.jpg"
            (root / kind / name).write_bytes((PHOTOS / kind / name).read_bytes())
    query = PHOTOS / "cats" / "cat.0.jpg"
    flipped = tf.image.flip_left_right(tf.io.decode_jpeg(tf.io.read_file(str(query))))
    tf.io.write_file(str(root / "cats" / "flipped_query.png"), tf.io.encode_png(flipped))
    return root, query


@pytest.mark.parametrize("metric", ["cosine", "euclidean"])
def test_a_photo_finds_its_own_flipped_copy_first(folder, metric, tmp_path):
    root, query = folder
    embed = embedding_model(keras_classics.resnet18(input_shape=(96, 96, 3)))
    assert embed.output.shape[-1] == 512  # ResNet-18's pooled penultimate features
    index = ImageIndex.from_folder(embed, root)
    assert len(index.names) == 25
    results = index.search(load_images([str(query)], embed), k=3, metric=metric, query_names=[str(query)])
    assert results["name"].iloc[0].endswith("flipped_query.png")
    assert list(results["rank"]) == [1, 2, 3] and results["distance"].is_monotonic_increasing
    index.save(tmp_path / "index.npz")
    again = ImageIndex.load(embed, tmp_path / "index.npz")
    assert again.names == index.names and np.array_equal(again.features, index.features)
    shown = {name: image for name, image in zip(index.names, load_images(index.names, embed))}
    contact_sheet(results, load_images([str(query)], embed), shown, tmp_path / "sheet.png")
    assert (tmp_path / "sheet.png").read_bytes()[:4] == b"\x89PNG"


def test_a_named_layer_and_bad_arguments(folder):
    model = keras_classics.alexnet(input_shape=(227, 227, 3))
    fc7 = embedding_model(model, layer="classifier_5")  # torchvision's fc7 ReLU: AlexNet's 4096-d retrieval code
    assert fc7.output.shape[-1] == 4096
    with pytest.raises(ValueError, match="has no layer 'fc9'"):
        embedding_model(model, layer="fc9")
    index = ImageIndex.from_images(fc7, np.zeros((2, 227, 227, 3), "float32"))
    with pytest.raises(ValueError, match="metric must be one of cosine, euclidean; got 'manhattan'"):
        index.search(np.zeros((1, 227, 227, 3), "float32"), metric="manhattan")
    with pytest.raises(ValueError, match="k must be a positive integer; got 0"):
        index.search(np.zeros((1, 227, 227, 3), "float32"), k=0)


def test_the_retrieve_command_writes_the_table_and_the_contact_sheet(folder, tmp_path, capsys):
    from keras_classics.cli import main

    root, query = folder
    argv = ["retrieve", "squeezenet1_1", "--index", str(root), "--query", str(query), "--top", "2"]
    assert main([*argv, "--table", str(tmp_path / "r.csv"), "--output", str(tmp_path / "r.png")]) == 0
    lines = (tmp_path / "r.csv").read_text().splitlines()
    assert lines[0] == "query,rank,name,distance" and len(lines) == 3
    assert (tmp_path / "r.png").read_bytes()[:4] == b"\x89PNG"
    assert main(["retrieve", "squeezenet1_1", "--index", str(tmp_path / "none"), "--query", str(query)]) == 2
    assert "--index: must be an image folder" in capsys.readouterr().err
