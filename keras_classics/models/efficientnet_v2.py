"""EfficientNetV2-S/M/L and B0-B3 (Tan & Le 2021, "EfficientNetV2: Smaller Models and Faster Training", ICML).

The V1 network searched again for training speed (the paper's Table 4 for S; M and L scaled from it as the
authors' code does): the early stages use Fused-MBConv (the expansion 1x1 and depthwise 3x3 of MBConv fused
into one regular 3x3 conv, no squeeze-and-excitation), the later ones MBConv with SE; 3x3 kernels only,
smaller expansion ratios early, and a 1x1 head conv to 1280 channels.

S/M/L are built as torchvision 0.29.1's `efficientnet_v2_*`: the same layer names (`features_1_0_block_0_0` is
torchvision's `features.1.0.block.0.0`), PyTorch padding, BatchNorm eps 1e-3, SE squeeze width
`max(1, block input // 4)`, stochastic depth `drop_path_rate * block_id / total_blocks` (0.2) on residual
blocks, and dropout 0.2/0.3/0.4 before the classifier. torchvision's weights take inputs normalized with mean
and std 0.5 ([-1, 1]).

B0-B3 are the smaller family of the authors' code (`efficientnetv2-b*`, keras.applications' EfficientNetV2B0-B3):
one base network of six stages (Fused-MBConv to 16, 32, 48 channels, then MBConv with SE to 96, 112, 192) scaled by
width 1.0/1.0/1.1/1.2 (channels and the 1280-channel head `make_divisible(c * width, 8)`, without the usual bump
where rounding loses over 10%), depth 1.0/1.1/1.2/1.4 (`ceil(n * depth)` blocks per stage) and resolution
224/240/260/300, with dropout 0.2/0.2/0.3/0.3. They are built as timm 1.0's `tf_efficientnetv2_b*`, the port of the
TensorFlow weights: TensorFlow "same" padding (a strided conv on an even side pads only the bottom/right), BatchNorm
eps 1e-3, the same SE width and stochastic depth as above, and timm's module names (`blocks_3_0_conv_dw` is timm's
`blocks.3.0.conv_dw`; `conv_stem`/`bn1`, `conv_head`/`bn2`, `classifier`). Their weights take inputs normalized with
the ImageNet mean and std, as keras.applications' B models do in the graph.

Example:
    >>> import keras_classics
    >>> model = keras_classics.efficientnet_v2_b0(include_top=False, input_shape=(65, 65, 3))
    >>> model.output.shape  # TF padding: ceil(65 / 32) = 3
    (None, 3, 3, 1280)
    >>> model.get_layer("blocks_1_0_conv_exp").padding
    'same'
"""

from __future__ import annotations

import dataclasses
import math
from typing import NamedTuple

from keras import layers

from keras_classics.blocks.conv import conv_bn_act
from keras_classics.blocks.mobile import TIMM_INVERTED_RESIDUAL, TIMM_SE, TORCHVISION_SE, RoleNames, SENames
from keras_classics.blocks.regularization import drop_path
from keras_classics.models.builder import assemble
from keras_classics.models.efficientnet import mbconv
from keras_classics.models.variant_table import VariantRow, register_family
from keras_classics.torch_compat import (
    BN_MOMENTUM,
    IMAGENET_MEAN,
    IMAGENET_STD,
    INCEPTION_MEAN,
    INCEPTION_STD,
    make_divisible,
)

# torchvision: BatchNorm2d(eps=1e-3), momentum 0.1; timm's tf_ models: eps 1e-3 (BN_EPS_TF_DEFAULT), momentum 0.1
_BN = {"bn_epsilon": 1e-3, "bn_momentum": BN_MOMENTUM}
HEAD_CHANNELS = 1280


class Stage(NamedTuple):
    """One row of the paper's Table 4 (torchvision's `FusedMBConvConfig` / `MBConvConfig`)."""

    fused: bool
    expand: int
    stride: int
    in_channels: int
    out_channels: int
    layers: int


class FusedNames(NamedTuple):
    """What follows `{prefix}_` in a Fused-MBConv's layer names: (conv, BatchNorm, activation) of the expanding
    3x3 conv, of the linear 1x1 projection, and of the single 3x3 conv of a block without expansion; and the
    stochastic depth layer."""

    expand: tuple[str, str, str]
    project: tuple[str, str, str]
    single: tuple[str, str, str]
    drop_path: str


class Layout(NamedTuple):
    """How a reference names, pads and normalizes the network: torchvision's `nn.Sequential` positions, or
    timm's module roles. Names holding `{head}` are formatted with the head's stage index (stages + 1)."""

    stem: tuple[str, str, str]  # conv, BatchNorm, activation
    block: str  # a block's prefix, formatted with `stage` and `index`
    first_stage: int  # the index of the first block stage in `block`
    fused: FusedNames
    inverted: RoleNames | None  # None: torchvision's positional `MBConv` names
    se: SENames
    head: tuple[str, str, str]
    classifier: tuple[str, str, str]  # global pool, dropout, dense
    padding: str | None  # None: PyTorch's symmetric padding; "same": TensorFlow's
    mean: tuple[float, ...]
    std: tuple[float, ...]


TORCHVISION = Layout(
    stem=("features_0_0", "features_0_1", "features_0_2"),
    block="features_{stage}_{index}",
    first_stage=1,
    fused=FusedNames(
        ("block_0_0", "block_0_1", "block_0_2"), ("block_1_0", "block_1_1", "block_1_2"),
        ("block_0_0", "block_0_1", "block_0_2"), "stochastic_depth",
    ),
    inverted=None,
    se=TORCHVISION_SE,
    head=("features_{head}_0", "features_{head}_1", "features_{head}_2"),
    classifier=("avgpool", "classifier_0", "classifier_1"),
    padding=None,
    mean=INCEPTION_MEAN,
    std=INCEPTION_STD,
)

# timm's EfficientNet builder: ConvBnAct (`conv`, `bn1`) where a Fused-MBConv does not expand, EdgeResidual
# (`conv_exp`, `bn1`, `conv_pwl`, `bn2`) where it does, InvertedResidual with SqueezeExcite for MBConv.
# Its BatchNormAct2d holds the activation: ours is `{bn}_act`. timm's head dropout is functional: no module.
TIMM = Layout(
    stem=("conv_stem", "bn1", "bn1_act"),
    block="blocks_{stage}_{index}",
    first_stage=0,
    fused=FusedNames(
        ("conv_exp", "bn1", "bn1_act"), ("conv_pwl", "bn2", "bn2_act"), ("conv", "bn1", "bn1_act"), "drop_path"
    ),
    inverted=TIMM_INVERTED_RESIDUAL,
    se=TIMM_SE,
    head=("conv_head", "bn2", "bn2_act"),
    classifier=("global_pool", "dropout", "classifier"),
    padding="same",
    mean=IMAGENET_MEAN,
    std=IMAGENET_STD,
)


@dataclasses.dataclass(frozen=True)
class EfficientNetV2Row(VariantRow):
    setting: tuple[Stage, ...]  # the block stages, after the 3x3/2 stem conv
    dropout_rate: float  # the default of the `dropout_rate` option
    layout: Layout = TORCHVISION
    head_channels: int = HEAD_CHANNELS


def _stages(*rows):
    return tuple(Stage(*row) for row in rows)


# The B family's base network (the authors' `v2_base_block`, timm's `_gen_efficientnetv2_base`): a 3x3/2 stem
# conv to 32 channels, these stages, a 1x1 head conv to 1280.
_B_BASE = _stages(
    (True, 1, 1, 32, 16, 1), (True, 4, 2, 16, 32, 2), (True, 4, 2, 32, 48, 2),
    (False, 4, 2, 48, 96, 3), (False, 6, 1, 96, 112, 5), (False, 6, 2, 112, 192, 8),
)


def _scaled(width: float, depth: float, dropout_rate: float, **facts):
    """A B-family row: `_B_BASE` scaled as timm's `round_channels(round_limit=0)` and `ceil` depth do; `facts`
    are the row's keyword fields."""

    def channels(c):
        return make_divisible(c * width, 8, round_limit=0.0)

    setting = tuple(
        stage._replace(
            in_channels=channels(stage.in_channels),
            out_channels=channels(stage.out_channels),
            layers=int(math.ceil(stage.layers * depth)),
        )
        for stage in _B_BASE
    )
    return EfficientNetV2Row(setting, dropout_rate, TIMM, channels(HEAD_CHANNELS), **facts)


# Counts and MACs: ../shared/reference/architectures.csv; default_size is the reference's evaluation size.
VARIANTS = (
    EfficientNetV2Row(
        _stages(
            (True, 1, 1, 24, 24, 2), (True, 4, 2, 24, 48, 4), (True, 4, 2, 48, 64, 4),
            (False, 4, 2, 64, 128, 6), (False, 6, 1, 128, 160, 9), (False, 6, 2, 160, 256, 15),
        ),
        0.2,
        name="efficientnet_v2_s", reference="torchvision:efficientnet_v2_s", default_size=384, params=21458488,
        mmacs=8365.6,
    ),
    EfficientNetV2Row(
        _stages(
            (True, 1, 1, 24, 24, 3), (True, 4, 2, 24, 48, 5), (True, 4, 2, 48, 80, 5),
            (False, 4, 2, 80, 160, 7), (False, 6, 1, 160, 176, 14), (False, 6, 2, 176, 304, 18),
            (False, 6, 1, 304, 512, 5),
        ),
        0.3,
        name="efficientnet_v2_m", reference="torchvision:efficientnet_v2_m", default_size=480, params=54139356,
        mmacs=24582.5,
    ),
    EfficientNetV2Row(
        _stages(
            (True, 1, 1, 32, 32, 4), (True, 4, 2, 32, 64, 7), (True, 4, 2, 64, 96, 7),
            (False, 4, 2, 96, 192, 10), (False, 6, 1, 192, 224, 19), (False, 6, 2, 224, 384, 25),
            (False, 6, 1, 384, 640, 7),
        ),
        0.4,
        name="efficientnet_v2_l", reference="torchvision:efficientnet_v2_l", default_size=480, params=118515272,
        mmacs=56079.7,
    ),
    # (width, depth, dropout) and resolution: the authors' `efficientnetv2_params`.
    _scaled(1.0, 1.0, 0.2, name="efficientnet_v2_b0", reference="timm:tf_efficientnetv2_b0", default_size=224,
            params=7139704, mmacs=718.1),
    _scaled(1.0, 1.1, 0.2, name="efficientnet_v2_b1", reference="timm:tf_efficientnetv2_b1", default_size=240,
            params=8141052, mmacs=1196.8),
    _scaled(1.1, 1.2, 0.3, name="efficientnet_v2_b2", reference="timm:tf_efficientnetv2_b2", default_size=260,
            params=10096086, mmacs=1697.5),
    _scaled(1.2, 1.4, 0.3, name="efficientnet_v2_b3", reference="timm:tf_efficientnetv2_b3", default_size=300,
            params=14358406, mmacs=3011.5),
)


def _unit(x, filters, kernel, names, strides=1, act=None, padding=None):
    """conv -> BatchNorm -> activation named (conv, bn, act); `padding` only matters for kernels above 1."""
    conv, norm, activation = names
    return conv_bn_act(
        x, filters, kernel, strides, padding=padding if kernel > 1 else None, act=act,
        conv_name=conv, bn_name=norm, act_name=activation if act else None, **_BN,
    )


def fused_mbconv(x, block, prefix, drop_rate, names=TORCHVISION.fused, padding=None):
    """Fused-MBConv (torchvision's `FusedMBConv`, timm's `EdgeResidual`/`ConvBnAct`): a 3x3 conv expanding
    (with stride) then a linear 1x1 projection, or a single 3x3 conv when the expansion is 1; plus the identity
    (after stochastic depth) when the shape is kept. `names` and `padding` are the reference's (`Layout`)."""
    expand, kernel, stride, cin, cout = block
    expanded = make_divisible(cin * expand, 8)

    def named(role):
        return tuple(f"{prefix}_{n}" for n in role)

    if expanded != cin:
        y = _unit(x, expanded, kernel, named(names.expand), stride, "silu", padding)
        y = _unit(y, cout, 1, named(names.project))
    else:
        y = _unit(x, cout, kernel, named(names.single), stride, "silu", padding)
    if stride == 1 and cin == cout:
        if drop_rate > 0:
            y = drop_path(y, drop_rate, name=f"{prefix}_{names.drop_path}")
        y = layers.Add(name=f"{prefix}_add")([y, x])
    return y


def _blocks(row: EfficientNetV2Row):
    """(stage index in the layer names, stage, block prefix, (expand, kernel, stride, in, out)) of every block."""
    layout = row.layout
    for s, stage in enumerate(row.setting, start=layout.first_stage):
        for j in range(stage.layers):
            # Only a stage's first block changes stride and width.
            block = (stage.expand, 3, stage.stride if j == 0 else 1,
                     stage.in_channels if j == 0 else stage.out_channels, stage.out_channels)
            yield s, stage, layout.block.format(stage=s, index=j), block


def _head_names(row: EfficientNetV2Row):
    head = len(row.setting) + row.layout.first_stage
    return tuple(name.format(head=head) for name in row.layout.head)


def _features(x, row: EfficientNetV2Row, drop_path_rate: float):
    layout = row.layout
    x = _unit(x, row.setting[0].in_channels, 3, layout.stem, 2, "silu", layout.padding)
    total = sum(stage.layers for stage in row.setting)
    for block_id, (_, stage, prefix, block) in enumerate(_blocks(row)):
        rate = drop_path_rate * block_id / total
        if stage.fused:
            x = fused_mbconv(x, block, prefix, rate, layout.fused, layout.padding)
        else:
            x = mbconv(x, block, prefix, rate, _BN, layout.inverted, layout.se, layout.padding)
    return _unit(x, row.head_channels, 1, _head_names(row), act="silu")


def _head(x, classes, dropout, names):
    pool, dropout_name, dense = names
    x = layers.GlobalAveragePooling2D(name=pool)(x)
    if dropout:
        x = layers.Dropout(dropout, name=dropout_name)(x)
    return layers.Dense(classes, name=dense)(x)


def _build(row: EfficientNetV2Row, spec, args):
    return assemble(
        spec,
        args,
        lambda x: _features(x, row, args.drop_path_rate),
        lambda x, classes: _head(x, classes, args.dropout_rate, row.layout.classifier),
    )


def _block_output(row, stage, prefix, block):
    """The layer that ends a block: its add, else its last BatchNorm (or activation, for a single conv)."""
    expand, _, stride, cin, cout = block
    if stride == 1 and cin == cout:
        return f"{prefix}_add"
    layout = row.layout
    if stage.fused:
        single = make_divisible(cin * expand, 8) == cin
        return f"{prefix}_{layout.fused.single[2] if single else layout.fused.project[1]}"
    if layout.inverted is not None:
        return f"{prefix}_{layout.inverted.project[1]}"
    return f"{prefix}_block_{3 if make_divisible(cin * expand, 8) != cin else 2}_1"  # torchvision's MBConv


def _stage_names(row):
    """Feature taps at strides 2, 4, 8, 16 and 32: the end of the stage before each halving, and the head."""
    blocks = list(_blocks(row))
    names = []
    for (s, stage, prefix, block), following in zip(blocks, blocks[1:]):
        if following[0] != s and following[3][2] == 2:  # the last block of a stage whose successor halves
            names.append(_block_output(row, stage, prefix, block))
    return tuple(names) + (_head_names(row)[2],)


def _doc(row):
    options = (
        "`dropout_rate` is the dropout before the classifier, `drop_path_rate` the stochastic depth rate of the "
        "last block (linearly less for earlier ones)."
    )
    if row.layout is TORCHVISION:
        return (
            f"EfficientNetV2-{row.name[-1].upper()} (Tan & Le 2021): Fused-MBConv early stages, MBConv with "
            f"squeeze-and-excitation later, SiLU, a 1x1 head conv to 1280 channels. {options}"
        )
    return (
        f"EfficientNetV2-{row.name[-2:].upper()} (Tan & Le 2021, the authors' smaller configurations): Fused-MBConv "
        "early stages, MBConv with squeeze-and-excitation later, SiLU, a 1x1 head conv to "
        f"{row.head_channels} channels; TensorFlow \"same\" padding as timm's `{row.reference.split(':')[1]}`. "
        f"{options}"
    )


def _params_source(row):
    library, reference_name = row.reference.split(":")
    return "shared/reference/architectures.csv " + (
        "(torchvision 0.29.1)" if library == "torchvision" else f"(timm 1.0.31 {reference_name})"
    )


register_family(
    VARIANTS,
    _build,
    options=lambda row: {"dropout_rate": row.dropout_rate, "drop_path_rate": 0.2},
    doc=_doc,
    family="efficientnet_v2",
    head_modules=("classifier",),
    paper="Tan & Le 2021, EfficientNetV2: Smaller Models and Faster Training",
    params_source=_params_source,
    # PyTorch padding of k // 2 and TF's "same" both keep any side >= 1 through the five halvings.
    min_size=1,
    mean=lambda row: row.layout.mean,
    std=lambda row: row.layout.std,
    stages=_stage_names,
)
