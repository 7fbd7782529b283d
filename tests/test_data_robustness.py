"""Image folders as real disks hold them: odd encodings, broken files, stray folders, hidden files.

Each case is reported by path before training or handled as documented, and the labels stay right through a
whole epoch (every image of a class is filled with that class's grey level, so a batch says where it came from).
"""

import io

import numpy as np
import pytest
import tensorflow as tf

from keras_classics.data import folder_source, image_folder

Image = pytest.importorskip("PIL.Image")
LEVELS = {"a": 40, "b": 200}


def _png(path, level, size=(12, 10)):
    path.write_bytes(tf.io.encode_png(np.full((*size, 3), level, np.uint8)).numpy())


@pytest.fixture
def folder(tmp_path):
    for name, level in LEVELS.items():
        (tmp_path / name).mkdir()
        for i in range(3):
            _png(tmp_path / name / f"{i}.png", level)
    return tmp_path


def _labels_match_levels(dataset):
    seen = 0
    for images, labels in dataset:
        for image, label in zip(images.numpy(), labels.numpy()):
            level = list(LEVELS.values())[label]
            assert abs(float(image.mean()) - level) < 2.0, (level, image.mean())
            seen += 1
    return seen


def test_zero_byte_and_text_named_jpg_are_listed_by_path(folder):
    (folder / "a" / "empty.jpg").write_bytes(b"")
    (folder / "b" / "notes.jpg").write_text("this is text, not a JPEG")
    with pytest.raises(ValueError) as error:
        folder_source(folder)
    assert str(folder / "a" / "empty.jpg") in str(error.value) and str(folder / "b" / "notes.jpg") in str(error.value)
    data = image_folder(folder, image_size=(8, 8), on_bad_file="skip", batch_size=4)
    assert sorted(data.skipped) == sorted([str(folder / "a" / "empty.jpg"), str(folder / "b" / "notes.jpg")])
    assert _labels_match_levels(data) == 6


def test_cmyk_jpeg_and_16_bit_png_decode_to_the_right_rgb(folder):
    buffer = io.BytesIO()
    Image.new("RGB", (10, 12), (40, 40, 40)).convert("CMYK").save(buffer, format="JPEG", quality=100)
    (folder / "a" / "cmyk.jpg").write_bytes(buffer.getvalue())
    deep = np.full((12, 10, 3), 200 * 257, np.uint16)  # 200 in 16-bit units
    (folder / "b" / "deep.png").write_bytes(tf.io.encode_png(deep).numpy())
    data = image_folder(folder, image_size=(8, 8), batch_size=4, shuffle=False)
    assert _labels_match_levels(data) == 8


def test_nested_folders_count_for_their_class_and_hidden_files_are_ignored(folder):
    (folder / "a" / "more").mkdir()
    _png(folder / "a" / "more" / "deep.png", LEVELS["a"])
    _png(folder / "b" / ".hidden.png", LEVELS["a"])  # would carry the wrong level if it were read
    (folder / ".thumbnails").mkdir()
    _png(folder / ".thumbnails" / "x.png", 0)
    source = folder_source(folder)
    assert source.class_names == ("a", "b") and len(source.paths) == 7
    assert _labels_match_levels(image_folder(folder, image_size=(8, 8), batch_size=3)) == 7


def test_a_single_class_folder_works_and_an_empty_class_is_named(folder, tmp_path):
    only = tmp_path / "only"
    (only / "a").mkdir(parents=True)
    _png(only / "a" / "0.png", LEVELS["a"])
    assert folder_source(only).class_names == ("a",)
    (folder / "c").mkdir()
    with pytest.raises(ValueError, match="class folder\\(s\\) with no images") as error:
        folder_source(folder)
    assert str(folder / "c") in str(error.value)
