"""Custom layers. Importing this package registers each of them for `keras.models.load_model`."""

from keras_classics.layers.activations import hard_sigmoid, hard_swish
from keras_classics.layers.attention import CBAM, EfficientChannelAttention, SplitAttention, SqueezeExcite
from keras_classics.layers.conv import GroupConv2D
from keras_classics.layers.normalization import LocalResponseNormalization
from keras_classics.layers.placement import OnDevice
from keras_classics.layers.scale import LayerScale
from keras_classics.layers.shuffle import ChannelShuffle
from keras_classics.layers.vit import (
    ClassToken,
    LearnedPositionEmbedding,
    MultiHeadSelfAttention,
    ScaledDotProductAttention,
    SinusoidalPositionEmbedding,
)

__all__ = [
    "CBAM",
    "ChannelShuffle",
    "ClassToken",
    "EfficientChannelAttention",
    "GroupConv2D",
    "LayerScale",
    "LearnedPositionEmbedding",
    "LocalResponseNormalization",
    "MultiHeadSelfAttention",
    "OnDevice",
    "ScaledDotProductAttention",
    "SinusoidalPositionEmbedding",
    "SplitAttention",
    "SqueezeExcite",
    "hard_sigmoid",
    "hard_swish",
]
