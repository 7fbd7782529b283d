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
