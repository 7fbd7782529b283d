"""ShuffleNet V1 and V2: pointwise group convolutions, channel shuffle and channel split.

- V1: Zhang, Zhou, Lin and Sun 2017, "ShuffleNet: An Extremely Efficient Convolutional Neural Network for
  Mobile Devices", Table 1 (stage widths per group count g, repeats 4/8/4, bottleneck = 1/4 of the output
  width) and Figure 2 (b, c: the stride-1 unit adds the identity, the stride-2 unit concatenates a 3x3/2
  average-pooled shortcut). As the paper notes, Stage 2's first pointwise layer is not grouped (its input has
  only 24 channels). No code reference with weights exists: layer names are `stem_*`,
  `stage{i}_block{j}_*`, `head_fc`; BN uses PyTorch's constants, as the authors' PyTorch code does.
- V2: Ma, Zhang, Zheng and Sun 2018, "ShuffleNet V2: Practical Guidelines for Efficient CNN Architecture
  Design", Table 5 and Figure 3 (c, d: channel split, concat instead of add, shuffle after the concat);
  names and numbers follow torchvision's `shufflenet_v2_x*` (`conv1_0`, `stage2_0_branch1_0`, ..., `fc`).

The grouped 1x1 convolutions are `GroupConv2D` (per-group convs + concat; no XLA, converts to TFLite);
see `benchmarks/grouped_conv.py` for what that costs against Keras' XLA-compiled `Conv2D(groups=g)`.
"""

from __future__ import annotations

import dataclasses

from keras import layers, ops

from keras_classics.blocks.conv import conv_bn_act
from keras_classics.blocks.pooling import max_pool2d
from keras_classics.layers import ChannelShuffle
from keras_classics.models.builder import assemble, default_head
from keras_classics.models.variant_table import VariantRow, register_family
from keras_classics.torch_compat import make_divisible

_CSV = "shared/reference/architectures.csv"


def _max_pool(x, name):
    # 3x3/2 max-pool with PyTorch's padding 1; its input follows a ReLU, so zero padding cannot win.
    return max_pool2d(x, 3, 2, 1, nonnegative_input=True, name=name)


# ---------------------------------------------------------------------------------------------- V1

# Zhang et al. 2017, Table 1: output channels of Stage 2, 3 and 4 for ShuffleNet 1x with g groups...
SHUFFLENET_V1_CHANNELS = {
    1: (144, 288, 576),
    2: (200, 400, 800),
    3: (240, 480, 960),
    4: (272, 544, 1088),
    8: (384, 768, 1536),
}
# ... and its complexity row: MFLOPs (multiply-adds) at 224x224. They count the convolutions only: our
# builds give 142.50 / 140.04 / 136.50 / 133.25 / 136.83 M without the classifier (which adds
# 0.58 to 1.54 M), so all five round to the table.
SHUFFLENET_V1_MFLOPS = {1: 143, 2: 140, 3: 137, 4: 133, 8: 137}
SHUFFLENET_V1_REPEATS = (4, 8, 4)  # one stride-2 unit, then 3 / 7 / 3 stride-1 units
SHUFFLENET_V1_SCALES = (0.5, 1.0, 1.5, 2.0)  # "ShuffleNet s x": every width times s (Section 4.1.1)
SHUFFLENET_V1_STEM = 24


def shufflenet_v1_widths(groups, scale):
    """(stem, stage 2, stage 3, stage 4) output channels of ShuffleNet `scale`x with `groups` groups.

    Widths are the paper's times `scale`, rounded where needed so the grouped layers divide evenly: a stage
    width to a multiple of 4 * groups (its bottleneck, width / 4, feeds a grouped conv), the stem to a
    multiple of groups (Stage 2's first unit outputs width - stem channels through a grouped conv). The 1x
    widths are unchanged.
    """
    stages = tuple(make_divisible(c * scale, 4 * groups) for c in SHUFFLENET_V1_CHANNELS[groups])
    return (make_divisible(SHUFFLENET_V1_STEM * scale, groups),) + stages


def _shufflenet_v1_unit(x, filters, groups, strides, group_first, prefix):
    """Figure 2 (b) with strides 1, (c) with strides 2: GConv1x1-BN-ReLU, shuffle, DWConv3x3-BN, GConv1x1-BN."""
    inputs = x
    branch = filters - x.shape[-1] if strides == 2 else filters
    x = conv_bn_act(
        x, filters // 4, 1, groups=groups if group_first else 1, act="relu",
        conv_name=f"{prefix}_gconv1", bn_name=f"{prefix}_bn1", act_name=f"{prefix}_relu1",
    )
    if groups > 1:
        x = ChannelShuffle(groups, name=f"{prefix}_shuffle")(x)
    x = conv_bn_act(
        x, None, 3, strides, act=None, depthwise=True, conv_name=f"{prefix}_dwconv", bn_name=f"{prefix}_bn2"
    )
    x = conv_bn_act(x, branch, 1, groups=groups, act=None, conv_name=f"{prefix}_gconv2", bn_name=f"{prefix}_bn3")
    if strides == 1:
        x = layers.Add(name=f"{prefix}_add")([inputs, x])
    else:
        # 3x3/2 average pool with padding 1 counted in the average (PyTorch's default, as the authors' code).
        shortcut = layers.ZeroPadding2D(1, name=f"{prefix}_shortcut_pad")(inputs)
        shortcut = layers.AveragePooling2D(3, 2, name=f"{prefix}_shortcut_pool")(shortcut)
        x = layers.Concatenate(name=f"{prefix}_concat")([shortcut, x])
    return layers.ReLU(name=f"{prefix}_relu")(x)


def _shufflenet_v1_features(x, groups, scale):
    stem, *widths = shufflenet_v1_widths(groups, scale)
    x = conv_bn_act(x, stem, 3, 2, act="relu", conv_name="stem_conv", bn_name="stem_bn", act_name="stem_relu")
    x = _max_pool(x, "stem_pool")
    for stage, (filters, repeats) in enumerate(zip(widths, SHUFFLENET_V1_REPEATS), start=2):
        for block in range(1, repeats + 1):
            first = block == 1
            group_first = not (stage == 2 and first)  # the paper's note on Stage 2
            x = _shufflenet_v1_unit(x, filters, groups, 2 if first else 1, group_first, f"stage{stage}_block{block}")
    return x


@dataclasses.dataclass(frozen=True)
class ShuffleNetV1Row(VariantRow):
    groups: int  # the Table 1 column g
    # `shufflenet_v1` takes the Table 1 column as an option (`groups`, default the row's); the others fix it in
    # their name.
    groups_option: bool = False


# Trainable parameters of our 1x builds (convs without bias, BN gamma/beta, 1000-way FC with bias); the
# paper gives no counts. Check: keras_classics.shufflenet_v1_g3().count_params() minus BN statistics.
SHUFFLENET_V1_PARAMS = {1: 1_531_936, 2: 1_733_848, 3: 1_865_728, 4: 1_968_344, 8: 2_434_768}
_V1_SOURCE = "our build of Zhang et al. 2017 Table 1 at 1x (the paper and the reference table give no count)"

SHUFFLENET_V1_VARIANTS = (
    ShuffleNetV1Row(3, groups_option=True, name="shufflenet_v1"),  # the paper's choice of g
    ShuffleNetV1Row(1, name="shufflenet_v1_g1"),
    ShuffleNetV1Row(2, name="shufflenet_v1_g2"),
    ShuffleNetV1Row(3, name="shufflenet_v1_g3"),
    ShuffleNetV1Row(4, name="shufflenet_v1_g4"),
    ShuffleNetV1Row(8, name="shufflenet_v1_g8"),
)


def _build_shufflenet_v1(row: ShuffleNetV1Row, spec, args):
    groups = args.groups if row.groups_option else row.groups
    if groups not in SHUFFLENET_V1_CHANNELS:
        raise ValueError(f"groups must be one of {', '.join(map(str, SHUFFLENET_V1_CHANNELS))}; got {groups!r}")
    if args.scale not in SHUFFLENET_V1_SCALES:
        raise ValueError(f"scale must be one of {', '.join(map(str, SHUFFLENET_V1_SCALES))}; got {args.scale!r}")
    return assemble(
        spec,
        args,
        lambda x: _shufflenet_v1_features(x, groups, args.scale),
        lambda x, classes: default_head(x, classes, name="head_fc"),
    )


def _shufflenet_v1_doc(row: ShuffleNetV1Row):
    if row.groups_option:
        return (
            "ShuffleNet V1 (Zhang et al. 2017, Table 1): pointwise group convolutions with channel shuffle. "
            f"`groups` in {{1, 2, 3, 4, 8}} picks the Table 1 column (default {row.groups}, the paper's choice); "
            "`scale` in {0.5, 1.0, 1.5, 2.0} multiplies every width (ShuffleNet s x)."
        )
    return (
        f"ShuffleNet V1 with g={row.groups} groups (Zhang et al. 2017, Table 1 column g={row.groups}, "
        f"{SHUFFLENET_V1_MFLOPS[row.groups]} MFLOPs at 1x); `scale` in {{0.5, 1.0, 1.5, 2.0}} multiplies "
        "every width."
    )


register_family(
    SHUFFLENET_V1_VARIANTS,
    _build_shufflenet_v1,
    options=lambda row: {"groups": row.groups, "scale": 1.0} if row.groups_option else {"scale": 1.0},
    doc=_shufflenet_v1_doc,
    reference=lambda row: f"paper:Zhang et al. 2017 Table 1 (g={row.groups}, 1x)",
    params=lambda row: SHUFFLENET_V1_PARAMS[row.groups],
    params_source=lambda row: f"{_V1_SOURCE}; g={row.groups}" if row.groups_option else _V1_SOURCE,
    mmacs=lambda row: SHUFFLENET_V1_MFLOPS[row.groups],
    family="shufflenet",
    head_modules=("head_fc",),
    paper="Zhang et al. 2017, ShuffleNet: An Extremely Efficient Convolutional Neural Network for Mobile Devices",
    default_size=224,
    min_size=1,
    stages=("stem_relu", "stem_pool", "stage2_block4_relu", "stage3_block8_relu", "stage4_block4_relu"),
)


# ---------------------------------------------------------------------------------------------- V2


@dataclasses.dataclass(frozen=True)
class ShuffleNetV2Row(VariantRow):
    widths: tuple  # Ma et al. 2018, Table 5: output channels of Conv1, Stage 2, 3, 4 and Conv5


SHUFFLENET_V2_VARIANTS = (
    ShuffleNetV2Row((24, 48, 96, 192, 1024), name="shufflenet_v2_x0_5", params=1366792, mmacs=40.5),
    ShuffleNetV2Row((24, 116, 232, 464, 1024), name="shufflenet_v2_x1_0", params=2278604, mmacs=144.9),
    ShuffleNetV2Row((24, 176, 352, 704, 1024), name="shufflenet_v2_x1_5", params=3503624, mmacs=295.8),
    ShuffleNetV2Row((24, 244, 488, 976, 2048), name="shufflenet_v2_x2_0", params=7393996, mmacs=583.3),
)
SHUFFLENET_V2_REPEATS = (4, 8, 4)


def _shufflenet_v2_unit(x, filters, strides, prefix):
    """Figure 3 (c) with strides 1 (channel split), (d) with strides 2 (both branches see the input)."""
    branch = filters // 2
    if strides == 1:
        left, x = ops.split(x, 2, axis=-1)  # torchvision: x.chunk(2, dim=1); the first half passes through
    else:
        left = conv_bn_act(
            x, None, 3, strides, act=None, depthwise=True,
            conv_name=f"{prefix}_branch1_0", bn_name=f"{prefix}_branch1_1",
        )
        left = conv_bn_act(
            left, branch, 1, act="relu",
            conv_name=f"{prefix}_branch1_2", bn_name=f"{prefix}_branch1_3", act_name=f"{prefix}_branch1_4",
        )
    p = f"{prefix}_branch2"
    x = conv_bn_act(x, branch, 1, act="relu", conv_name=f"{p}_0", bn_name=f"{p}_1", act_name=f"{p}_2")
    x = conv_bn_act(x, None, 3, strides, depthwise=True, act=None, conv_name=f"{p}_3", bn_name=f"{p}_4")
    x = conv_bn_act(x, branch, 1, act="relu", conv_name=f"{p}_5", bn_name=f"{p}_6", act_name=f"{p}_7")
    x = layers.Concatenate(name=f"{prefix}_concat")([left, x])
    return ChannelShuffle(2, name=f"{prefix}_shuffle")(x)


def _shufflenet_v2_features(x, widths):
    x = conv_bn_act(x, widths[0], 3, 2, act="relu", conv_name="conv1_0", bn_name="conv1_1", act_name="conv1_2")
    x = _max_pool(x, "maxpool")
    for stage, (filters, repeats) in enumerate(zip(widths[1:4], SHUFFLENET_V2_REPEATS), start=2):
        for block in range(repeats):
            x = _shufflenet_v2_unit(x, filters, 2 if block == 0 else 1, f"stage{stage}_{block}")
    return conv_bn_act(x, widths[4], 1, act="relu", conv_name="conv5_0", bn_name="conv5_1", act_name="conv5_2")


def _build_shufflenet_v2(row: ShuffleNetV2Row, spec, args):
    return assemble(spec, args, lambda x: _shufflenet_v2_features(x, row.widths))


register_family(
    SHUFFLENET_V2_VARIANTS,
    _build_shufflenet_v2,
    doc=lambda row: (
        f"ShuffleNet V2 {row.name.rsplit('_x', 1)[1].replace('_', '.')}x (Ma et al. 2018, Table 5): channel split, "
        "two branches concatenated, channel shuffle."
    ),
    family="shufflenet",
    head_modules=("fc",),
    paper="Ma et al. 2018, ShuffleNet V2: Practical Guidelines for Efficient CNN Architecture Design",
    reference=lambda row: f"torchvision:{row.name}",
    params_source=lambda row: f"{_CSV} (torchvision 0.29.1 {row.name})",
    default_size=224,
    min_size=1,
    stages=("conv1_2", "maxpool", "stage2_3_shuffle", "stage3_7_shuffle", "conv5_2"),
)
