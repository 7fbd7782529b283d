"""A PyTorch `nn.Sequential` of plain CNN modules as a list of descriptors (AlexNet, ZFNet, VGG).

A network part is a tuple of module descriptors (`conv(96, 11, 4, 0)`, `RELU`, `LRN`, `maxpool(3, 2)`,
`linear(4096)`, ...), and `apply_sequential` builds module `i` as the Keras layer `{prefix}_{i}`, exactly as
torchvision numbers its `Sequential` (`features.0.weight` -> `features_0`), so reference state dicts import
by name:

    >>> import keras
    >>> x = keras.Input((32, 32, 3))
    >>> y = apply_sequential(x, (conv(8, 3), RELU, maxpool(2, 2)), "features")
    >>> y._keras_history.operation.name, tuple(y.shape)
    ('features_2', (None, 16, 16, 8))
"""

from __future__ import annotations

from typing import NamedTuple

from keras import layers

from keras_classics.blocks.conv import batch_norm, conv2d
from keras_classics.blocks.pooling import max_pool2d
from keras_classics.layers import LocalResponseNormalization


# ------------------------------------------------------------------------------ module descriptors
def conv(filters, kernel, stride=1, padding=None, groups=1):
    """`nn.Conv2d(..., filters, kernel, stride, padding, groups=groups)` with bias; padding defaults to k // 2."""
    return ("conv", filters, kernel, stride, kernel // 2 if padding is None else padding, groups)


def maxpool(kernel, stride, padding=0):
    """`nn.MaxPool2d(kernel, stride, padding)` (floor mode)."""
    return ("maxpool", kernel, stride, padding)


def linear(units=None):
    """`nn.Linear(..., units)`; `None` is the number of classes."""
    return ("linear", units)


RELU = ("relu",)
BN = ("bn",)  # nn.BatchNorm2d: eps 1e-5, momentum 0.1
def lrn(groups=1):
    """AlexNet's local response normalization (Krizhevsky et al. 2012, Section 3.3), per channel group."""
    return ("lrn", groups)


LRN = lrn()
DROPOUT = ("dropout",)  # rate from the `dropout_rate` option


class Plan(NamedTuple):
    """One variant: the `features` and `classifier` module lists and the adaptive pool's output side."""

    features: tuple
    classifier: tuple
    pool_size: int | None = None  # None: flatten the last feature map as it is (fixed-size paper networks)


def _reduces(module) -> bool:
    return module[0] == "maxpool" or (module[0] == "conv" and module[3] > 1)


def stage_names(modules, prefix="features") -> tuple[str, ...]:
    """The last layer of each resolution: the layer before every strided conv or pool, and the last one."""
    ends = [i - 1 for i, module in enumerate(modules) if i and _reduces(module)] + [len(modules) - 1]
    return tuple(f"{prefix}_{i}" for i in dict.fromkeys(ends))


# --------------------------------------------------------------------------------------- building
def apply_sequential(x, modules, prefix, dropout_rate=0.5, classes=None):
    """Applies the module list like an `nn.Sequential` whose module `i` is the Keras layer `{prefix}_{i}`."""
    previous = None
    for index, (kind, *config) in enumerate(modules):
        name = f"{prefix}_{index}"
        if kind == "conv":
            filters, kernel, stride, padding, groups = config
            x = conv2d(x, filters, kernel, stride, padding, groups=groups, use_bias=True, name=name)
        elif kind == "bn":
            x = batch_norm(x, name=name)
        elif kind == "relu":
            x = layers.ReLU(name=name)(x)
        elif kind == "lrn":
            (groups,) = config
            x = LocalResponseNormalization(depth_radius=2, bias=2.0, alpha=1e-4, beta=0.75, groups=groups, name=name)(x)
        elif kind == "maxpool":
            # ReLU and LRN (of ReLU outputs) are >= 0: a padded pool may then use zeros instead of -inf.
            x = max_pool2d(x, *config, nonnegative_input=previous in ("relu", "lrn"), name=name)
        elif kind == "dropout":
            x = layers.Dropout(dropout_rate, name=name)(x)
        elif kind == "linear":
            x = layers.Dense(config[0] or classes, name=name)(x)
        else:
            raise ValueError(f"unknown module kind {kind!r} in {prefix}")
        previous = kind
    return x
