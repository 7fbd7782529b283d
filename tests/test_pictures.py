"""Pictures: each tile of the filter grid is its kernel stretched to [0, 255]; feature maps tile per channel."""

import numpy as np
import pytest

import keras_classics
from keras_classics.analysis.pictures import feature_map_grid, filter_grid, save_png


def test_each_tile_is_its_kernel_stretched_on_its_own():
    model = keras_classics.alexnet()
    kernel = model.get_layer(model.layers[1].name).get_weights()[0]  # (11, 11, 3, 96)
    grid = filter_grid(model, scale=1)
    for k in (0, 13, 95):
        row, col = divmod(k, 12)
        tile = grid[row * 12 : row * 12 + 11, col * 12 : col * 12 + 11].astype(float)
        expected = (kernel[..., k] - kernel[..., k].min()) / (kernel[..., k].max() - kernel[..., k].min()) * 255
        np.testing.assert_allclose(tile, expected, atol=0.5)
    assert (grid[11, :] == 255).all() and (grid[:, 11] == 255).all()  # white gaps between tiles


def test_grayscale_kernels_and_feature_maps(tmp_path):
    model = keras_classics.lenet5()
    grid = filter_grid(model, scale=1, columns=6)  # C1: 6 kernels of 5x5 on one channel
    assert grid.shape == (5, 6 * 6 - 1, 3) and (grid[..., 0] == grid[..., 2]).all()
    maps = feature_map_grid(model, np.random.default_rng(0).normal(size=(32, 32, 1)), "c1", columns=3)
    assert maps.shape == (2 * 29 - 1, 3 * 29 - 1, 3)
    path = save_png(maps, tmp_path / "maps.png")
    assert path.endswith("maps.png") and sorted(p.name for p in tmp_path.iterdir()) == ["maps.png"]
    with pytest.raises(ValueError, match="not a \\(height, width, channels\\) map"):
        feature_map_grid(model, np.zeros((32, 32, 1)), "f6")


def test_the_confusion_matrix_counts_each_true_predicted_pair(tmp_path):
    import tensorflow as tf

    from keras_classics.analysis.pictures import confusion_matrix, save_confusion_matrix

    labels = [0, 0, 0, 1, 1, 2]
    predicted = [0, 0, 1, 1, 2, 2]
    counts = confusion_matrix(labels, predicted, 3)
    assert counts.tolist() == [[2, 1, 0], [0, 1, 1], [0, 0, 1]]
    assert np.trace(counts) == sum(a == b for a, b in zip(labels, predicted))
    path = save_confusion_matrix(counts, ["cat", "dog", "fox"], tmp_path / "confusion.png", title="test")
    picture = tf.io.decode_png(tf.io.read_file(path))
    assert picture.shape[0] > 100 and picture.shape[1] > 100
