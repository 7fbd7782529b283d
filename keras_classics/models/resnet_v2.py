"""ResNet v2 (He et al. 2016, "Identity Mappings in Deep Residual Networks", ECCV): pre-activation ResNets.

Each residual unit applies BN and ReLU *before* its convolutions (the paper's Fig. 1b, "full
pre-activation"), so the shortcut path is a pure identity from block to block; a final BN-ReLU follows the
last stage. Depths 50/101/152 use the bottleneck of the v1 paper's Table 1 (3-4-6-3, 3-4-23-3, 3-8-36-3
blocks of 64/128/256/512 bottleneck channels). Built as timm's `resnetv2_50/101/152` (what
keras.applications' ResNet50V2 also is, but for Keras' conv biases): a 7x7/2 stem conv with no norm, a
3x3/2 max pool, stride on the 3x3 conv, 1x1 projection shortcuts of the pre-activated input, and timm's
head, a 1x1 conv on the pooled features (`head_fc`). Layer names are timm's (`stages_1_blocks_0_conv2`).
"""

from __future__ import annotations

import dataclasses

from keras import layers

from keras_classics.blocks.conv import batch_norm, conv2d
from keras_classics.blocks.pooling import max_pool2d
from keras_classics.blocks.residual import apply_preact_bottleneck
from keras_classics.models.builder import assemble
from keras_classics.models.variant_table import VariantRow, register_family
from keras_classics.torch_compat import INCEPTION_MEAN, INCEPTION_STD

STAGE_FILTERS = (256, 512, 1024, 2048)  # 4x the bottleneck width of the v1 paper's Table 1


@dataclasses.dataclass(frozen=True)
class ResNetV2Row(VariantRow):
    blocks: tuple[int, int, int, int]


VARIANTS = (
    ResNetV2Row((3, 4, 6, 3), name="resnet50_v2", params=25549352, mmacs=4089.2),
    ResNetV2Row((3, 4, 23, 3), name="resnet101_v2", params=44541480, mmacs=7801.4),
    ResNetV2Row((3, 8, 36, 3), name="resnet152_v2", params=60185128, mmacs=11513.6),
)


def _features(x, row: ResNetV2Row, drop_path_rate: float):
    x = conv2d(x, 64, 7, 2, name="stem_conv")
    x = max_pool2d(x, 3, 2, padding=1, name="stem_pool")  # on signed values: no BN-ReLU before it
    total = sum(row.blocks)
    block_id = 0
    for stage, (filters, blocks) in enumerate(zip(STAGE_FILTERS, row.blocks)):
        for block in range(blocks):
            strides = 2 if stage and not block else 1
            # timm: linspace(0, rate, total blocks)
            rate = drop_path_rate * block_id / (total - 1)
            x = apply_preact_bottleneck(x, filters, strides, drop_path_rate=rate, name=f"stages_{stage}_blocks_{block}")
            block_id += 1
    return layers.ReLU(name="norm_act")(batch_norm(x, name="norm"))


def _head(x, classes):
    x = layers.GlobalAveragePooling2D(keepdims=True, name="avgpool")(x)
    x = conv2d(x, classes, 1, use_bias=True, name="head_fc")
    return layers.Flatten(name="flatten")(x)


def _build(row, spec, args):
    return assemble(spec, args, lambda x: _features(x, row, args.drop_path_rate), _head)


def _doc(row: ResNetV2Row):
    return (
        f"ResNet-{row.name.split('_')[0][6:]} v2 (He et al. 2016, Identity Mappings): full pre-activation "
        f"bottlenecks, {row.blocks} blocks per stage, a final BN-ReLU. `drop_path_rate` is the stochastic "
        "depth rate of the last block (linearly less for earlier ones; timm's default 0)."
    )


def _stages(row: ResNetV2Row):
    # Strides 2 (the stem conv), 4, 8 and 16 (the last block of stages 0-2) and 32 (the final BN-ReLU).
    return (
        ("stem_conv",)
        + tuple(f"stages_{s}_blocks_{n - 1}_add" for s, n in enumerate(row.blocks))[:-1]
        + ("norm_act",)
    )


register_family(
    VARIANTS,
    _build,
    options={"drop_path_rate": 0.0},
    doc=_doc,
    family="resnet_v2",
    head_modules=("head",),
    paper="He et al. 2016, Identity Mappings in Deep Residual Networks",
    reference=lambda row: f"timm:resnetv2_{row.name[len('resnet'):-len('_v2')]}",
    params_source="shared/reference/architectures.csv (timm)",
    default_size=224,
    min_size=1,
    mean=INCEPTION_MEAN,
    std=INCEPTION_STD,
    stages=_stages,
)
