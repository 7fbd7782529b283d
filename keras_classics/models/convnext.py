"""ConvNeXt (Liu et al. 2022, "A ConvNet for the 2020s", CVPR), Tiny to Large.

A ResNet modernized step by step towards a Vision Transformer (the paper's Figure 2): a 4x4/4 "patchify"
stem, stages of 3:3:9:3 (T) or 3:3:27:3 (S/B/L) blocks, each block a 7x7 depthwise conv, LayerNorm, a 4x
inverted bottleneck of two pointwise (dense) layers with GELU between, a learned per-channel layer scale
(1e-6 at start) and stochastic depth growing linearly over the blocks; between stages a LayerNorm and a 2x2/2
conv; the head is global average pooling, LayerNorm and a dense layer (Table 9's C and B per variant).
Built as torchvision 0.29.1's `convnext_*`: the same layer names (`features_1_0_block_0` is torchvision's
`features.1.0.block.0`; its `layer_scale` parameter is the layer `features_1_0_layer_scale`), LayerNorm eps
1e-6 and torchvision's stochastic depth rates (0.1, 0.4, 0.5, 0.5). Every layer is Keras' own except the layer
scale (`keras_classics.layers.LayerScale`), as in keras.applications' ConvNeXt.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

from keras import layers

from keras_classics.blocks.conv import conv2d, depthwise_conv2d
from keras_classics.blocks.regularization import drop_path
from keras_classics.layers import LayerScale
from keras_classics.models.builder import assemble, register_variant
from keras_classics.torch_compat import IMAGENET_MEAN, IMAGENET_STD

LN_EPSILON = 1e-6
LAYER_SCALE_INIT = 1e-6


class ConvNeXtRow(NamedTuple):
    """One variant (the paper's Section 3 / Table 9: C = channels per stage, B = blocks per stage)."""

    channels: tuple[int, int, int, int]
    blocks: tuple[int, int, int, int]
    drop_path_rate: float  # torchvision's stochastic_depth_prob
    params: int  # ../shared/reference/architectures.csv
    mmacs: float


VARIANTS = {
    "convnext_tiny": ConvNeXtRow((96, 192, 384, 768), (3, 3, 9, 3), 0.1, 28589128, 4455.5),
    "convnext_small": ConvNeXtRow((96, 192, 384, 768), (3, 3, 27, 3), 0.4, 50223688, 8683.7),
    "convnext_base": ConvNeXtRow((128, 256, 512, 1024), (3, 3, 27, 3), 0.5, 88591464, 15354.7),
    "convnext_large": ConvNeXtRow((192, 384, 768, 1536), (3, 3, 27, 3), 0.5, 197767336, 34361.4),
}


def convnext_block(x, name: str, drop_path_rate: float):
    """torchvision's `CNBlock`: x + drop_path(layer_scale * pw2(gelu(pw1(ln(dw7x7(x))))))."""
    dim = x.shape[-1]
    y = depthwise_conv2d(x, 7, padding=3, use_bias=True, name=f"{name}_block_0")
    y = layers.LayerNormalization(epsilon=LN_EPSILON, name=f"{name}_block_2")(y)
    y = layers.Dense(4 * dim, name=f"{name}_block_3")(y)
    y = layers.Activation("gelu", name=f"{name}_block_4")(y)  # exact (erf) GELU, as nn.GELU()
    y = layers.Dense(dim, name=f"{name}_block_5")(y)
    y = LayerScale(LAYER_SCALE_INIT, name=f"{name}_layer_scale")(y)
    if drop_path_rate:
        y = drop_path(y, drop_path_rate, name=f"{name}_drop_path")
    return layers.Add(name=f"{name}_add")([x, y])


def _features(x, row: ConvNeXtRow, drop_path_rate: float):
    x = conv2d(x, row.channels[0], 4, 4, padding=0, use_bias=True, name="features_0_0")
    x = layers.LayerNormalization(epsilon=LN_EPSILON, name="features_0_1")(x)
    total = sum(row.blocks)
    block_id = 0
    for stage, (channels, blocks) in enumerate(zip(row.channels, row.blocks)):
        index = 2 * stage + 1  # torchvision's features: stem, stage, downsample, stage, ...
        if stage:
            x = layers.LayerNormalization(epsilon=LN_EPSILON, name=f"features_{index - 1}_0")(x)
            x = conv2d(x, channels, 2, 2, padding=0, use_bias=True, name=f"features_{index - 1}_1")
        for block in range(blocks):
            # torchvision: rate * block_id / (total - 1), from 0 at the first block to `rate` at the last.
            x = convnext_block(x, f"features_{index}_{block}", drop_path_rate * block_id / (total - 1))
            block_id += 1
    return x


def _head(x, classes):
    x = layers.GlobalAveragePooling2D(name="avgpool")(x)
    x = layers.LayerNormalization(epsilon=LN_EPSILON, name="classifier_0")(x)
    return layers.Dense(classes, name="classifier_2")(x)


def _build(row, spec, args):
    return assemble(spec, args, lambda x: _features(x, row, args.drop_path_rate), _head)


for _name, _row in VARIANTS.items():
    register_variant(
        _name,
        functools.partial(_build, _row),
        options={"drop_path_rate": _row.drop_path_rate},
        doc=(
            f"ConvNeXt-{_name.split('_')[1].title()} (Liu et al. 2022): channels {_row.channels}, blocks "
            f"{_row.blocks}; 7x7 depthwise conv, LayerNorm, 4x inverted bottleneck with GELU, layer scale. "
            "`drop_path_rate` is the stochastic depth rate of the last block (linearly less for earlier ones)."
        ),
        family="convnext",
        head_modules=("classifier",),
        paper="Liu et al. 2022, A ConvNet for the 2020s",
        reference=f"torchvision:{_name}",
        params=_row.params,
        params_source="shared/reference/architectures.csv (torchvision 0.29.1)",
        mmacs=_row.mmacs,
        default_size=224,
        min_size=32,  # four halvings after the 4x4/4 stem: 32 pixels leave a 1x1 map
        mean=IMAGENET_MEAN,
        std=IMAGENET_STD,
        # The last block of each stage: strides 4, 8, 16, 32.
        stages=tuple(f"features_{2 * s + 1}_{n - 1}_add" for s, n in enumerate(_row.blocks)),
    )
