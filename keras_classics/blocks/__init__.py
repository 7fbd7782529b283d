"""Functional building blocks: `apply_*`-style functions that take a tensor and return a tensor."""

from keras_classics.blocks.conv import (
    activation,
    batch_norm,
    conv2d,
    conv_bn_act,
    depthwise_conv2d,
    torch_padding,
)
from keras_classics.blocks.pooling import adaptive_avg_pool, avg_pool2d, max_pool2d

__all__ = [
    "activation",
    "adaptive_avg_pool",
    "avg_pool2d",
    "batch_norm",
    "conv2d",
    "conv_bn_act",
    "depthwise_conv2d",
    "max_pool2d",
    "torch_padding",
]
