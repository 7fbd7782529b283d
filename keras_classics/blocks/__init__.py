"""Functional building blocks: `apply_*`-style functions that take a tensor and return a tensor."""

from keras_classics.blocks.conv import (
    activation,
    batch_norm,
    conv2d,
    conv_bn_act,
    depthwise_conv2d,
    make_divisible,
    torch_padding,
)

__all__ = ["activation", "batch_norm", "conv2d", "conv_bn_act", "depthwise_conv2d", "make_divisible", "torch_padding"]
