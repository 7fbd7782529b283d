"""drop_path (stochastic depth from Keras' Dropout): identity at inference, whole samples dropped in training."""

import keras
import numpy as np
import pytest

from keras_classics.blocks.regularization import drop_path


def _model(shape, rate, seed=None):
    x = keras.Input(shape)
    return keras.Model(x, drop_path(x, rate, name="drop_path", seed=seed))


def _run(model, x, training):
    return keras.ops.convert_to_numpy(model(x, training=training))


def test_identity_at_inference():
    x = np.random.default_rng(0).normal(size=(8, 3, 3, 4)).astype("float32")
    model = _model((3, 3, 4), 0.5)
    for training in (False, None):
        np.testing.assert_array_equal(_run(model, x, training), x)
    np.testing.assert_array_equal(_run(_model((3, 3, 4), 0.0), x, True), x)


@pytest.mark.parametrize("rate", [0.2, 0.5])
def test_drops_whole_samples_and_rescales(rate):
    x = np.random.default_rng(1).uniform(1.0, 2.0, size=(4000, 2, 3)).astype("float32")
    out = _run(_model((2, 3), rate, seed=3), x, True)
    dropped = (out == 0).all(axis=(1, 2))
    kept = ~dropped
    # Every sample is either all zeros or all scaled by 1 / (1 - rate).
    np.testing.assert_allclose(out[kept], x[kept] / (1.0 - rate), rtol=1e-6)
    assert not (out[kept] == 0).any()
    # 4000 Bernoulli draws: 4 standard deviations is < 0.032 either way.
    assert abs(dropped.mean() - rate) < 0.035


def test_seeded_masks_repeat_and_change_between_calls():
    x = np.ones((64, 2), "float32")
    a, b = (_run(_model((2,), 0.5, seed=7), x, True) for _ in range(2))
    np.testing.assert_array_equal(a, b)
    model = _model((2,), 0.5, seed=7)
    assert not np.array_equal(_run(model, x, True), _run(model, x, True))


@pytest.mark.parametrize("rate", [-0.1, 1.0, 1.5])
def test_bad_rate(rate):
    with pytest.raises(ValueError, match="drop path rate must be in"):
        drop_path(keras.Input((2,)), rate, name="drop_path")
