"""Augmentation: each op's defining property, checked against an independent computation."""

import numpy as np
import pytest
import tensorflow as tf

from keras_classics.data import (
    IMAGENET_EIGENVALUES,
    IMAGENET_EIGENVECTORS,
    center_crop,
    center_crop_eval,
    cutmix,
    fit_pca_lighting,
    mixup,
    pca_lighting,
    preset,
    random_crop,
    random_flip,
    random_resized_crop,
    random_resized_crop_window,
    random_shift,
    scale_jitter,
)
from keras_classics.data.presets import PRESETS


def coordinates(height, width):
    """An image whose pixel (y, x) holds (y, x, 0): a crop says where it was cut from."""
    rows, cols = np.mgrid[0:height, 0:width]
    return np.stack([rows, cols, np.zeros_like(rows)], axis=-1).astype(np.int32)


def test_random_crop_lies_inside_and_has_the_asked_size():
    image = coordinates(30, 40)
    tops, lefts = set(), set()
    for seed in range(40):
        crop = random_crop(image, (12, 20), seed=[seed, 0]).numpy()
        assert crop.shape == (12, 20, 3)
        top, left = crop[0, 0, :2]
        # A contiguous window: pixel (i, j) of the crop is pixel (top + i, left + j) of the image.
        np.testing.assert_array_equal(crop, image[top : top + 12, left : left + 20])
        assert 0 <= top <= 30 - 12 and 0 <= left <= 40 - 20
        tops.add(int(top))
        lefts.add(int(left))
    assert len(tops) > 5 and len(lefts) > 5  # the position really is random


def test_crop_larger_than_the_image_is_refused():
    with pytest.raises(tf.errors.InvalidArgumentError, match="larger than the image"):
        random_crop(coordinates(10, 10), 12, seed=[0, 0])


def test_center_crop_takes_the_middle():
    crop = center_crop(coordinates(31, 40), (11, 20)).numpy()
    assert tuple(crop[0, 0, :2]) == ((31 - 11) // 2, (40 - 20) // 2)
    assert crop.shape == (11, 20, 3)


def test_center_crop_eval_resizes_the_shorter_side_then_crops_the_centre():
    image = coordinates(300, 400).astype(np.float32)
    out = center_crop_eval(image, 224).numpy()  # shorter side 256, so the crop keeps 224/256 of the view
    assert out.shape == (224, 224, 3)
    scale = 300 / 256  # source pixels per output pixel
    # A bilinear resize of a linear ramp is a ramp: output pixel centres map back to source coordinates.
    for i, j in [(0, 0), (112, 112), (223, 100)]:
        source_y = (16 + i + 0.5) * scale - 0.5  # (256 - 224) / 2 = 16 rows cut at the top
        source_x = (58 + j + 0.5) * scale - 0.5  # round(400 * 256 / 300) = 341; (341 - 224) // 2 = 58
        np.testing.assert_allclose(out[i, j, :2], [source_y, source_x], atol=0.6)
    assert center_crop_eval(tf.zeros([100, 80, 3], tf.uint8), 32, resize_shorter=40).shape == (32, 32, 3)
    with pytest.raises(ValueError, match="resize_shorter"):
        center_crop_eval(image, 224, resize_shorter=200)


def test_flip_mirrors_or_keeps_and_does_both():
    image = coordinates(5, 7)
    outcomes = set()
    for seed in range(20):
        out = random_flip(image, [seed, 3]).numpy()
        if np.array_equal(out, image):
            outcomes.add("kept")
        else:
            np.testing.assert_array_equal(out, image[:, ::-1])
            outcomes.add("mirrored")
    assert outcomes == {"kept", "mirrored"}


def test_scale_jitter_shorter_side_lies_in_range_and_keeps_aspect():
    image = tf.zeros([60, 90, 3], tf.uint8)
    sides = []
    for seed in range(30):
        height, width, _ = scale_jitter(image, [seed, 0], 256, 512).shape
        assert 256 <= height <= 512 and width == round(height * 1.5)
        sides.append(height)
    assert min(sides) < 300 and max(sides) > 460  # spread over the range, not a constant


def test_random_resized_crop_window_area_and_aspect_within_bounds():
    height, width = 300, 400
    areas = []
    for seed in range(150):
        top, left, h, w = random_resized_crop_window([height, width], [seed, 9]).numpy()
        assert 0 <= top and top + h <= height and 0 <= left and left + w <= width
        area = h * w / (height * width)
        # Sides are rounded to whole pixels, so allow half a pixel on each.
        assert 0.08 * (1 - 1 / min(h, w)) <= area <= 1.0
        assert 3 / 4 * (1 - 1 / min(h, w)) <= w / h <= 4 / 3 * (1 + 1 / min(h, w))
        areas.append(area)
    assert min(areas) < 0.2 and max(areas) > 0.8


def test_the_photos_preset_keeps_at_least_a_quarter_of_each_photo():
    from keras_classics.data.presets import preset

    train, _ = preset("photos", size=96)
    height, width = 300, 400
    areas = []
    for seed in range(150):
        top, left, h, w = train.window(tf.constant([height, width]), tf.constant([seed, 3], tf.int64)).numpy()
        assert 0 <= top and top + h <= height and 0 <= left and left + w <= width
        areas.append(h * w / (height * width))
    assert 0.25 * (1 - 2 / 300) <= min(areas) < 0.35 and max(areas) > 0.9


def test_random_resized_crop_falls_back_to_a_centred_box():
    # No box of >= 8% of a 10x1000 strip has an aspect ratio within 3/4..4/3: the fallback is centred, with
    # the aspect clamped to 4/3.
    for seed in range(5):
        box = random_resized_crop_window([10, 1000], [seed, 0]).numpy().tolist()
        assert box == [0, (1000 - 13) // 2, 10, 13]
    assert random_resized_crop(tf.zeros([10, 1000, 3], tf.uint8), 16, [0, 0]).shape == (16, 16, 3)


def test_random_shift_moves_the_image_and_pads_with_zeros():
    image = coordinates(20, 20) + 1  # no zeros inside, so padding is recognisable
    shifts = set()
    for seed in range(15):
        out = random_shift(image, [seed, 0], 3).numpy()
        # Find the shift independently: where the image's pixel (5, 5) landed.
        (dy,), (dx,) = np.nonzero((out[..., 0] == 6) & (out[..., 1] == 6))
        dy, dx = dy - 5, dx - 5
        assert abs(dy) <= 3 and abs(dx) <= 3
        expected = np.zeros_like(image)
        expected[max(dy, 0) : 20 + min(dy, 0), max(dx, 0) : 20 + min(dx, 0)] = image[
            max(-dy, 0) : 20 - max(dy, 0), max(-dx, 0) : 20 - max(dx, 0)
        ]
        np.testing.assert_array_equal(out, expected)
        shifts.add((int(dy), int(dx)))
    assert len(shifts) > 5


def test_pca_lighting_adds_one_vector_of_the_eigen_form():
    image = np.random.default_rng(0).uniform(0, 255, (6, 5, 3)).astype(np.float32)
    vectors = np.array(IMAGENET_EIGENVECTORS)
    values = np.array(IMAGENET_EIGENVALUES)
    alphas = []
    for seed in range(400):
        change = pca_lighting(image, [seed, 1]).numpy() - image
        shift = change[0, 0]
        np.testing.assert_allclose(change, np.broadcast_to(shift, change.shape), atol=1e-3)  # same at every pixel
        # shift = 255 * V @ (alpha * lambda): solve for alpha, whose law is N(0, 0.1).
        alphas.append(np.linalg.solve(vectors, shift / 255.0) / values)
    alphas = np.array(alphas)
    assert np.all(np.abs(alphas.mean(axis=0)) < 0.02)
    np.testing.assert_allclose(alphas.std(axis=0), 0.1, rtol=0.15)


def test_pca_lighting_on_a_batch_shifts_each_image_separately():
    images = tf.zeros([4, 3, 3, 3], tf.uint8)
    out = pca_lighting(images, [0, 0]).numpy()
    per_image = out[:, 0, 0]
    np.testing.assert_allclose(out, np.broadcast_to(per_image[:, None, None], out.shape), atol=1e-4)
    assert len({tuple(np.round(v, 4)) for v in per_image}) == 4


def test_fitted_lighting_moves_colours_along_the_images_only_axis():
    rng = np.random.default_rng(1)
    axis = np.array([1.0, 2.0, -1.0]) / np.sqrt(6.0)
    amounts = rng.normal(0, 40, size=(8, 16, 16, 1))
    images = 128.0 + amounts * axis  # every colour lies on one line through grey
    values, vectors = fit_pca_lighting(images)
    expected_variance = np.var(amounts / 255.0, ddof=1)
    np.testing.assert_allclose(values[0], expected_variance, rtol=1e-6)
    assert values[1] < 1e-9 and values[2] < 1e-9
    np.testing.assert_allclose(abs(np.dot(np.array(vectors)[:, 0], axis)), 1.0, atol=1e-9)
    # Batches from a dataset give the same answer as one array.
    batches = tf.data.Dataset.from_tensor_slices((images, np.zeros(8))).batch(3)
    np.testing.assert_allclose(fit_pca_lighting(batches)[0], values, rtol=1e-9, atol=1e-15)
    change = pca_lighting(np.zeros((2, 2, 3), np.float32), [3, 4], eigenvalues=values, eigenvectors=vectors)
    direction = change.numpy()[0, 0] / np.linalg.norm(change.numpy()[0, 0])
    np.testing.assert_allclose(abs(np.dot(direction, axis)), 1.0, atol=1e-5)


def _identity_batch(n, size=8):
    """Image k is filled with the value 10 * (k + 1) and has label k (one-hot)."""
    values = 10.0 * (np.arange(n) + 1)
    images = np.broadcast_to(values[:, None, None, None], (n, size, size, 3)).astype(np.float32)
    return images, np.eye(n, dtype=np.float32), values


def test_mixup_labels_sum_to_one_and_match_the_pixels():
    images, labels, values = _identity_batch(6)
    mixed_any = False
    for seed in range(10):
        mixed_images, mixed_labels = (t.numpy() for t in mixup(images, labels, [seed, 0], alpha=0.4))
        np.testing.assert_allclose(mixed_labels.sum(axis=1), 1.0, rtol=1e-6)
        assert np.all(mixed_labels >= 0)
        # Each pixel is the label-weighted average of the images the labels name.
        np.testing.assert_allclose(mixed_images[:, 0, 0, 0], mixed_labels @ values, rtol=1e-5)
        np.testing.assert_allclose(mixed_images, mixed_images[:, :1, :1, :1] * np.ones_like(mixed_images))
        mixed_any |= bool(np.any((mixed_labels > 0.01) & (mixed_labels < 0.99)))
    assert mixed_any


def test_cutmix_label_weight_equals_the_pasted_area():
    images, labels, values = _identity_batch(5, size=16)
    boxes = 0
    for seed in range(12):
        mixed_images, mixed_labels = (t.numpy() for t in cutmix(images, labels, [seed, 2]))
        np.testing.assert_allclose(mixed_labels.sum(axis=1), 1.0, rtol=1e-6)
        for k in range(5):
            pixels = mixed_images[k, ..., 0]
            # The fraction of pixels holding image j's value is the weight of label j.
            fractions = np.array([np.mean(pixels == v) for v in values])
            np.testing.assert_allclose(mixed_labels[k], fractions, atol=1e-6)
            pasted = pixels != values[k]
            if pasted.any():
                boxes += 1
                rows, cols = np.nonzero(pasted)
                # The pasted region is one axis-aligned rectangle.
                assert pasted[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1].all()
    assert boxes > 0


def test_mixing_needs_one_hot_labels():
    with pytest.raises(ValueError, match="one-hot"):
        mixup(np.zeros((2, 4, 4, 3)), np.array([0, 1]), [0, 0])


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_presets_give_train_and_eval_transforms_of_the_asked_size(name):
    if name == "small":
        train, evaluate = preset(name, size=16)
        image = tf.zeros([16, 16, 1], tf.uint8)
        assert train(image, [0, 0]).shape == (16, 16, 1)
        assert evaluate(image, [0, 0]) is image
        return
    train, evaluate = preset(name, size=32)
    image = tf.cast(tf.random.stateless_uniform([45, 70, 3], [1, 1], 0, 255, dtype=tf.int32), tf.uint8)
    out = train(image, [0, 1])
    assert out.shape == (32, 32, 3) and out.dtype == tf.uint8
    np.testing.assert_array_equal(evaluate(image, [5, 5]), center_crop_eval(image, 32))
    labels = tf.one_hot([0, 1], 2)
    images, new_labels = train.apply_batch(tf.stack([out, out]), labels, [0, 0])
    assert images.dtype == tf.float32 and images.shape == (2, 32, 32, 3)
    np.testing.assert_allclose(tf.reduce_sum(new_labels, axis=1), 1.0, rtol=1e-6)


def test_unknown_preset_lists_the_known_ones():
    with pytest.raises(ValueError, match="alexnet, vgg"):
        preset("lenet")
