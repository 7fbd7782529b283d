"""hard_sigmoid / hard_swish against their formulas and PyTorch, and Keras' built-ins the models use."""

import keras
import numpy as np
import pytest

from keras_classics.layers import hard_sigmoid, hard_swish

X = np.linspace(-5.0, 5.0, 41, dtype="float32")


def _np(t):
    return keras.ops.convert_to_numpy(t)


def test_hard_sigmoid_formula():
    expected = np.minimum(np.maximum(X + 3.0, 0.0), 6.0) / 6.0
    np.testing.assert_allclose(_np(hard_sigmoid(X)), expected, rtol=1e-6, atol=1e-7)
    # The models build Keras' Activation("hard_sigmoid") (blocks.conv.activation): the same function.
    builtin = keras.layers.Activation("hard_sigmoid")
    np.testing.assert_allclose(_np(builtin(X[None])), expected[None], rtol=1e-6, atol=1e-7)


def test_hard_sigmoid_is_not_keras2_definition():
    # Keras 2: clip(0.2 x + 0.5, 0, 1) gives 0.7 at x=1; relu6(x + 3) / 6 gives 2/3.
    assert float(_np(hard_sigmoid(np.float32(1.0)))) == pytest.approx(2.0 / 3.0)


def test_hard_swish_formula():
    expected = X * np.minimum(np.maximum(X + 3.0, 0.0), 6.0) / 6.0
    np.testing.assert_allclose(_np(hard_swish(X)), expected, rtol=1e-6, atol=1e-7)
    builtin = keras.layers.Activation("hard_silu")
    np.testing.assert_allclose(_np(builtin(X[None])), expected[None], rtol=1e-6, atol=1e-7)


def test_functions_serialize_by_name():
    layer = keras.layers.Dense(2, activation=hard_swish)
    config = keras.saving.serialize_keras_object(layer)
    restored = keras.saving.deserialize_keras_object(config)
    assert restored.activation is hard_swish


@pytest.mark.parity
def test_match_torch():
    torch = pytest.importorskip("torch")
    t = torch.from_numpy(X)
    np.testing.assert_allclose(_np(hard_swish(X)), torch.nn.functional.hardswish(t).numpy(), rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(_np(hard_sigmoid(X)), torch.nn.functional.hardsigmoid(t).numpy(), rtol=1e-6, atol=1e-7)
