"""ResNeSt (Zhang et al., "ResNeSt: Split-Attention Networks", arXiv:2004.08955, CVPR Workshops 2022).

A ResNet-D body whose bottleneck 3x3 convolution is a split-attention convolution with radix 2 and
cardinality 1 (the paper's "2s1x64d" setting, Table 1 / Sec. 5.1), trained at the crop sizes of Table 3
(ResNeSt-50 at 224, ResNeSt-101 at 256). The network tweaks of Sec. 5.1 are all here:
- deep stem: three 3x3 convs (stride 2 in the first) instead of one 7x7, then a 3x3/2 max-pool;
- average-pool downsampling in the shortcut ("avg_down"): a 2x2/2 average pool, then the 1x1 conv;
- "avd": the stride of a downsampling block moves out of the split-attention conv into a 3x3/2 average
  pool after it (`avd_first=False`).

The reference is timm 1.0.31 (`resnest50d`, `resnest101e`); layer names follow its module paths
(`conv1_0`, `bn1`, `layer1_0_conv2`, `layer2_0_downsample_1`, `fc`). `layerN_M_conv2` is a
`keras_classics.layers.SplitAttention` whose sublayers `conv`, `bn0`, `fc1`, `bn1`, `fc2` are timm's
`SplitAttn` children, so `layer1.0.conv2.fc1.weight` lands on `layer1_0_conv2/fc1` by name.
"""

from __future__ import annotations

import dataclasses
import functools

from keras import layers

from keras_classics.blocks.conv import batch_norm, conv2d, conv_bn_act
from keras_classics.blocks.pooling import avg_pool2d, max_pool2d
from keras_classics.blocks.regularization import drop_path
from keras_classics.layers import SplitAttention
from keras_classics.models.builder import assemble, default_head
from keras_classics.models.variant_table import VariantRow, register_family

EXPANSION = 4  # bottleneck output = 4 * planes
STAGE_PLANES = (64, 128, 256, 512)


@dataclasses.dataclass(frozen=True)
class ResNeStRow(VariantRow):
    """One ResNeSt variant: blocks per stage and stem width (radix/cardinality/width: "2s1x64d")."""

    depths: tuple[int, int, int, int]
    stem_width: int
    radix: int = 2
    cardinality: int = 1
    base_width: int = 64


# fmt: off
VARIANTS = (
    # ResNet-50 depths (He et al. 2016 Table 1); timm resnest50d: stem 32-32-64.
    ResNeStRow((3, 4, 6, 3), stem_width=32, name="resnest50", reference="timm:resnest50d", params=27483240,
               mmacs=5371.2, default_size=224,
               doc="ResNeSt-50 (2s1x64d): ResNet-50-D with radix-2 split-attention bottlenecks, at 224x224."),
    # ResNet-101 depths; timm resnest101e ("e": stem 64-64-128, like the paper's ResNeSt-101).
    ResNeStRow((3, 4, 23, 3), stem_width=64, name="resnest101", reference="timm:resnest101e", params=48275016,
               mmacs=13321.5, default_size=256,
               doc="ResNeSt-101 (2s1x64d): ResNet-101-D (stem width 64) with radix-2 split attention, at 256x256."),
)
# fmt: on


def split_attention_bottleneck(x, row, planes, stride, downsample, drop_path_rate, name):
    """timm's `ResNestBottleneck` (avd, `avd_first=False`): 1x1 -> split-attention 3x3 -> [avg pool] -> 1x1."""
    width = int(planes * row.base_width / 64) * row.cardinality
    out = conv_bn_act(x, width, 1, conv_name=f"{name}_conv1", bn_name=f"{name}_bn1", act_name=f"{name}_act1")
    out = SplitAttention(width, 3, groups=row.cardinality, radix=row.radix, name=f"{name}_conv2")(out)
    if stride > 1:
        out = avg_pool2d(out, 3, stride, 1, name=f"{name}_avd_last")  # avd: nn.AvgPool2d(3, stride, padding=1)
    out = conv2d(out, planes * EXPANSION, 1, name=f"{name}_conv3")
    out = batch_norm(out, name=f"{name}_bn3")
    shortcut = x
    if downsample:
        if stride > 1:
            # avg-down: AvgPool2d(2, stride, ceil_mode=True, count_include_pad=False); an odd side's last
            # window holds one row, averaged over that row only.
            shortcut = avg_pool2d(
                shortcut, 2, stride, ceil_mode=True, count_include_pad=False, name=f"{name}_downsample_0"
            )
        shortcut = conv2d(shortcut, planes * EXPANSION, 1, name=f"{name}_downsample_1")
        shortcut = batch_norm(shortcut, name=f"{name}_downsample_2")
    if drop_path_rate > 0:
        # Stochastic depth on the residual branch (timm's ResNestBottleneck drops the shortcut input
        # instead, which only acts in downsampling blocks; see the family notes).
        out = drop_path(out, drop_path_rate, name=f"{name}_drop_path")
    out = layers.Add(name=f"{name}_add")([out, shortcut])
    return layers.ReLU(name=f"{name}_act3")(out)


def _features(x, row, drop_path_rate):
    stem = row.stem_width
    # Deep stem: timm `conv1` is Sequential(conv, bn, relu, conv, bn, relu, conv); `bn1`/`act1` follow.
    x = conv_bn_act(x, stem, 3, strides=2, conv_name="conv1_0", bn_name="conv1_1", act_name="conv1_2")
    x = conv_bn_act(x, stem, 3, conv_name="conv1_3", bn_name="conv1_4", act_name="conv1_5")
    x = conv_bn_act(x, stem * 2, 3, conv_name="conv1_6", bn_name="bn1", act_name="act1")
    # MaxPool2d(3, 2, padding=1) after a ReLU: zero padding never wins the max.
    x = max_pool2d(x, 3, 2, 1, nonnegative_input=True, name="maxpool")
    total = sum(row.depths)
    index = 0
    in_channels = stem * 2
    for stage, (planes, depth) in enumerate(zip(STAGE_PLANES, row.depths), start=1):
        for block in range(depth):
            stride = 2 if stage > 1 and block == 0 else 1
            downsample = block == 0 and (stride != 1 or in_channels != planes * EXPANSION)
            rate = drop_path_rate * index / (total - 1)  # timm's linear decay over all blocks
            x = split_attention_bottleneck(x, row, planes, stride, downsample, rate, f"layer{stage}_{block}")
            in_channels = planes * EXPANSION
            index += 1
    return x


def _build(row, spec, args):
    features = functools.partial(_features, row=row, drop_path_rate=args.drop_path_rate)
    return assemble(spec, args, features, functools.partial(default_head, name="fc"))


def _stages(row: ResNeStRow):
    return tuple(["act1"] + [f"layer{s}_{d - 1}_act3" for s, d in enumerate(row.depths, start=1)])


register_family(
    VARIANTS,
    _build,
    options={"drop_path_rate": 0.0},
    head_modules=("fc",),
    family="resnest",  # the module's own family (the csv groups it with SE/CBAM/ECA as "attention")
    paper="Zhang et al. 2020, ResNeSt: Split-Attention Networks (arXiv:2004.08955)",
    params_source="shared/reference/architectures.csv (timm 1.0.31 parameters())",
    # Five stride-2 steps: 32 leaves a 1x1 map in layer4 (smaller inputs run but collapse earlier).
    min_size=32,
    stages=_stages,
)
