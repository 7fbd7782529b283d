"""Data sources and the tf.data pipeline: folders, formats, bad files, splits, determinism, arrays, digits."""

import io
from pathlib import Path

import numpy as np
import pytest
import tensorflow as tf

from keras_classics.data import (
    array_source,
    digits_source,
    folder_source,
    image_folder,
    load_digits,
    make_dataset,
    preset,
)
from keras_classics.data.decode import decode_rgb

CATS_VS_DOGS = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "cats_vs_dogs"

# Each class's images are filled with its own grey level, so a batch's pixels say which folder they came from.
CLASS_LEVELS = {"ant": 30, "cat": 120, "zebra": 210}


def _write(path, array, kind="png"):
    encoded = tf.io.encode_png(array) if kind == "png" else tf.io.encode_jpeg(array, quality=95)
    Path(path).write_bytes(encoded.numpy())


@pytest.fixture
def folder(tmp_path):
    """Three classes (created out of order) of small images of varied sizes, PNG and JPEG mixed."""
    rng = np.random.default_rng(0)
    for name in ("zebra", "ant", "cat"):
        (tmp_path / name).mkdir()
        for i in range(5):
            height, width = rng.integers(9, 20, size=2)
            image = np.full((height, width, 3), CLASS_LEVELS[name], np.uint8)
            _write(tmp_path / name / f"{i}.{'png' if i % 2 else 'jpg'}", image, "png" if i % 2 else "jpeg")
        (tmp_path / name / "notes.txt").write_text("not an image")
    return tmp_path


def _all(dataset):
    images, labels = zip(*[(x.numpy(), y.numpy()) for x, y in dataset])
    return np.concatenate(images), np.concatenate(labels)


def test_labels_follow_sorted_folder_names(folder):
    data = image_folder(folder, image_size=(8, 8), batch_size=4, seed=0)
    assert data.class_names == ["ant", "cat", "zebra"]
    images, labels = _all(data)
    assert images.shape == (15, 8, 8, 3) and images.dtype == np.float32
    levels = np.array([CLASS_LEVELS[name] for name in data.class_names])
    # Every image's grey level identifies its folder; JPEG may move it by a level or two.
    assert np.all(np.abs(images.mean(axis=(1, 2, 3)) - levels[labels]) < 3)
    assert np.bincount(labels).tolist() == [5, 5, 5]


def test_grayscale_and_rgba_png_decode_to_rgb():
    gray = np.arange(20, dtype=np.uint8).reshape(4, 5, 1) * 10
    rgba = np.random.default_rng(1).integers(0, 256, (4, 5, 4), dtype=np.uint8)
    np.testing.assert_array_equal(decode_rgb(tf.io.encode_png(gray)).numpy(), np.repeat(gray, 3, axis=-1))
    np.testing.assert_array_equal(decode_rgb(tf.io.encode_png(rgba)).numpy(), rgba[..., :3])
    gray_jpeg = decode_rgb(tf.io.encode_jpeg(np.full((8, 8, 1), 77, np.uint8))).numpy()
    assert gray_jpeg.shape == (8, 8, 3) and np.all(np.abs(gray_jpeg.astype(int) - 77) <= 1)


@pytest.mark.parametrize("mode", ["L", "RGB", "RGBA"])
@pytest.mark.parametrize("fmt", ["BMP", "GIF"])
def test_bmp_and_gif_decode_to_rgb(mode, fmt):
    image_module = pytest.importorskip("PIL.Image")
    # Four colours only, so GIF's palette keeps them exactly.
    colours = np.array([[0, 0, 0], [255, 0, 0], [0, 128, 255], [200, 200, 200]], np.uint8)
    rgb = colours[np.random.default_rng(2).integers(0, 4, (6, 7))]
    picture = image_module.fromarray(rgb).convert(mode)
    buffer = io.BytesIO()
    picture.save(buffer, format=fmt)
    expected = np.asarray(picture.convert("RGB"))
    np.testing.assert_array_equal(decode_rgb(buffer.getvalue()).numpy(), expected)


def test_bad_files_are_all_listed_before_training(folder):
    good = (folder / "cat" / "0.jpg").read_bytes()
    truncated = folder / "cat" / "truncated.jpg"
    truncated.write_bytes(good[: len(good) // 2])
    garbage = folder / "ant" / "garbage.png"
    garbage.write_bytes(b"this is not a png")
    with pytest.raises(ValueError) as error:
        image_folder(folder, image_size=(8, 8))
    message = str(error.value)
    assert str(truncated) in message and str(garbage) in message
    assert "2 of 17" in message and "on_bad_file='skip'" in message


def test_skip_mode_leaves_bad_files_out_and_counts_them(folder):
    garbage = folder / "zebra" / "garbage.bmp"
    garbage.write_bytes(b"BM not really")
    data = image_folder(folder, image_size=(8, 8), on_bad_file="skip", seed=0)
    assert data.skipped == [str(garbage)]
    assert str(garbage) not in data.file_paths
    _, labels = _all(data)
    assert len(labels) == 15


@pytest.mark.parametrize(
    "make, error, words",
    [
        (lambda root: root / "missing", FileNotFoundError, "does not exist"),
        (lambda root: (root / "empty").mkdir() or root / "empty", ValueError, "no class sub-folders"),
        (lambda root: (root / "a.txt").write_text("x") and root / "a.txt", NotADirectoryError, "is a file"),
    ],
)
def test_wrong_folder_layouts_are_named(tmp_path, make, error, words):
    path = make(tmp_path)
    with pytest.raises(error, match=words):
        folder_source(path)


def test_files_without_a_size_are_refused_before_batching(folder):
    with pytest.raises(ValueError, match="image_size or a transform"):
        make_dataset(folder_source(folder, verify=False), 4)


def test_class_folder_without_images_is_named(folder):
    (folder / "yak").mkdir()
    (folder / "yak" / "readme.txt").write_text("no images here")
    with pytest.raises(ValueError, match="no images") as error:
        folder_source(folder)
    assert str(folder / "yak") in str(error.value)


@pytest.mark.parametrize("split", [0, 0.0, 1.0, 1.5, -0.2, "0.2"])
def test_validation_split_outside_zero_one_is_refused(folder, split):
    with pytest.raises(ValueError, match="validation_split"):
        folder_source(folder, validation_split=split, subset="training", seed=0)


def test_split_needs_a_seed_and_a_subset(folder):
    with pytest.raises(ValueError, match="seed"):
        folder_source(folder, validation_split=0.2, subset="training")
    with pytest.raises(ValueError, match="subset"):
        folder_source(folder, validation_split=0.2, seed=1)


def test_split_is_disjoint_stratified_and_seeded(folder):
    train, val = folder_source(folder, validation_split=0.4, subset="both", seed=3, verify=False)
    assert set(train.paths).isdisjoint(val.paths)
    assert len(train) + len(val) == 15
    assert np.bincount(val.labels).tolist() == [2, 2, 2]  # round(5 * 0.4) of each class
    again = folder_source(folder, validation_split=0.4, subset="validation", seed=3, verify=False)
    assert again.paths == val.paths
    others = [
        folder_source(folder, validation_split=0.4, subset="validation", seed=s, verify=False) for s in range(4, 9)
    ]
    assert any(other.paths != val.paths for other in others)
    # Paths and labels still agree after the split.
    for path, label in zip(train.paths, train.labels):
        assert Path(path).parent.name == train.class_names[label]


def _batches(data):
    return [(x.numpy(), y.numpy()) for x, y in data]


def _same(first, second):
    return len(first) == len(second) and all(
        np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1]) for a, b in zip(first, second)
    )


def test_same_seed_gives_same_batches_every_epoch():
    rng = np.random.default_rng(4)
    images = rng.integers(0, 256, (24, 20, 24, 3), dtype=np.uint8)
    labels = np.arange(24) % 3
    train, _ = preset("inception", size=12)

    def pipeline(seed):
        return make_dataset((images, labels), 8, transform=train, shuffle=True, seed=seed)

    first, second = pipeline(7), pipeline(7)
    epochs_first = [_batches(first) for _ in range(2)]
    epochs_second = [_batches(second) for _ in range(2)]
    assert _same(epochs_first[0], epochs_second[0]) and _same(epochs_first[1], epochs_second[1])
    assert not _same(epochs_first[0], epochs_first[1])  # new shuffle and crops each epoch
    assert not _same(epochs_first[0], _batches(pipeline(8)))
    # Without shuffling, each epoch still draws new crops (an epoch must not replay the last one's).
    fixed_order = make_dataset((images, labels), 8, transform=train, seed=7)
    assert not _same(_batches(fixed_order), _batches(fixed_order))


def test_files_pipeline_is_deterministic_and_window_decode_matches_full_decode(folder):
    train, _ = preset("inception", size=8)
    one = _batches(image_folder(folder, transform=(train, None), seed=5, batch_size=6))
    two = _batches(image_folder(folder, transform=(train, None), seed=5, batch_size=6))
    assert _same(one, two)
    # The JPEG fast path (decode only the crop window) cuts the same box as cropping the decoded image.
    rows, cols = np.mgrid[0:40, 0:60]
    smooth = np.stack([rows * 5, cols * 4, (rows + cols) * 2], axis=-1).astype(np.uint8)
    encoded = tf.io.encode_jpeg(smooth, quality=100)
    for seed in range(5):
        fast = train.decode(encoded, [seed, 1]).numpy().astype(int)
        slow = train(decode_rgb(encoded), [seed, 1]).numpy().astype(int)
        assert np.abs(fast - slow).max() <= 3


def test_cached_pipeline_gives_the_batches_of_the_uncached_one(folder):
    train, _ = preset("inception", size=8)
    plain = image_folder(folder, transform=train, seed=2, batch_size=5)
    cached = image_folder(folder, transform=train, seed=2, batch_size=5, cache=True)
    for _ in range(2):  # the second epoch reads the cache
        expected, got = _batches(plain), _batches(cached)
        assert [y.tolist() for _, y in got] == [y.tolist() for _, y in expected]
        # Cached images are decoded whole and cropped; JPEG window decoding may differ by a few levels.
        assert max(np.abs(a - b).max() for (a, _), (b, _) in zip(got, expected)) <= 3


def test_arrays_keep_uint8_until_the_batch_and_mixing_one_hot_encodes():
    images = np.random.default_rng(5).integers(0, 256, (10, 16, 16, 3), dtype=np.uint8)
    labels = np.array([0, 1, 2, 3, 4] * 2)
    plain = _batches(make_dataset((images, labels), 10))
    np.testing.assert_array_equal(plain[0][0], images.astype(np.float32))
    np.testing.assert_array_equal(plain[0][1], labels)
    train, _ = preset("modern", size=8)
    mixed = _batches(make_dataset((images, labels), 5, transform=train, seed=0))
    assert mixed[0][1].shape == (5, 5)
    np.testing.assert_allclose(mixed[0][1].sum(axis=1), 1.0, rtol=1e-6)
    with pytest.raises(ValueError, match="one_hot"):
        make_dataset((images, labels), 5, transform=train, one_hot=False)


def test_digits_go_through_the_same_pipeline():
    pytest.importorskip("sklearn")
    (_, _), (x_test, y_test) = load_digits()
    source = digits_source("test")
    assert source.class_names == tuple("0123456789")
    train, evaluate = preset("small", size=32)
    images, labels = _all(make_dataset(source, 64, transform=evaluate))
    np.testing.assert_array_equal(labels, y_test)
    np.testing.assert_array_equal(images, np.round(x_test * 255.0))
    shifted, _ = _all(make_dataset(source, 64, transform=train, seed=0))
    assert shifted.shape == images.shape and not np.array_equal(shifted, images)


def test_array_source_errors_name_the_problem():
    with pytest.raises(ValueError, match="NHWC"):
        array_source(np.zeros((4, 8, 8)), [0, 1, 0, 1])
    with pytest.raises(ValueError, match="one int per image"):
        array_source(np.zeros((4, 8, 8, 3)), [0, 1])
    with pytest.raises(ValueError, match="class name"):
        array_source(np.zeros((2, 8, 8, 3)), [0, 5], class_names=["a", "b"])


def test_cats_vs_dogs_photos():
    if not CATS_VS_DOGS.is_dir():
        pytest.skip("../shared/datasets/cats_vs_dogs is absent (a user's clone has none)")
    train, val = image_folder(
        CATS_VS_DOGS, validation_split=0.1, subset="both", seed=0, batch_size=32, transform=preset("inception")
    )
    assert train.class_names == ["cats", "dogs"]
    assert len(train.file_paths) == 1800 and len(val.file_paths) == 200
    for data in (train, val):
        images, _ = next(iter(data))
        assert images.shape == (32, 224, 224, 3) and images.dtype == tf.float32
    _, val_labels = next(iter(val))
    # The validation subset is not shuffled: its first batch holds the first (cat) files.
    assert val_labels.numpy().tolist() == [0] * 32
