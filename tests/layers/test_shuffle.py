"""ChannelShuffle against a NumPy reshape-transpose."""

import keras
import numpy as np
import pytest

from keras_classics.layers import ChannelShuffle


@pytest.mark.parametrize("groups, channels", [(1, 6), (2, 6), (3, 12), (4, 8)])
def test_matches_numpy(groups, channels):
    x = np.random.default_rng(0).normal(size=(2, 3, 4, channels)).astype("float32")
    expected = x.reshape(2, 3, 4, groups, channels // groups).transpose(0, 1, 2, 4, 3).reshape(x.shape)
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(ChannelShuffle(groups)(x)), expected)


def test_unknown_spatial_size():
    inputs = keras.Input((None, None, 6))
    model = keras.Model(inputs, ChannelShuffle(3)(inputs))
    x = np.arange(2 * 5 * 2 * 6, dtype="float32").reshape(2, 5, 2, 6)
    expected = x.reshape(2, 5, 2, 3, 2).transpose(0, 1, 2, 4, 3).reshape(x.shape)
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(model(x)), expected)


def test_channels_not_divisible():
    with pytest.raises(ValueError, match=r"channels=6.*groups=4"):
        ChannelShuffle(4)(np.zeros((1, 2, 2, 6), "float32"))


@pytest.mark.parametrize("groups", [0, -2, 1.5])
def test_bad_groups(groups):
    with pytest.raises(ValueError, match="groups"):
        ChannelShuffle(groups)
