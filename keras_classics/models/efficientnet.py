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

import functools
import math

from keras import layers

from keras_classics.blocks.conv import activation, make_divisible, sequential_conv_bn_act
from keras_classics.layers import DropPath
from keras_classics.models.builder import assemble, register_variant

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

# Compound scaling (paper Sec. 3.3 / Table 2 and its code): width, depth, resolution, dropout; plus the
# BatchNorm (epsilon, Keras momentum) of torchvision's weights and the csv's pinned counts.
_VARIANTS = {
    "efficientnet_b0": (1.0, 1.0, 224, 0.2, (1e-5, 0.9), 5288548, 385.8),
    "efficientnet_b1": (1.0, 1.1, 240, 0.2, (1e-5, 0.9), 7794184, 686.8),
    "efficientnet_b2": (1.1, 1.2, 260, 0.3, (1e-5, 0.9), 9109994, 993.6),
    "efficientnet_b3": (1.2, 1.4, 300, 0.3, (1e-5, 0.9), 12233232, 1827.1),
    "efficientnet_b4": (1.4, 1.8, 380, 0.4, (1e-5, 0.9), 19341616, 4393.8),
    "efficientnet_b5": (1.6, 2.2, 456, 0.4, (1e-3, 0.99), 30389784, 10266.4),
    "efficientnet_b6": (1.8, 2.6, 528, 0.5, (1e-3, 0.99), 43040704, 19067.6),
    "efficientnet_b7": (2.0, 3.1, 600, 0.5, (1e-3, 0.99), 66347960, 37745.9),
}


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


def _conv_bn_silu(x, filters, kernel, prefix, bn, strides=1, depthwise=False, act="silu"):
    return sequential_conv_bn_act(x, filters, kernel, prefix, strides=strides, act=act, depthwise=depthwise, **bn)


def _mbconv(x, block, prefix, drop_rate, bn):
    """Inverted residual with SE (MobileNetV2 / MnasNet's MBConv): 1x1 expand, kxk depthwise, SE, 1x1 project.

    Sublayers are numbered as torchvision's `block` Sequential, which has no expand conv when expand == 1.
    """
    expand, kernel, stride, cin, cout = block
    expanded = make_divisible(cin * expand, 8)
    shortcut = x
    i = 0
    if expanded != cin:
        x = _conv_bn_silu(x, expanded, 1, f"{prefix}_block_{i}", bn)
        i += 1
    x = _conv_bn_silu(x, None, kernel, f"{prefix}_block_{i}", bn, strides=stride, depthwise=True)
    i += 1
    # Squeeze-and-excitation: squeeze to a quarter of the block's *input* width.
    se = f"{prefix}_block_{i}"
    s = layers.GlobalAveragePooling2D(keepdims=True, name=f"{se}_avgpool")(x)
    s = layers.Conv2D(max(1, cin // 4), 1, name=f"{se}_fc1")(s)
    s = activation(s, "silu", name=f"{se}_activation")
    s = layers.Conv2D(expanded, 1, name=f"{se}_fc2")(s)
    s = activation(s, "sigmoid", name=f"{se}_scale_activation")
    x = layers.Multiply(name=f"{se}_mul")([x, s])
    i += 1
    x = _conv_bn_silu(x, cout, 1, f"{prefix}_block_{i}", bn, act=None)
    if _has_residual(block):
        if drop_rate > 0:
            x = DropPath(drop_rate, name=f"{prefix}_stochastic_depth")(x)
        x = layers.Add(name=f"{prefix}_add")([x, shortcut])
    return x


def _features(x, stages, bn, drop_path_rate):
    stem = stages[0][0][3]
    x = _conv_bn_silu(x, stem, 3, "features_0", bn, strides=2)
    total = sum(len(blocks) for blocks in stages)
    block_id = 0
    for s, blocks in enumerate(stages, start=1):
        for j, block in enumerate(blocks):
            x = _mbconv(x, block, f"features_{s}_{j}", drop_path_rate * block_id / total, bn)
            block_id += 1
    head = len(stages) + 1
    return _conv_bn_silu(x, 4 * stages[-1][-1][4], 1, f"features_{head}", bn)


def _head(x, classes, dropout):
    x = layers.GlobalAveragePooling2D(name="avgpool")(x)
    if dropout:
        x = layers.Dropout(dropout, name="classifier_0")(x)
    return layers.Dense(classes, name="classifier_1")(x)


def _build(row, spec, args):
    width, depth, _, _, (epsilon, momentum), _, _ = row
    if not 0.0 <= args.drop_path_rate < 1.0:
        raise ValueError(f"drop_path_rate must be in [0, 1); got {args.drop_path_rate!r}")
    if not 0.0 <= args.dropout_rate < 1.0:
        raise ValueError(f"dropout_rate must be in [0, 1); got {args.dropout_rate!r}")
    stages = _layout(width, depth)
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


for _name, _row in _VARIANTS.items():
    _width, _depth, _size, _dropout, _bn, _params, _mmacs = _row
    register_variant(
        _name,
        functools.partial(_build, _row),
        options={"dropout_rate": _dropout, "drop_path_rate": 0.2},
        doc=(
            f"EfficientNet-{_name[-2:].upper()} (Tan & Le 2019): the B0 network of Table 1 scaled by width "
            f"{_width}, depth {_depth}, resolution {_size}; MBConv blocks with squeeze-and-excitation and swish. "
            "`dropout_rate` is the dropout before the classifier, `drop_path_rate` the stochastic depth rate "
            "of the last block (linearly less for earlier ones)."
        ),
        family="efficientnet",
        paper="Tan & Le 2019, EfficientNet: Rethinking Model Scaling for Convolutional Neural Networks",
        reference=f"torchvision:{_name}",
        params=_params,
        params_source="shared/reference/architectures.csv (torchvision 0.29.1)",
        mmacs=_mmacs,
        default_size=_size,
        # Every strided conv pads k // 2 on each side, so any side >= 1 survives the five halvings.
        min_size=1,
        stages=_stage_names(_layout(_width, _depth)),
    )
