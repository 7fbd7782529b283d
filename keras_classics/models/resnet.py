"""ResNet, ResNeXt, torchvision's Wide ResNet, and the attention ResNets (SE, ECA, CBAM).

He, Zhang, Ren & Sun 2016, "Deep Residual Learning for Image Recognition", Table 1 (depths 18-152); Xie et
al. 2017, "Aggregated Residual Transformations for Deep Neural Networks", Table 1 (ResNeXt-50 32x4d);
Zagoruyko & Komodakis 2016, "Wide Residual Networks" (torchvision's ImageNet `wide_resnet50_2`: the
bottleneck's inner width doubled); Hu et al. 2018 (SE), Woo et al. 2018 (CBAM) and Wang et al. 2020
(ECA) for the attention modules on the residual branch.

Built as torchvision 0.29.1 builds them (v1.5: the stride on the 3x3 conv; 7x7/2 stem and 3x3/2 max
pool; global average pool and `fc`), with its layer names (`conv1`, `bn1`, `layer1_0_conv1`,
`layer1_0_downsample_0`, `fc`), which timm's ResNets share, so either library's state dict imports by name.
The SE variants are timm 1.0.31's `seresnet*` (`layer1_0_se` with `fc1`/`fc2`). Every variant takes the
family options `attention` (None, "se", "eca", "cbam"), `drop_path_rate` (stochastic depth, growing
linearly over the blocks as in timm) and `zero_init_residual` (torchvision's option: the last BN of each
block starts at zero gamma).
"""

from __future__ import annotations

import dataclasses
import functools

from keras_classics.blocks.conv import conv_bn_act
from keras_classics.blocks.pooling import max_pool2d
from keras_classics.blocks.attention import check_attention
from keras_classics.blocks.residual import apply_resnet_block
from keras_classics.models.builder import assemble
from keras_classics.models.variant_table import VariantRow, register_family

RESNET = "He, Zhang, Ren & Sun 2016, Deep Residual Learning for Image Recognition (CVPR)"
RESNEXT = "Xie, Girshick, Dollar, Tu & He 2017, Aggregated Residual Transformations for Deep Neural Networks (CVPR)"
WIDE = "Zagoruyko & Komodakis 2016, Wide Residual Networks (BMVC); ImageNet form of torchvision"
SE = "Hu, Shen & Sun 2018, Squeeze-and-Excitation Networks (CVPR)"
CBAM = "Woo, Park, Lee & Kweon 2018, CBAM: Convolutional Block Attention Module (ECCV)"
ECA = "Wang, Wu, Zhu, Li, Zuo & Hu 2020, ECA-Net: Efficient Channel Attention for Deep CNNs (CVPR)"

CSV = "shared/reference/architectures.csv"

# Every input side works: all convs and the max pool are padded, and the head pools globally
# (torchvision's resnet50 runs on a 1x1 image too).
MIN_SIZE = 1

BASIC, BOTTLENECK = False, True
STAGE_PLANES = (64, 128, 256, 512)


@dataclasses.dataclass(frozen=True)
class ResNetRow(VariantRow):
    depths: tuple  # blocks per stage (He et al. Table 1)
    bottleneck: bool
    groups: int = 1  # ResNeXt cardinality
    width_per_group: int = 64  # 64 = ResNet; 4 with 32 groups = ResNeXt 32x4d; 128 = Wide ResNet-50-2
    attention: str | None = None  # the default of the `attention` option


TORCHVISION_CSV = f"{CSV} (torchvision 0.29.1)"

# fmt: off
VARIANTS = (
    # He et al. 2016 Table 1: 18/34 use basic blocks [2,2,2,2] / [3,4,6,3]; 50/101/152 bottlenecks.
    ResNetRow((2, 2, 2, 2), BASIC, name="resnet18", paper=RESNET, reference="torchvision:resnet18",
              params=11689512, params_source=TORCHVISION_CSV, mmacs=1814.1,
              doc="ResNet-18 (basic blocks, He et al. 2016 Table 1)."),
    ResNetRow((3, 4, 6, 3), BASIC, name="resnet34", paper=RESNET, reference="torchvision:resnet34",
              params=21797672, params_source=TORCHVISION_CSV, mmacs=3663.8,
              doc="ResNet-34 (basic blocks, He et al. 2016 Table 1)."),
    ResNetRow((3, 4, 6, 3), BOTTLENECK, name="resnet50", paper=RESNET, reference="torchvision:resnet50",
              params=25557032, params_source=TORCHVISION_CSV, mmacs=4089.2,
              doc="ResNet-50 v1.5 (bottleneck blocks, stride on the 3x3; He et al. 2016 Table 1)."),
    ResNetRow((3, 4, 23, 3), BOTTLENECK, name="resnet101", paper=RESNET, reference="torchvision:resnet101",
              params=44549160, params_source=TORCHVISION_CSV, mmacs=7801.4,
              doc="ResNet-101 v1.5 (He et al. 2016 Table 1)."),
    ResNetRow((3, 8, 36, 3), BOTTLENECK, name="resnet152", paper=RESNET, reference="torchvision:resnet152",
              params=60192808, params_source=TORCHVISION_CSV, mmacs=11513.6,
              doc="ResNet-152 v1.5 (He et al. 2016 Table 1)."),
    # Xie et al. 2017 Table 1: cardinality 32, bottleneck width 4 (x2 per stage); 101 32x8d from torchvision.
    ResNetRow((3, 4, 6, 3), BOTTLENECK, 32, 4, name="resnext50_32x4d", paper=RESNEXT,
              reference="torchvision:resnext50_32x4d", params=25028904, params_source=TORCHVISION_CSV, mmacs=4230.5,
              doc="ResNeXt-50 (32x4d): ResNet-50 with grouped 3x3 convs (Xie et al. 2017 Table 1)."),
    ResNetRow((3, 4, 23, 3), BOTTLENECK, 32, 8, name="resnext101_32x8d", paper=RESNEXT,
              reference="torchvision:resnext101_32x8d", params=88791336, params_source=TORCHVISION_CSV,
              mmacs=16414.0, doc="ResNeXt-101 (32x8d), torchvision's variant of Xie et al. 2017."),
    # Zagoruyko & Komodakis: the bottleneck's inner width doubled (torchvision's ImageNet WRN-50-2).
    ResNetRow((3, 4, 6, 3), BOTTLENECK, 1, 128, name="wide_resnet50_2", paper=WIDE,
              reference="torchvision:wide_resnet50_2", params=68883240, params_source=TORCHVISION_CSV, mmacs=11398.0,
              doc="Wide ResNet-50-2: ResNet-50 with twice the bottleneck width (torchvision)."),
    ResNetRow((3, 4, 23, 3), BOTTLENECK, 1, 128, name="wide_resnet101_2", paper=WIDE,
              reference="torchvision:wide_resnet101_2", params=126886696, params_source=TORCHVISION_CSV,
              mmacs=22753.1, doc="Wide ResNet-101-2: ResNet-101 with twice the bottleneck width (torchvision)."),
    # Hu et al. 2018: SE (reduction 16) on every block's residual branch, timm 1.0.31 layout.
    ResNetRow((3, 4, 6, 3), BOTTLENECK, attention="se", name="se_resnet50", paper=SE, reference="timm:seresnet50",
              params=28088024, params_source=f"{CSV} (timm 1.0.31 seresnet50)", mmacs=4091.7,
              doc="SE-ResNet-50 (SE reduction 16; timm seresnet50)."),
    ResNetRow((3, 4, 23, 3), BOTTLENECK, attention="se", name="se_resnet101", paper=SE, reference="timm:seresnet101",
              params=49326872, params_source="timm 1.0.31 seresnet101: sum(p.numel() for p in model.parameters())",
              mmacs=None, doc="SE-ResNet-101 (SE reduction 16; timm seresnet101)."),
    ResNetRow((3, 4, 6, 3), BOTTLENECK, 32, 4, "se", name="se_resnext50_32x4d", paper=SE,
              reference="timm:seresnext50_32x4d", params=27559896,
              params_source=f"{CSV} (timm 1.0.31 seresnext50_32x4d)", mmacs=None,
              doc="SE-ResNeXt-50 (32x4d) (SE reduction 16; timm seresnext50_32x4d)."),
    # Woo et al. 2018 Table 4: ResNet-50 + CBAM, 28.09M. Ours: resnet50 + per block the SE-sized channel
    # MLP (c^2/8 + c + c/16) and the 7x7 spatial conv + BN (98 + 2) = 25,557,032 + 2,530,992 + 16 * 100.
    ResNetRow((3, 4, 6, 3), BOTTLENECK, attention="cbam", name="cbam_resnet50", paper=CBAM,
              reference="paper:Woo et al. 2018 Table 4", params=28089624,
              params_source="ours: torchvision resnet50 + CBAM(reduction 16, 7x7 spatial conv + BN) per block; "
              "paper Table 4: 28.09M", mmacs=None,
              doc="ResNet-50 with CBAM on every block's residual branch (Woo et al. 2018)."),
    # Wang et al. 2020: ECA with adaptive k (gamma 2, b 1): k = 5 for 256/512/1024 channels, 7 for 2048.
    ResNetRow((3, 4, 6, 3), BOTTLENECK, attention="eca", name="eca_resnet50", paper=ECA,
              reference="paper:Wang et al. 2020 ECA-Net50 (adaptive k)", params=25557118,
              params_source=f"{CSV} (torchvision resnet50 + 3*5 + 4*5 + 6*5 + 3*7 = 86 ECA weights)", mmacs=None,
              doc="ECA-ResNet-50: torchvision ResNet-50 with ECA (adaptive k, no bias) on every block (Wang et al. "
              "2020)."),
    ResNetRow((3, 4, 23, 3), BOTTLENECK, attention="eca", name="eca_resnet101", paper=ECA,
              reference="paper:Wang et al. 2020 ECA-Net101 (adaptive k)", params=44549331,
              params_source="ours: torchvision resnet101 44,549,160 + 3*5 + 4*5 + 23*5 + 3*7 = 171 ECA weights",
              mmacs=None, doc="ECA-ResNet-101: torchvision ResNet-101 with ECA (adaptive k, no bias) on every block "
              "(Wang et al. 2020)."),
)
# fmt: on


def _stem(x):
    x = conv_bn_act(x, 64, 7, 2, conv_name="conv1", bn_name="bn1", act_name="relu")
    # Max pool after ReLU: zero padding is as good as -inf padding.
    return max_pool2d(x, 3, 2, 1, nonnegative_input=True, name="maxpool")


def _features(x, row: ResNetRow, attention, drop_path_rate, zero_init_residual):
    x = _stem(x)
    total, index = sum(row.depths), 0
    for stage, (blocks, planes) in enumerate(zip(row.depths, STAGE_PLANES), start=1):
        for block in range(blocks):
            x = apply_resnet_block(
                x,
                planes,
                strides=2 if (block == 0 and stage > 1) else 1,
                bottleneck=row.bottleneck,
                groups=row.groups,
                width_per_group=row.width_per_group,
                attention=attention,
                # timm's linear decay rule: 0 for the first block, drop_path_rate for the last.
                drop_path_rate=drop_path_rate * index / max(total - 1, 1),
                zero_init_residual=zero_init_residual,
                name=f"layer{stage}_{block}",
            )
            index += 1
    return x


def _build(row: ResNetRow, spec, args):
    attention = check_attention(args.attention)
    features = functools.partial(
        _features,
        row=row,
        attention=attention,
        drop_path_rate=float(args.drop_path_rate),
        zero_init_residual=bool(args.zero_init_residual),
    )
    return assemble(spec, args, features)


def _stages(row: ResNetRow):
    return ("relu",) + tuple(f"layer{s}_{n - 1}_out" for s, n in enumerate(row.depths, start=1))


register_family(
    VARIANTS,
    _build,
    options=lambda row: {"attention": row.attention, "drop_path_rate": 0.0, "zero_init_residual": False},
    head_modules=("fc",),
    family="resnet",  # every network this module builds, the attention ones too
    default_size=224,
    min_size=MIN_SIZE,
    stages=_stages,
)
