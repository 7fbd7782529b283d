"""GroupConv2D against keras.layers.Conv2D(groups=g) with the same weights."""

import keras
import numpy as np
import pytest

from keras_classics.layers import GroupConv2D


@pytest.mark.parametrize(
    "groups, kwargs",
    [(1, dict(padding="same")), (2, dict(padding="same")), (4, dict(strides=2, padding="valid", use_bias=False))],
)
def test_matches_keras_conv2d(groups, kwargs):
    rng = np.random.default_rng(groups)
    x = rng.normal(size=(2, 7, 7, 8)).astype("float32")
    ours = GroupConv2D(12, 3, groups=groups, **kwargs)
    ours.build(x.shape)
    ours.set_weights([rng.normal(size=w.shape).astype("float32") for w in ours.get_weights()])
    reference = keras.layers.Conv2D(12, 3, groups=groups, **kwargs)
    reference.build(x.shape)
    reference.set_weights(ours.get_weights())
    assert ours.kernel.shape == (3, 3, 8 // groups, 12)
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(ours(x)), keras.ops.convert_to_numpy(reference(x)), rtol=1e-5, atol=1e-4
    )


def test_channels_first_rejected():
    with pytest.raises(ValueError, match="data_format"):
        GroupConv2D(8, 3, data_format="channels_first")


def _grads(layer, x):
    import tensorflow as tf

    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = layer(x)
        loss = tf.reduce_sum(y * tf.cos(y))  # not a plain sum: every output gets its own upstream gradient
    return [y, *tape.gradient(loss, [x, layer.kernel, layer.bias])]


@pytest.mark.parametrize(
    "kernel, groups, strides, padding",
    [(3, 4, 1, "same"), (3, 2, 2, "valid"), (1, 3, 1, "valid"), (5, 2, 2, "same")],
)
def test_outputs_and_gradients_match_keras_grouped_conv2d(kernel, groups, strides, padding):
    # The reference is Keras' own Conv2D(groups) (its XLA path), eagerly and in a tf.function.
    import tensorflow as tf

    rng = np.random.default_rng(kernel + groups)
    x = rng.normal(size=(2, 9, 9, 12)).astype("float32")
    options = dict(groups=groups, strides=strides, padding=padding)
    ours = GroupConv2D(12, kernel, **options)
    ours.build(x.shape)
    ours.set_weights([rng.normal(size=w.shape).astype("float32") for w in ours.get_weights()])
    reference = keras.layers.Conv2D(12, kernel, **options)
    reference.build(x.shape)
    reference.set_weights(ours.get_weights())
    expected = [t.numpy() for t in _grads(reference, x)]
    traced = [t.numpy() for t in tf.function(lambda: _grads(ours, x))()]
    eager = [t.numpy() for t in _grads(ours, x)]
    for got in (traced, eager):
        for a, b in zip(got, expected):
            np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-4)

