"""Evaluation: each TTA method's views are the paper's windows, dense heads equal the original, accuracy adds up."""

import numpy as np
import pytest
import tensorflow as tf

import keras_classics
from keras_classics.data.augment import center_crop_eval
from keras_classics.evaluation import (
    dense_predict,
    evaluate,
    multi_crop,
    multi_scale,
    predict_tta,
    ten_crop,
    to_fully_convolutional,
    views,
)


def coordinate_image(height, width):
    """Pixels that say where they are: channel 0 is the row, channel 1 the column."""
    rows, cols = np.meshgrid(np.arange(height), np.arange(width), indexing="ij")
    return np.stack([rows, cols, np.zeros_like(rows)], axis=-1).astype("float32")


def test_ten_crop_returns_the_four_corners_the_centre_and_their_mirrors():
    crops = ten_crop(coordinate_image(256, 256), 224).numpy()  # already 256: no resize
    assert crops.shape == (10, 224, 224, 3)
    expected = [(0, 0), (0, 32), (32, 0), (32, 32), (16, 16)]  # top-left (row, column) of each window
    for crop, (top, left) in zip(crops[:5], expected):
        assert (crop[0, 0, 0], crop[0, 0, 1]) == (top, left)
        assert (crop[-1, -1, 0], crop[-1, -1, 1]) == (top + 223, left + 223)
    np.testing.assert_array_equal(crops[5:], crops[:5, :, ::-1])  # mirrors, in the same order


def test_ten_crop_takes_the_central_square_of_a_wide_image():
    crops = ten_crop(coordinate_image(256, 300), 224).numpy()  # pixel values stay <= 255: columns 22..245
    assert crops[0, 0, 0, 1] == 22 and crops[0, -1, -1, 1] == 22 + 223  # the square spans columns 22..277


def test_multi_crop_is_a_5x5_grid_at_three_scales_and_mirrored():
    crops = multi_crop(coordinate_image(256, 256), 224, scales=[256, 256, 256]).numpy()
    assert crops.shape == (150, 224, 224, 3)
    starts = [int(crops[i, 0, 0, 1]) for i in range(5)]
    assert starts == [0, 8, 16, 24, 32]  # columns of the first grid row
    assert [int(crops[5 * i, 0, 0, 0]) for i in range(5)] == [0, 8, 16, 24, 32]  # rows of the first column
    np.testing.assert_array_equal(crops[75:], crops[:75, :, ::-1])


def test_multi_scale_crops_the_centre_at_each_scale():
    image = coordinate_image(300, 300)
    crops = multi_scale(image, 224, scales=[224, 256, 288]).numpy()
    assert crops.shape == (6, 224, 224, 3)
    for crop, q in zip(crops[:3], [224, 256, 288]):
        np.testing.assert_allclose(crop, center_crop_eval(image, 224, resize_shorter=q).numpy())


@pytest.mark.parametrize("name", ["lenet5", "alexnet_2gpu", "zfnet"])
def test_dense_head_equals_the_original_at_native_size_and_runs_at_twice_the_size(name):
    model = keras_classics.create_model(name)
    dense = to_fully_convolutional(model)
    shape = tuple(model.inputs[0].shape[1:])
    images = np.random.default_rng(0).normal(size=(2, *shape)).astype("float32")
    np.testing.assert_allclose(dense(images).numpy().reshape(2, -1), model(images), rtol=0, atol=1e-6)
    bigger = np.zeros((1, 2 * shape[0], 2 * shape[1], shape[2]), "float32")
    score_map = dense(bigger).numpy()
    assert score_map.shape[1] > 1 and score_map.shape[2] > 1 and score_map.shape[-1] == model.outputs[0].shape[-1]
    np.testing.assert_allclose(dense_predict(dense, bigger), score_map.mean(axis=(1, 2)), atol=1e-7)


def test_each_score_map_cell_is_the_model_on_its_window():
    # LeNet-5's features: valid 5x5 convolutions and 2x2 pools, a stride of 4: cell (i, j) sees rows 4i..4i+31.
    model = keras_classics.lenet5()
    image = np.random.default_rng(1).normal(size=(1, 48, 56, 1)).astype("float32")
    score_map = to_fully_convolutional(model)(image).numpy()
    assert score_map.shape == (1, 5, 7, 10)
    for i, j in [(0, 0), (2, 3), (4, 6)]:
        window = image[:, 4 * i : 4 * i + 32, 4 * j : 4 * j + 32]
        np.testing.assert_allclose(score_map[0, i, j], model(window)[0], rtol=0, atol=1e-6)


def test_dense_conversion_is_a_no_op_for_pooled_networks_and_refuses_a_resized_pool():
    resnet = keras_classics.resnet18(input_shape=(64, 64, 3))
    assert to_fully_convolutional(resnet) is resnet
    with pytest.raises(ValueError, match="adaptive pool averages .* build the model with its default input_shape"):
        to_fully_convolutional(keras_classics.vgg11(input_shape=(64, 64, 3)))


@pytest.mark.slow
def test_vgg16_dense_evaluation_at_native_and_larger_sizes():
    model = keras_classics.vgg16()
    dense = to_fully_convolutional(model)
    image = np.random.default_rng(2).normal(size=(1, 224, 224, 3)).astype("float32")
    np.testing.assert_allclose(dense(image).numpy().reshape(1, -1), model(image), rtol=0, atol=1e-6)
    assert dense(np.zeros((1, 288, 320, 3), "float32")).shape == (1, 3, 4, 1000)


def _manual_probabilities(model, images):
    info = keras_classics.model_info("lenet5")
    crops = np.stack([center_crop_eval(image, 32).numpy() for image in images])
    return np.asarray(model((crops / 255.0 - info.mean[0]) / info.std[0], training=False))


def test_evaluate_counts_top1_and_top5_and_averages_an_ensemble():
    rng = np.random.default_rng(3)
    images = rng.integers(0, 256, (12, 37, 40, 1)).astype("uint8")  # 37: no resize; 40 - 32 even: a symmetric crop
    first, second = keras_classics.lenet5(), keras_classics.lenet5()
    p1, p2 = _manual_probabilities(first, images), _manual_probabilities(second, images)
    labels = p1.argmax(-1)
    labels[:4] = np.argsort(-p1[:4], axis=-1)[:, 3]  # four images ranked 4th: top-5 hits, top-1 misses
    table = evaluate([first, second], images, labels, tta=["none", "flip"], names=["a", "b"])
    assert list(zip(table["model"], table["method"])) == [
        ("a", "none"),
        ("b", "none"),
        ("ensemble of 2", "none"),
        ("a", "flip"),
        ("b", "flip"),
        ("ensemble of 2", "flip"),
    ]
    row = table.iloc[0]
    assert row["top1_accuracy"] == pytest.approx(8 / 12) and row["top5_accuracy"] == 1.0
    assert row["top1_error"] == pytest.approx(4 / 12)
    ensemble = table.attrs["probabilities"][("ensemble of 2", "none")]
    np.testing.assert_allclose(ensemble, (p1 + p2) / 2, atol=1e-6)
    mirrored = predict_tta(first, images[:, :, ::-1], "flip")
    np.testing.assert_allclose(mirrored, table.attrs["probabilities"][("a", "flip")], atol=1e-6)  # flip-invariant


def test_evaluate_names_bad_arguments():
    with pytest.raises(ValueError, match="tta must be among .*; got 'twelve_crop'"):
        evaluate(keras_classics.lenet5(), np.zeros((1, 32, 32, 1)), [0], tta=["twelve_crop"])
    with pytest.raises(ValueError, match="as many labels as images"):
        evaluate(keras_classics.lenet5(), np.zeros((2, 32, 32, 1)), [0])


def test_views_of_a_uint8_grayscale_image_are_float_pixels():
    stack = views(tf.fill((300, 260, 1), tf.constant(255, tf.uint8)), "ten_crop", 224).numpy()
    assert stack.dtype == np.float32 and stack.shape == (10, 224, 224, 1)
    assert stack.min() == 255.0 and stack.max() == 255.0
