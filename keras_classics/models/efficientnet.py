"""EfficientNet-B0 to B7 (Tan & Le 2019, "EfficientNet: Rethinking Model Scaling for Convolutional Neural
Networks", ICML).

One base network, the paper's Table 1 (EfficientNet-B0: a stem conv, seven stages of MBConv blocks with
squeeze-and-excitation and swish, a 1x1 head conv), scaled by the compound coefficients of each variant:
channels `make_divisible(c * width, 8)`, blocks per stage `ceil(n * depth)`, input resolution and dropout
(the values of the paper's TensorFlow code and torchvision). Built as torchvision 0.29.1's `efficientnet_b*`:
the same layer names (`features_1_0_block_1_fc1` is torchvision's `features.1.0.block.1.fc1`), PyTorch
padding, SE squeeze width `max(1, block input channels // 4)`, BatchNorm eps 1e-5 / momentum 0.1 for B0-B4
but eps 1e-3 / momentum 0.01 for B5-B7 (the weights torchvision ported from TensorFlow), and stochastic
depth growing linearly with the block index (`drop_path_rate * block_id / total_blocks`) on residual blocks.
"""

import dataclasses
import math

from keras import layers

from keras_classics.blocks.conv import sequential_conv_bn_act
from keras_classics.blocks.mobile import TORCHVISION_SE, inverted_residual
from keras_classics.models.builder import assemble
from keras_classics.models.variant_table import VariantRow, register_family
from keras_classics.torch_compat import BN_EPSILON, BN_MOMENTUM, TF_BN_EPSILON, TF_BN_MOMENTUM, make_divisible

# EfficientNet-B0, the paper's Table 1 stages 2-8 (stage 1 is the 3x3/2 stem conv with 32 channels, stage 9
# the 1x1 conv to 4x the last width, pooling and FC):
# (expand ratio, kernel, stride, input channels, output channels, layers)
_B0_STAGES = (
    (1, 3, 1, 32, 16, 1),
    (6, 3, 2, 16, 24, 2),
    (6, 5, 2, 24, 40, 2),
    (6, 3, 2, 40, 80, 3),
    (6, 5, 1, 80, 112, 3),
    (6, 5, 2, 112, 192, 4),
    (6, 3, 1, 192, 320, 1),
)


@dataclasses.dataclass(frozen=True)
class EfficientNetRow(VariantRow):
    width: float
    depth: float
    dropout: float  # the default of the `dropout_rate` option
    bn: tuple  # BatchNorm (epsilon, Keras momentum)


# Compound scaling (paper Sec. 3.3 / Table 2 and its code): width, depth, resolution, dropout; plus the
# BatchNorm (epsilon, Keras momentum) of torchvision's weights and the csv's pinned counts.
_TORCH_BN, _TF_BN = (BN_EPSILON, BN_MOMENTUM), (TF_BN_EPSILON, TF_BN_MOMENTUM)
# fmt: off
VARIANTS = (
    EfficientNetRow(1.0, 1.0, 0.2, _TORCH_BN, name="efficientnet_b0", default_size=224, params=5288548, mmacs=385.8),
    EfficientNetRow(1.0, 1.1, 0.2, _TORCH_BN, name="efficientnet_b1", default_size=240, params=7794184, mmacs=686.8),
    EfficientNetRow(1.1, 1.2, 0.3, _TORCH_BN, name="efficientnet_b2", default_size=260, params=9109994, mmacs=993.6),
    EfficientNetRow(1.2, 1.4, 0.3, _TORCH_BN, name="efficientnet_b3", default_size=300, params=12233232, mmacs=1827.1),
    EfficientNetRow(1.4, 1.8, 0.4, _TORCH_BN, name="efficientnet_b4", default_size=380, params=19341616, mmacs=4393.8),
    EfficientNetRow(1.6, 2.2, 0.4, _TF_BN, name="efficientnet_b5", default_size=456, params=30389784, mmacs=10266.4),
    EfficientNetRow(1.8, 2.6, 0.5, _TF_BN, name="efficientnet_b6", default_size=528, params=43040704, mmacs=19067.6),
    EfficientNetRow(2.0, 3.1, 0.5, _TF_BN, name="efficientnet_b7", default_size=600, params=66347960, mmacs=37745.9),
)
# fmt: on


def _layout(width, depth):
    """The scaled stages: per stage, the list of blocks as (expand, kernel, stride, in_ch, out_ch)."""
    stages = []
    for expand, kernel, stride, cin, cout, n in _B0_STAGES:
        cin, cout = make_divisible(cin * width, 8), make_divisible(cout * width, 8)
        blocks = []
        for j in range(int(math.ceil(n * depth))):
            # Only a stage's first block changes stride and width.
            blocks.append((expand, kernel, stride if j == 0 else 1, cin if j == 0 else cout, cout))
        stages.append(blocks)
    return stages


def _has_residual(block):
    _, _, stride, cin, cout = block
    return stride == 1 and cin == cout


def _block_output(prefix, block):
    """Name of the layer that ends an MBConv block (its add, or else its projection BatchNorm)."""
    if _has_residual(block):
        return f"{prefix}_add"
    return f"{prefix}_block_{3 if block[0] != 1 else 2}_1"


def mbconv(x, block, prefix, drop_rate, bn, role_names=None, se_names=TORCHVISION_SE, padding=None):
    """Inverted residual with SE (MobileNetV2 / MnasNet's MBConv), named as torchvision's `MBConv`, whose
    `block` Sequential has no expand conv when expand == 1. SE squeezes to a quarter of the *input* width.

    timm's `InvertedResidual` (EfficientNetV2-B*) passes `role_names=TIMM_INVERTED_RESIDUAL`,
    `se_names=TIMM_SE` and `padding="same"` (TensorFlow's); its SE width, `round(expanded * 0.25 / expand)`,
    is the same quarter of the input width wherever that width is a multiple of 8, as in all of B0-B3.
    """
    expand, kernel, stride, cin, cout = block
    return inverted_residual(
        x,
        make_divisible(cin * expand, 8),
        cout,
        kernel,
        stride,
        "silu",
        prefix,
        se_channels=max(1, cin // 4),
        se_act="silu",
        se_gate="sigmoid",
        se_names=se_names,
        sequential_act_names=True,
        drop_path_rate=drop_rate,
        shortcut_first=False,
        role_names=role_names,
        padding=padding,
        **bn,
    )


def _features(x, stages, bn, drop_path_rate):
    stem = stages[0][0][3]
    x = sequential_conv_bn_act(x, stem, 3, "features_0", strides=2, act="silu", **bn)
    total = sum(len(blocks) for blocks in stages)
    block_id = 0
    for s, blocks in enumerate(stages, start=1):
        for j, block in enumerate(blocks):
            x = mbconv(x, block, f"features_{s}_{j}", drop_path_rate * block_id / total, bn)
            block_id += 1
    head = len(stages) + 1
    return sequential_conv_bn_act(x, 4 * stages[-1][-1][4], 1, f"features_{head}", act="silu", **bn)


def _head(x, classes, dropout):
    x = layers.GlobalAveragePooling2D(name="avgpool")(x)
    if dropout:
        x = layers.Dropout(dropout, name="classifier_0")(x)
    return layers.Dense(classes, name="classifier_1")(x)


def _build(row: EfficientNetRow, spec, args):
    epsilon, momentum = row.bn
    stages = _layout(row.width, row.depth)
    bn = {"bn_epsilon": epsilon, "bn_momentum": momentum}
    return assemble(
        spec,
        args,
        lambda x: _features(x, stages, bn, args.drop_path_rate),
        lambda x, classes: _head(x, classes, args.dropout_rate),
    )


def _stage_names(stages):
    """Feature taps: the last layer at each resolution (strides 2, 4, 8, 16, 32)."""
    names = []
    for s, blocks in enumerate(stages[:-1], start=1):
        if stages[s][0][2] == 2:  # the next stage halves the resolution
            names.append(_block_output(f"features_{s}_{len(blocks) - 1}", blocks[-1]))
    return tuple(names) + (f"features_{len(stages) + 1}_2",)


register_family(
    VARIANTS,
    _build,
    options=lambda row: {"dropout_rate": row.dropout, "drop_path_rate": 0.2},
    doc=lambda row: (
        f"EfficientNet-{row.name[-2:].upper()} (Tan & Le 2019): the B0 network of Table 1 scaled by width "
        f"{row.width}, depth {row.depth}, resolution {row.default_size}; MBConv blocks with squeeze-and-excitation "
        "and swish. `dropout_rate` is the dropout before the classifier, `drop_path_rate` the stochastic depth "
        "rate of the last block (linearly less for earlier ones)."
    ),
    family="efficientnet",
    head_modules=("classifier",),
    paper="Tan & Le 2019, EfficientNet: Rethinking Model Scaling for Convolutional Neural Networks",
    reference=lambda row: f"torchvision:{row.name}",
    params_source="shared/reference/architectures.csv (torchvision 0.29.1)",
    # Every strided conv pads k // 2 on each side, so any side >= 1 survives the five halvings.
    min_size=1,
    stages=lambda row: _stage_names(_layout(row.width, row.depth)),
)
