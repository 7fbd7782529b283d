"""DropPath: identity at inference, whole samples dropped with probability `rate` in training."""

import keras
import numpy as np
import pytest

from keras_classics.layers import DropPath


def test_identity_at_inference():
    x = np.random.default_rng(0).normal(size=(8, 3, 3, 4)).astype("float32")
    layer = DropPath(0.5)
    for training in (False, None):
        np.testing.assert_array_equal(keras.ops.convert_to_numpy(layer(x, training=training)), x)
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(DropPath(0.0)(x, training=True)), x)


@pytest.mark.parametrize("rate", [0.2, 0.5])
def test_drops_whole_samples_and_rescales(rate):
    x = np.random.default_rng(1).uniform(1.0, 2.0, size=(4000, 2, 3)).astype("float32")
    out = keras.ops.convert_to_numpy(DropPath(rate, seed=3)(x, training=True))
    dropped = (out == 0).all(axis=(1, 2))
    kept = ~dropped
    # Every sample is either all zeros or all scaled by 1 / (1 - rate).
    np.testing.assert_allclose(out[kept], x[kept] / (1.0 - rate), rtol=1e-6)
    assert not (out[kept] == 0).any()
    # 4000 Bernoulli draws: 4 standard deviations is < 0.032 either way.
    assert abs(dropped.mean() - rate) < 0.035


def test_seeded_masks_repeat():
    x = np.ones((64, 2), "float32")
    a = keras.ops.convert_to_numpy(DropPath(0.5, seed=7)(x, training=True))
    b = keras.ops.convert_to_numpy(DropPath(0.5, seed=7)(x, training=True))
    np.testing.assert_array_equal(a, b)


def test_masks_change_between_calls():
    layer = DropPath(0.5, seed=7)
    x = np.ones((64, 2), "float32")
    a = keras.ops.convert_to_numpy(layer(x, training=True))
    b = keras.ops.convert_to_numpy(layer(x, training=True))
    assert not np.array_equal(a, b)


@pytest.mark.parametrize("rate", [-0.1, 1.0, 1.5])
def test_bad_rate(rate):
    with pytest.raises(ValueError, match="rate"):
        DropPath(rate)
