"""MobileNet V1, V2 and V3: depthwise-separable networks for phones.

- V1: Howard et al. 2017, "MobileNets: Efficient Convolutional Neural Networks for Mobile Vision
  Applications", Table 1 (body) and Section 3.3 (width multiplier alpha; the resolution multiplier is the
  input size: 128/160/192/224). Names and constants follow timm's `mobilenetv1_100`, an EfficientNet-builder
  model: `conv_stem`/`bn1`, `blocks_{stage}_{block}_{conv_dw,bn1,conv_pw,bn2}`, `classifier`, BN eps 1e-5,
  and ReLU6 (the TF-slim and timm choice; the paper writes ReLU).
- V2: Sandler et al. 2018, "MobileNetV2: Inverted Residuals and Linear Bottlenecks", Table 2; torchvision's
  `mobilenet_v2` (`features_{i}_conv_{j}`, `classifier_1`; width multiplier rounded to multiples of 8 and a
  last layer of max(1280, 1280 * alpha) channels).
- V3: Howard et al. 2019, "Searching for MobileNetV3", Table 1 (Large) and Table 2 (Small); torchvision's
  `mobilenet_v3_large`/`_small` (`features_{i}_block_{j}`, SE `fc1`/`fc2` with a hard-sigmoid gate and
  make_divisible(expanded // 4, 8) squeeze channels, BN eps 1e-3 and PyTorch momentum 0.01).

Every layer is TFLite-native (no grouped convolutions: depthwise convs are `DepthwiseConv2D`).
"""

from __future__ import annotations

import dataclasses
import numbers

from keras import layers

from keras_classics.blocks.conv import activation, conv_bn_act
from keras_classics.blocks.mobile import inverted_residual
from keras_classics.models.builder import assemble, default_head
from keras_classics.models.variant_table import VariantRow, register_family
from keras_classics.torch_compat import (
    INCEPTION_MEAN,
    INCEPTION_STD,
    TF_BN_EPSILON,
    TF_BN_MOMENTUM,
    make_divisible,
)

_CSV = "shared/reference/architectures.csv"


def _check_alpha(value):
    """The width multiplier: any positive number (the papers report a few; keras.applications takes any)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or value <= 0:
        raise ValueError(f"alpha must be a positive number (the width multiplier); got {value!r}")
    return float(value)


def _check_depth_multiplier(value):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"depth_multiplier must be a positive integer; got {value!r}")
    return int(value)


# ---------------------------------------------------------------------------------------------- V1

# Howard et al. 2017, Table 1, grouped by resolution as timm's `blocks.{stage}`: (output channels of the
# pointwise conv, blocks, stride of the first depthwise conv). Stem: 3x3/2 conv to 32 channels.
MOBILENET_V1_STAGES = ((64, 1, 1), (128, 2, 2), (256, 2, 2), (512, 6, 2), (1024, 2, 2))
# The width multipliers of the paper's Table 6 (any positive alpha builds).
MOBILENET_V1_ALPHAS = (0.25, 0.5, 0.75, 1.0)


@dataclasses.dataclass(frozen=True)
class MobileNetV1Row(VariantRow):
    blocks: tuple  # per stage: (pointwise output channels, blocks, first stride), as MOBILENET_V1_STAGES


MOBILENET_V1_VARIANTS = (
    MobileNetV1Row(
        MOBILENET_V1_STAGES,
        name="mobilenet_v1",
        reference="timm:mobilenetv1_100",
        params=4231976,
        params_source=f"{_CSV} (timm 1.0.31 mobilenetv1_100)",
        mmacs=568.7,
        doc=(
            "MobileNet V1 (Howard et al. 2017, Table 1): 13 depthwise-separable blocks, BN + ReLU6 after every "
            "conv. `alpha` is the width multiplier (the paper's 0.25, 0.5, 0.75, 1.0, or any positive number); "
            "the resolution multiplier is the input size (128, 160, 192 or 224). `depth_multiplier` gives each "
            "depthwise conv that many filters per input channel (keras.applications' option; 1 in the paper); "
            "`dropout_rate` before the classifier (timm: 0)."
        ),
    ),
)


def _mobilenet_v1_features(x, blocks, alpha, depth_multiplier):
    bn = dict(act="relu6", bn_epsilon=1e-5)
    # timm's round_channels; equal to int(c * alpha) for the paper's multipliers.
    x = conv_bn_act(x, make_divisible(32 * alpha), 3, 2, conv_name="conv_stem", bn_name="bn1", **bn)
    for stage, (filters, repeats, first_stride) in enumerate(blocks):
        for block in range(repeats):
            p = f"blocks_{stage}_{block}"
            stride = first_stride if block == 0 else 1
            x = conv_bn_act(
                x, None, 3, stride, depthwise=True, depth_multiplier=depth_multiplier,
                conv_name=f"{p}_conv_dw", bn_name=f"{p}_bn1", **bn,
            )
            x = conv_bn_act(x, make_divisible(filters * alpha), 1, conv_name=f"{p}_conv_pw", bn_name=f"{p}_bn2", **bn)
    return x


def _build_mobilenet_v1(row: MobileNetV1Row, spec, args):
    alpha = _check_alpha(args.alpha)
    depth_multiplier = _check_depth_multiplier(args.depth_multiplier)
    return assemble(
        spec,
        args,
        lambda x: _mobilenet_v1_features(x, row.blocks, alpha, depth_multiplier),
        lambda x, classes: default_head(x, classes, name="classifier", dropout=args.dropout_rate),
    )


register_family(
    MOBILENET_V1_VARIANTS,
    _build_mobilenet_v1,
    options={"alpha": 1.0, "depth_multiplier": 1, "dropout_rate": 0.0},
    family="mobilenet",
    head_modules=("classifier",),
    paper="Howard et al. 2017, MobileNets: Efficient Convolutional Neural Networks for Mobile Vision Applications",
    default_size=224,
    min_size=1,
    mean=INCEPTION_MEAN,
    std=INCEPTION_STD,
    stages=lambda row: tuple(f"blocks_{i}_{n - 1}_bn2_act" for i, (_, n, _) in enumerate(row.blocks)),
)


# ---------------------------------------------------------------------------------------------- V2

# Sandler et al. 2018, Table 2: (expansion t, output channels c, repeats n, first stride s).
MOBILENET_V2_SETTING = (
    (1, 16, 1, 1),
    (6, 24, 2, 2),
    (6, 32, 3, 2),
    (6, 64, 4, 2),
    (6, 96, 3, 1),
    (6, 160, 3, 2),
    (6, 320, 1, 1),
)
# The multipliers of the paper's Table 6 / Figure 5 (and keras.applications.MobileNetV2's weights); any
# positive alpha builds.
MOBILENET_V2_ALPHAS = (0.35, 0.5, 0.75, 1.0, 1.3, 1.4)


@dataclasses.dataclass(frozen=True)
class MobileNetV2Row(VariantRow):
    setting: tuple  # Table 2's (t, c, n, s) rows, as MOBILENET_V2_SETTING


MOBILENET_V2_VARIANTS = (
    MobileNetV2Row(
        MOBILENET_V2_SETTING,
        name="mobilenet_v2",
        reference="torchvision:mobilenet_v2",
        params=3504872,
        params_source=f"{_CSV} (torchvision 0.29.1 mobilenet_v2)",
        mmacs=300.8,
        doc=(
            "MobileNet V2 (Sandler et al. 2018, Table 2): inverted residual blocks with linear bottlenecks and "
            "ReLU6. `alpha` is the width multiplier (the paper's 0.35 to 1.4, or any positive number; channels "
            "rounded to multiples of 8; the last layer keeps at least 1280 channels); `dropout_rate` before the "
            "classifier."
        ),
    ),
)


def _mobilenet_v2_features(x, setting, alpha):
    bn = dict(act="relu6")  # torchvision: PyTorch BN defaults (eps 1e-5, momentum 0.1)
    channels = make_divisible(32 * alpha)
    x = conv_bn_act(x, channels, 3, 2, conv_name="features_0_0", bn_name="features_0_1", **bn)
    index = 1
    for t, c, n, s in setting:
        filters = make_divisible(c * alpha)
        for i in range(n):
            hidden = int(round(x.shape[-1] * t))
            x = inverted_residual(
                x, hidden, filters, 3, s if i == 0 else 1, "relu6", f"features_{index}", body="conv",
                linear_projection_as_pair=True,
            )
            index += 1
    last = make_divisible(1280 * max(1.0, alpha))
    return conv_bn_act(x, last, 1, conv_name=f"features_{index}_0", bn_name=f"features_{index}_1", **bn)


def _mobilenet_v2_head(x, classes, dropout_rate):
    x = layers.GlobalAveragePooling2D(name="avgpool")(x)
    x = layers.Dropout(dropout_rate, name="classifier_0")(x)
    return layers.Dense(classes, name="classifier_1")(x)


def _build_mobilenet_v2(row: MobileNetV2Row, spec, args):
    alpha = _check_alpha(args.alpha)
    return assemble(
        spec,
        args,
        lambda x: _mobilenet_v2_features(x, row.setting, alpha),
        lambda x, classes: _mobilenet_v2_head(x, classes, args.dropout_rate),
    )


register_family(
    MOBILENET_V2_VARIANTS,
    _build_mobilenet_v2,
    options={"alpha": 1.0, "dropout_rate": 0.2},
    family="mobilenet",
    head_modules=("classifier",),
    paper="Sandler et al. 2018, MobileNetV2: Inverted Residuals and Linear Bottlenecks",
    default_size=224,
    min_size=1,
    # Last layer of each resolution: 112, 56, 28, 14 and 7 pixels at 224.
    stages=("features_1_conv_2", "features_3_add", "features_6_add", "features_13_add", "features_18_1_act"),
)


# ---------------------------------------------------------------------------------------------- V3

# Howard et al. 2019, Table 1 (Large) and Table 2 (Small), as torchvision writes them:
# (kernel, expanded channels, output channels, squeeze-and-excite, activation, stride).
MOBILENET_V3_LARGE = (
    (3, 16, 16, False, "relu", 1),
    (3, 64, 24, False, "relu", 2),
    (3, 72, 24, False, "relu", 1),
    (5, 72, 40, True, "relu", 2),
    (5, 120, 40, True, "relu", 1),
    (5, 120, 40, True, "relu", 1),
    (3, 240, 80, False, "hard_swish", 2),
    (3, 200, 80, False, "hard_swish", 1),
    (3, 184, 80, False, "hard_swish", 1),
    (3, 184, 80, False, "hard_swish", 1),
    (3, 480, 112, True, "hard_swish", 1),
    (3, 672, 112, True, "hard_swish", 1),
    (5, 672, 160, True, "hard_swish", 2),
    (5, 960, 160, True, "hard_swish", 1),
    (5, 960, 160, True, "hard_swish", 1),
)
MOBILENET_V3_SMALL = (
    (3, 16, 16, True, "relu", 2),
    (3, 72, 24, False, "relu", 2),
    (3, 88, 24, False, "relu", 1),
    (5, 96, 40, True, "hard_swish", 2),
    (5, 240, 40, True, "hard_swish", 1),
    (5, 240, 40, True, "hard_swish", 1),
    (5, 120, 48, True, "hard_swish", 1),
    (5, 144, 48, True, "hard_swish", 1),
    (5, 288, 96, True, "hard_swish", 2),
    (5, 576, 96, True, "hard_swish", 1),
    (5, 576, 96, True, "hard_swish", 1),
)
# Multipliers the paper reports (Figure 7 / Table 3: 0.35 to 1.25); any positive alpha builds.
MOBILENET_V3_ALPHAS = (0.35, 0.5, 0.75, 1.0, 1.25)


def _minimal(rows):
    """The paper's "minimalistic" models (Section 6.1.1, keras.applications' `minimalistic=True`): 3x3 kernels,
    no squeeze-and-excite and ReLU everywhere, for hardware without those operations."""
    return tuple((3, expanded, filters, False, "relu", stride) for _, expanded, filters, _, _, stride in rows)
# Stem width 16; last_channel of the classifier's hidden layer: 1280 (Large), 1024 (Small).
_V3_BN = dict(bn_epsilon=TF_BN_EPSILON, bn_momentum=TF_BN_MOMENTUM)  # torchvision: eps 0.001, PyTorch momentum 0.01


def _mobilenet_v3_features(x, rows, alpha, act):
    x = conv_bn_act(
        x, make_divisible(16 * alpha), 3, 2, act=act, conv_name="features_0_0", bn_name="features_0_1", **_V3_BN
    )
    for index, (kernel, expanded, filters, se, act, stride) in enumerate(rows, start=1):
        expanded = make_divisible(expanded * alpha)
        x = inverted_residual(
            x,
            expanded,
            make_divisible(filters * alpha),
            kernel,
            stride,
            act,
            f"features_{index}",
            se_channels=make_divisible(expanded // 4) if se else 0,
            **_V3_BN,
        )
    index = len(rows) + 1
    return conv_bn_act(
        x, 6 * x.shape[-1], 1, act=act, conv_name=f"features_{index}_0", bn_name=f"features_{index}_1", **_V3_BN
    )


def _mobilenet_v3_head(x, classes, last_channel, dropout_rate, act):
    x = layers.GlobalAveragePooling2D(name="avgpool")(x)
    x = layers.Dense(last_channel, name="classifier_0")(x)
    x = activation(x, act, name="classifier_1")
    x = layers.Dropout(dropout_rate, name="classifier_2")(x)
    return layers.Dense(classes, name="classifier_3")(x)


@dataclasses.dataclass(frozen=True)
class MobileNetV3Row(VariantRow):
    blocks: tuple  # the paper's table as torchvision writes it: MOBILENET_V3_LARGE or MOBILENET_V3_SMALL
    last_channel: int  # the classifier's hidden layer at alpha 1
    table: str  # where the paper lists the network


MOBILENET_V3_VARIANTS = (
    MobileNetV3Row(
        MOBILENET_V3_LARGE, 1280, "Table 1", name="mobilenet_v3_large", params=5483032, mmacs=216.6,
        stages=("features_1_add", "features_3_add", "features_6_add", "features_12_add", "features_16_1_act"),
    ),
    MobileNetV3Row(
        MOBILENET_V3_SMALL, 1024, "Table 2", name="mobilenet_v3_small", params=2542856, mmacs=56.5,
        stages=("features_0_1_act", "features_1_block_2_1", "features_3_add", "features_8_add", "features_12_1_act"),
    ),
)


def _build_mobilenet_v3(row: MobileNetV3Row, spec, args):
    alpha = _check_alpha(args.alpha)
    if not isinstance(args.minimalistic, bool):
        raise ValueError(f"minimalistic must be True or False; got {args.minimalistic!r}")
    act = "relu" if args.minimalistic else "hard_swish"
    rows = _minimal(row.blocks) if args.minimalistic else row.blocks
    last_channel = make_divisible(row.last_channel * alpha)
    return assemble(
        spec,
        args,
        lambda x: _mobilenet_v3_features(x, rows, alpha, act),
        lambda x, classes: _mobilenet_v3_head(x, classes, last_channel, args.dropout_rate, act),
    )


register_family(
    MOBILENET_V3_VARIANTS,
    _build_mobilenet_v3,
    options={"alpha": 1.0, "minimalistic": False, "dropout_rate": 0.2},
    doc=lambda row: (
        f"MobileNet V3-{row.name.rsplit('_', 1)[1].title()} (Howard et al. 2019, {row.table}): inverted residuals "
        "with squeeze-and-excitation (hard-sigmoid gate) and hard-swish in the later blocks. `alpha` is the "
        "width multiplier (the paper's 0.35 to 1.25, or any positive number); `minimalistic=True` is the "
        "paper's minimalistic model (3x3 kernels, no SE, ReLU); `dropout_rate` before the last dense layer."
    ),
    family="mobilenet",
    head_modules=("classifier",),
    paper="Howard et al. 2019, Searching for MobileNetV3",
    reference=lambda row: f"torchvision:{row.name}",
    params_source=lambda row: f"{_CSV} (torchvision 0.29.1 {row.name})",
    default_size=224,
    min_size=1,
)
