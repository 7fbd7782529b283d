"""The attention plug-in registry (keras_classics.blocks.attention)."""

import keras
import numpy as np
import pytest

import keras_classics
from keras_classics.blocks import attention
from keras_classics.layers import CBAM, EfficientChannelAttention, SqueezeExcite


def test_each_kind_builds_its_layer_named_after_the_block():
    x = keras.Input((8, 8, 64))
    for kind, layer_type in (("se", SqueezeExcite), ("eca", EfficientChannelAttention), ("cbam", CBAM)):
        y = attention.apply_attention(x, kind, name="layer1_0")
        layer = y._keras_history.operation
        assert isinstance(layer, layer_type) and layer.name == f"layer1_0_{kind}"
    assert attention.apply_attention(x, None, name="layer1_0") is x


def test_unknown_kind_names_the_allowed_ones():
    with pytest.raises(ValueError, match=r"attention must be one of None, 'cbam', 'eca', 'se'; got 'sk'"):
        keras_classics.resnet18(attention="sk")
    with pytest.raises(ValueError, match="got 3"):
        attention.check_attention(3)


def test_a_new_kind_is_one_factory_and_reaches_every_family_with_the_option():
    @keras.saving.register_keras_serializable(package="tests")
    class Halve(keras.layers.Layer):
        def call(self, inputs):
            return inputs * 0.5

    attention.register_attention("halve")(lambda name: Halve(name=f"{name}_halve"))
    try:
        with pytest.raises(ValueError, match="already registered"):
            attention.register_attention("halve")(lambda name: None)
        resnet = keras_classics.resnet18(attention="halve", input_shape=(32, 32, 3), classes=3)
        wide = keras_classics.wrn_16_8(attention="halve", classes=3)
        assert sum(isinstance(layer, Halve) for layer in resnet.layers) == 8  # one per basic block
        assert sum(isinstance(layer, Halve) for layer in wide.layers) == 6  # (16 - 4) / 6 blocks x 3 groups
        assert "halve" in attention.attention_kinds()
        images = np.zeros((1, 32, 32, 3), "float32")
        assert resnet(images).shape == (1, 3) and wide(images).shape == (1, 3)
    finally:
        attention._FACTORIES.pop("halve", None)
