"""ConvNeXt (Liu et al. 2022, "A ConvNet for the 2020s", CVPR), Tiny to XLarge.

A ResNet modernized step by step towards a Vision Transformer (the paper's Figure 2): a 4x4/4 "patchify"
stem, stages of 3:3:9:3 (T) or 3:3:27:3 (S/B/L) blocks, each block a 7x7 depthwise conv, LayerNorm, a 4x
inverted bottleneck of two pointwise (dense) layers with GELU between, a learned per-channel layer scale
(1e-6 at start) and stochastic depth growing linearly over the blocks; between stages a LayerNorm and a 2x2/2
conv; the head is global average pooling, LayerNorm and a dense layer (Table 9's C and B per variant).
Built as torchvision 0.29.1's `convnext_*`: the same layer names (`features_1_0_block_0` is torchvision's
`features.1.0.block.0`; its `layer_scale` parameter is the layer `features_1_0_layer_scale`), LayerNorm eps
1e-6 and torchvision's stochastic depth rates (0.1, 0.4, 0.5, 0.5). XLarge (C = 256 ... 2048, the paper's
ImageNet-22K network), which torchvision lacks, is timm 1.0's `convnext_xlarge` with timm's names
(`stages_1_blocks_0_conv_dw`, `..._gamma`) and its stochastic depth default, 0. Every layer is Keras' own except
the layer scale (`keras_classics.layers.LayerScale`), as in keras.applications' ConvNeXt.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import NamedTuple

from keras import layers

from keras_classics.blocks.conv import conv2d, depthwise_conv2d
from keras_classics.blocks.regularization import drop_path
from keras_classics.layers import LayerScale
from keras_classics.models.builder import assemble
from keras_classics.models.variant_table import VariantRow, register_family
from keras_classics.torch_compat import IMAGENET_MEAN, IMAGENET_STD

LN_EPSILON = 1e-6
LAYER_SCALE_INIT = 1e-6


class Layout(NamedTuple):
    """How a reference names the layers. Names are formatted with `stage` (0-based), `index` (the position in
    torchvision's `features`: 2 * stage + 1 for a stage's blocks, 2 * stage for its downsampling) and `block`
    (0-based within the stage); each role is appended to its block's name."""

    stem: tuple[str, str]  # conv, LayerNorm
    downsample: tuple[str, str]  # LayerNorm, conv
    block: str
    roles: tuple[str, str, str, str, str, str]  # depthwise conv, LayerNorm, fc1, GELU, fc2, layer scale
    head: tuple[str, str, str]  # global pool, LayerNorm, dense
    head_module: str  # the classifier's module path, for `head_modules`


# torchvision's `features` Sequential: stem, stage, downsample, stage, ... (stage s at index 2s + 1)
TORCHVISION = Layout(
    stem=("features_0_0", "features_0_1"),
    downsample=("features_{index}_0", "features_{index}_1"),
    block="features_{index}_{block}",
    roles=("block_0", "block_2", "block_3", "block_4", "block_5", "layer_scale"),
    head=("avgpool", "classifier_0", "classifier_2"),
    head_module="classifier",
)
TIMM = Layout(
    stem=("stem_0", "stem_1"),
    downsample=("stages_{stage}_downsample_0", "stages_{stage}_downsample_1"),
    block="stages_{stage}_blocks_{block}",
    roles=("conv_dw", "norm", "mlp_fc1", "mlp_act", "mlp_fc2", "gamma"),
    head=("head_global_pool", "head_norm", "head_fc"),
    head_module="head",
)


@dataclasses.dataclass(frozen=True)
class ConvNeXtRow(VariantRow):
    """One variant (the paper's Section 3 / Table 9: C = channels per stage, B = blocks per stage)."""

    widths: tuple[int, int, int, int]  # C (not `channels`: that `ModelSpec` fact is the input's channels)
    blocks: tuple[int, int, int, int]
    drop_path_rate: float  # the reference's default (torchvision's stochastic_depth_prob)
    layout: Layout = TORCHVISION


TORCHVISION_CSV = "shared/reference/architectures.csv (torchvision 0.29.1)"

# fmt: off
VARIANTS = (
    ConvNeXtRow((96, 192, 384, 768), (3, 3, 9, 3), 0.1, name="convnext_tiny", params=28589128,
                params_source=TORCHVISION_CSV, mmacs=4455.5),
    ConvNeXtRow((96, 192, 384, 768), (3, 3, 27, 3), 0.4, name="convnext_small", params=50223688,
                params_source=TORCHVISION_CSV, mmacs=8683.7),
    ConvNeXtRow((128, 256, 512, 1024), (3, 3, 27, 3), 0.5, name="convnext_base", params=88591464,
                params_source=TORCHVISION_CSV, mmacs=15354.7),
    ConvNeXtRow((192, 384, 768, 1536), (3, 3, 27, 3), 0.5, name="convnext_large", params=197767336,
                params_source=TORCHVISION_CSV, mmacs=34361.4),
    # not in architectures.csv: timm 1.0.31's count, equal to keras.applications' ConvNeXtXLarge (trainable);
    # MACs by `analysis.count_macs`, the paper's 60.9G for ConvNeXt-XL at 224
    ConvNeXtRow((256, 512, 1024, 2048), (3, 3, 27, 3), 0.0, TIMM, name="convnext_xlarge", params=350196968,
                params_source="timm 1.0.31 convnext_xlarge parameters() = keras.applications ConvNeXtXLarge "
                "trainable weights", mmacs=60921.0),
)
# fmt: on


def convnext_block(x, name: str, drop_path_rate: float, layout: Layout = TORCHVISION):
    """torchvision's `CNBlock` (timm's `ConvNeXtBlock`): x + drop_path(layer_scale * pw2(gelu(pw1(ln(dw7x7(x))))))."""
    dim = x.shape[-1]
    dw, norm, fc1, act, fc2, scale = (f"{name}_{role}" for role in layout.roles)
    y = depthwise_conv2d(x, 7, padding=3, use_bias=True, name=dw)
    y = layers.LayerNormalization(epsilon=LN_EPSILON, name=norm)(y)
    y = layers.Dense(4 * dim, name=fc1)(y)
    y = layers.Activation("gelu", name=act)(y)  # exact (erf) GELU, as nn.GELU()
    y = layers.Dense(dim, name=fc2)(y)
    y = LayerScale(LAYER_SCALE_INIT, name=scale)(y)
    if drop_path_rate:
        y = drop_path(y, drop_path_rate, name=f"{name}_drop_path")
    return layers.Add(name=f"{name}_add")([x, y])


def _block_name(layout: Layout, stage: int, block: int) -> str:
    return layout.block.format(stage=stage, index=2 * stage + 1, block=block)


def _features(x, row: ConvNeXtRow, drop_path_rate: float):
    layout = row.layout
    x = conv2d(x, row.widths[0], 4, 4, padding=0, use_bias=True, name=layout.stem[0])
    x = layers.LayerNormalization(epsilon=LN_EPSILON, name=layout.stem[1])(x)
    total = sum(row.blocks)
    block_id = 0
    for stage, (channels, blocks) in enumerate(zip(row.widths, row.blocks)):
        if stage:
            norm, conv = (name.format(stage=stage, index=2 * stage) for name in layout.downsample)
            x = layers.LayerNormalization(epsilon=LN_EPSILON, name=norm)(x)
            x = conv2d(x, channels, 2, 2, padding=0, use_bias=True, name=conv)
        for block in range(blocks):
            # torchvision and timm: rate * block_id / (total - 1), from 0 at the first block to `rate` at the last.
            rate = drop_path_rate * block_id / (total - 1)
            x = convnext_block(x, _block_name(layout, stage, block), rate, layout)
            block_id += 1
    return x


def _head(x, classes, layout: Layout):
    pool, norm, dense = layout.head
    x = layers.GlobalAveragePooling2D(name=pool)(x)
    x = layers.LayerNormalization(epsilon=LN_EPSILON, name=norm)(x)
    return layers.Dense(classes, name=dense)(x)


def _build(row, spec, args):
    head = functools.partial(_head, layout=row.layout)
    return assemble(spec, args, lambda x: _features(x, row, args.drop_path_rate), head)


def _doc(row: ConvNeXtRow):
    size = row.name.split("_")[1].title().replace("Xlarge", "XL")
    return (
        f"ConvNeXt-{size} (Liu et al. 2022): channels {row.widths}, blocks {row.blocks}; "
        "7x7 depthwise conv, LayerNorm, 4x inverted bottleneck with GELU, layer scale. "
        "`drop_path_rate` is the stochastic depth rate of the last block (linearly less for earlier ones)."
    )


def _stages(row: ConvNeXtRow):
    # The last block of each stage: strides 4, 8, 16, 32.
    return tuple(f"{_block_name(row.layout, s, n - 1)}_add" for s, n in enumerate(row.blocks))


register_family(
    VARIANTS,
    _build,
    options=lambda row: {"drop_path_rate": row.drop_path_rate},
    doc=_doc,
    family="convnext",
    head_modules=lambda row: (row.layout.head_module,),
    paper="Liu et al. 2022, A ConvNet for the 2020s",
    reference=lambda row: f"{'torchvision' if row.layout is TORCHVISION else 'timm'}:{row.name}",
    default_size=224,
    min_size=32,  # four halvings after the 4x4/4 stem: 32 pixels leave a 1x1 map
    mean=IMAGENET_MEAN,
    std=IMAGENET_STD,
    stages=_stages,
)
