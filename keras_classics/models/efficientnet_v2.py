"""EfficientNetV2-S/M/L (Tan & Le 2021, "EfficientNetV2: Smaller Models and Faster Training", ICML).

The V1 network searched again for training speed (the paper's Table 4 for S; M and L scaled from it as the
authors' code does): the early stages use Fused-MBConv (the expansion 1x1 and depthwise 3x3 of MBConv fused
into one regular 3x3 conv, no squeeze-and-excitation), the later ones MBConv with SE; 3x3 kernels only,
smaller expansion ratios early, and a 1x1 head conv to 1280 channels. Built as torchvision 0.29.1's
`efficientnet_v2_*`: the same layer names (`features_1_0_block_0_0` is torchvision's
`features.1.0.block.0.0`), PyTorch padding, BatchNorm eps 1e-3, SE squeeze width `max(1, block input // 4)`,
stochastic depth `drop_path_rate * block_id / total_blocks` (0.2) on residual blocks, and dropout 0.2/0.3/0.4
before the classifier. torchvision's weights take inputs normalized with mean and std 0.5 ([-1, 1]).

keras.applications' B0-B3 follow the TF reference with TF "same" padding and timm's layer names
(`tf_efficientnetv2_b*`); they are not in the zoo yet.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

from keras import layers

from keras_classics.blocks.conv import sequential_conv_bn_act
from keras_classics.blocks.regularization import drop_path
from keras_classics.models.builder import assemble, register_variant
from keras_classics.models.efficientnet import mbconv
from keras_classics.torch_compat import BN_MOMENTUM, INCEPTION_MEAN, INCEPTION_STD, make_divisible

_BN = {"bn_epsilon": 1e-3, "bn_momentum": BN_MOMENTUM}  # torchvision: BatchNorm2d(eps=1e-3), momentum 0.1
HEAD_CHANNELS = 1280


class Stage(NamedTuple):
    """One row of the paper's Table 4 (torchvision's `FusedMBConvConfig` / `MBConvConfig`)."""

    fused: bool
    expand: int
    stride: int
    in_channels: int
    out_channels: int
    layers: int


class EfficientNetV2Row(NamedTuple):
    stages: tuple[Stage, ...]
    size: int  # torchvision's evaluation size
    dropout_rate: float
    params: int  # ../shared/reference/architectures.csv
    mmacs: float


def _stages(*rows):
    return tuple(Stage(*row) for row in rows)


VARIANTS = {
    "efficientnet_v2_s": EfficientNetV2Row(
        _stages(
            (True, 1, 1, 24, 24, 2), (True, 4, 2, 24, 48, 4), (True, 4, 2, 48, 64, 4),
            (False, 4, 2, 64, 128, 6), (False, 6, 1, 128, 160, 9), (False, 6, 2, 160, 256, 15),
        ),
        384, 0.2, 21458488, 8365.6,
    ),
    "efficientnet_v2_m": EfficientNetV2Row(
        _stages(
            (True, 1, 1, 24, 24, 3), (True, 4, 2, 24, 48, 5), (True, 4, 2, 48, 80, 5),
            (False, 4, 2, 80, 160, 7), (False, 6, 1, 160, 176, 14), (False, 6, 2, 176, 304, 18),
            (False, 6, 1, 304, 512, 5),
        ),
        480, 0.3, 54139356, 24582.5,
    ),
    "efficientnet_v2_l": EfficientNetV2Row(
        _stages(
            (True, 1, 1, 32, 32, 4), (True, 4, 2, 32, 64, 7), (True, 4, 2, 64, 96, 7),
            (False, 4, 2, 96, 192, 10), (False, 6, 1, 192, 224, 19), (False, 6, 2, 224, 384, 25),
            (False, 6, 1, 384, 640, 7),
        ),
        480, 0.4, 118515272, 56079.7,
    ),
}


def fused_mbconv(x, block, prefix, drop_rate, bn):
    """torchvision's `FusedMBConv`: a 3x3 conv expanding (with stride) then a linear 1x1 projection, or a single
    3x3 conv when the expansion is 1; plus the identity (after stochastic depth) when the shape is kept."""
    expand, kernel, stride, cin, cout = block
    expanded = make_divisible(cin * expand, 8)
    if expanded != cin:
        y = sequential_conv_bn_act(x, expanded, kernel, f"{prefix}_block_0", strides=stride, act="silu", **bn)
        y = sequential_conv_bn_act(y, cout, 1, f"{prefix}_block_1", act=None, **bn)
    else:
        y = sequential_conv_bn_act(x, cout, kernel, f"{prefix}_block_0", strides=stride, act="silu", **bn)
    if stride == 1 and cin == cout:
        if drop_rate > 0:
            y = drop_path(y, drop_rate, name=f"{prefix}_stochastic_depth")
        y = layers.Add(name=f"{prefix}_add")([y, x])
    return y


def _features(x, row: EfficientNetV2Row, drop_path_rate: float):
    x = sequential_conv_bn_act(x, row.stages[0].in_channels, 3, "features_0", strides=2, act="silu", **_BN)
    total = sum(stage.layers for stage in row.stages)
    block_id = 0
    for s, stage in enumerate(row.stages, start=1):
        block_fn = fused_mbconv if stage.fused else mbconv
        for j in range(stage.layers):
            # Only a stage's first block changes stride and width.
            block = (stage.expand, 3, stage.stride if j == 0 else 1,
                     stage.in_channels if j == 0 else stage.out_channels, stage.out_channels)
            x = block_fn(x, block, f"features_{s}_{j}", drop_path_rate * block_id / total, _BN)
            block_id += 1
    head = len(row.stages) + 1
    return sequential_conv_bn_act(x, HEAD_CHANNELS, 1, f"features_{head}", act="silu", **_BN)


def _head(x, classes, dropout):
    x = layers.GlobalAveragePooling2D(name="avgpool")(x)
    if dropout:
        x = layers.Dropout(dropout, name="classifier_0")(x)
    return layers.Dense(classes, name="classifier_1")(x)


def _build(row, spec, args):
    return assemble(
        spec,
        args,
        lambda x: _features(x, row, args.drop_path_rate),
        lambda x, classes: _head(x, classes, args.dropout_rate),
    )


def _stage_names(row):
    """Feature taps at strides 2, 4, 8, 16 and 32: the end of the stage before each halving, and the head."""
    names = []
    for s, stage in enumerate(row.stages[:-1], start=1):
        if row.stages[s].stride == 2:
            last = stage.layers - 1
            residual = stage.layers > 1 or stage.in_channels == stage.out_channels
            names.append(f"features_{s}_{last}_add" if residual else f"features_{s}_{last}_block_0_2")
    return tuple(names) + (f"features_{len(row.stages) + 1}_2",)


for _name, _row in VARIANTS.items():
    register_variant(
        _name,
        functools.partial(_build, _row),
        options={"dropout_rate": _row.dropout_rate, "drop_path_rate": 0.2},
        doc=(
            f"EfficientNetV2-{_name[-1].upper()} (Tan & Le 2021): Fused-MBConv early stages, MBConv with "
            "squeeze-and-excitation later, SiLU, a 1x1 head conv to 1280 channels. `dropout_rate` is the dropout "
            "before the classifier, `drop_path_rate` the stochastic depth rate of the last block (linearly less "
            "for earlier ones)."
        ),
        family="efficientnet_v2",
        head_modules=("classifier",),
        paper="Tan & Le 2021, EfficientNetV2: Smaller Models and Faster Training",
        reference=f"torchvision:{_name}",
        params=_row.params,
        params_source="shared/reference/architectures.csv (torchvision 0.29.1)",
        mmacs=_row.mmacs,
        default_size=_row.size,
        min_size=1,
        mean=INCEPTION_MEAN,
        std=INCEPTION_STD,
        stages=_stage_names(_row),
    )
