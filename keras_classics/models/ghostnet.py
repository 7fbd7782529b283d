"""GhostNet (Han, Wang, Tian, Guo, Xu & Xu 2020, "GhostNet: More Features from Cheap Operations", CVPR).

The paper's Table 1: a 3x3/2 stem conv with 16 channels, sixteen Ghost bottlenecks (a Ghost module expands,
a depthwise conv downsamples where the stride is 2, optional squeeze-and-excitation, a second Ghost module
projects, plus a shortcut), a 1x1 conv to 960, global pooling, a 1x1 conv to 1280 with bias and ReLU,
dropout and the classifier. Channels are scaled by `width` and rounded to multiples of 4.

Built as timm 1.0.31's `ghostnet_100` (and `ghostnet_050` / `ghostnet_130`). The Ghost modules are
functional blocks (conv-BN-act units and a concatenation), so that every timm parameter maps on a
layer of its own by name: timm's `blocks.1.0.ghost1.primary_conv.0.weight` lands on the Keras layer
`blocks_1_0_ghost1_primary_conv_0`, `...cheap_operation.1` on `blocks_1_0_ghost1_cheap_operation_1`.
The SE blocks are timm's: squeeze `make_divisible(channels / 4, 4)`, ReLU, hard-sigmoid gate
(`relu6(x + 3) / 6`). BatchNorm eps 1e-5 / momentum 0.1 (PyTorch's defaults).
"""

import dataclasses
import math

from keras import layers

from keras_classics.blocks.conv import activation, conv_bn_act, sequential_conv_bn_act
from keras_classics.blocks.mobile import TIMM_SE, squeeze_excite
from keras_classics.models.builder import assemble
from keras_classics.models.variant_table import VariantRow, register_family
from keras_classics.torch_compat import make_divisible

# The paper's Table 1, grouped into timm's `blocks` stages:
# (depthwise kernel, expansion size "#exp", output channels "#out", SE ratio, stride)
_STAGES = (
    ((3, 16, 16, 0, 1),),
    ((3, 48, 24, 0, 2),),
    ((3, 72, 24, 0, 1),),
    ((5, 72, 40, 0.25, 2),),
    ((5, 120, 40, 0.25, 1),),
    ((3, 240, 80, 0, 2),),
    ((3, 200, 80, 0, 1), (3, 184, 80, 0, 1), (3, 184, 80, 0, 1), (3, 480, 112, 0.25, 1), (3, 672, 112, 0.25, 1)),
    ((5, 672, 160, 0.25, 2),),
    ((5, 960, 160, 0, 1), (5, 960, 160, 0.25, 1), (5, 960, 160, 0, 1), (5, 960, 160, 0.25, 1)),
)
_WIDTHS = (0.5, 1.0, 1.3)
_HEAD_CHANNELS = 1280


def _ghost_module(x, filters, relu, prefix):
    """Ghost module (paper Fig. 2b, ratio s=2, d=3): half the maps from a 1x1 conv, half from a 3x3 depthwise
    "cheap operation" on them; concatenated."""
    primary = math.ceil(filters / 2)
    if 2 * primary != filters:
        raise ValueError(f"GhostNet channels are multiples of 4; got {filters} at {prefix}")
    act = "relu" if relu else None
    x1 = sequential_conv_bn_act(x, primary, 1, f"{prefix}_primary_conv", act=act)
    x2 = sequential_conv_bn_act(x1, None, 3, f"{prefix}_cheap_operation", act=act, depthwise=True)
    return layers.Concatenate(name=f"{prefix}_concat")([x1, x2])


def _bottleneck(x, kernel, mid, out, se_ratio, stride, prefix):
    """Ghost bottleneck (paper Fig. 3): Ghost module -> [depthwise kxk/2] -> [SE] -> Ghost module (linear)."""
    cin = x.shape[-1]
    shortcut = x
    x = _ghost_module(x, mid, True, f"{prefix}_ghost1")
    if stride > 1:
        x = conv_bn_act(
            x, None, kernel, stride, act=None, depthwise=True, conv_name=f"{prefix}_conv_dw", bn_name=f"{prefix}_bn_dw"
        )
    if se_ratio:
        x = squeeze_excite(x, make_divisible(x.shape[-1] * se_ratio, 4), f"{prefix}_se", names=TIMM_SE)
    x = _ghost_module(x, out, False, f"{prefix}_ghost2")
    if cin != out or stride > 1:
        # timm's projection shortcut: depthwise kxk (stride) + BN, then 1x1 conv + BN.
        shortcut = conv_bn_act(
            shortcut, None, kernel, stride, act=None, depthwise=True,
            conv_name=f"{prefix}_shortcut_0", bn_name=f"{prefix}_shortcut_1",
        )
        shortcut = conv_bn_act(
            shortcut, out, 1, act=None, conv_name=f"{prefix}_shortcut_2", bn_name=f"{prefix}_shortcut_3"
        )
    return layers.Add(name=f"{prefix}_add")([x, shortcut])


def _features(x, width):
    x = conv_bn_act(x, make_divisible(16 * width, 4), 3, 2, conv_name="conv_stem", bn_name="bn1", act_name="act1")
    for i, stage in enumerate(_STAGES):
        for j, (kernel, exp, c, se_ratio, stride) in enumerate(stage):
            mid, out = make_divisible(exp * width, 4), make_divisible(c * width, 4)
            x = _bottleneck(x, kernel, mid, out, se_ratio, stride, f"blocks_{i}_{j}")
    # timm's last stage: ConvBnAct 1x1 to the last expansion size.
    last = f"blocks_{len(_STAGES)}_0"
    return conv_bn_act(
        x, make_divisible(_STAGES[-1][-1][1] * width, 4), 1,
        conv_name=f"{last}_conv", bn_name=f"{last}_bn1", act_name=f"{last}_act",
    )


def _head(x, classes, dropout):
    # timm pools first, then a 1x1 conv with bias (no BN) and ReLU: kept as a conv so its weight maps as is.
    x = layers.GlobalAveragePooling2D(keepdims=True, name="global_pool")(x)
    x = layers.Conv2D(_HEAD_CHANNELS, 1, name="conv_head")(x)
    x = activation(x, "relu", name="act2")
    x = layers.Flatten(name="flatten")(x)
    if dropout:
        x = layers.Dropout(dropout, name="dropout")(x)
    return layers.Dense(classes, name="classifier")(x)


@dataclasses.dataclass(frozen=True)
class GhostNetRow(VariantRow):
    width: float  # the paper's width multiplier (the default of the `width` option where there is one)
    # `ghostnet` takes the paper's width multiplier as an option; the others fix it in their name.
    width_option: bool = False


_CSV = "shared/reference/architectures.csv"

VARIANTS = (
    GhostNetRow(1.0, width_option=True, name="ghostnet", params=5182508,
                params_source=f"{_CSV} (timm 1.0.31 ghostnet_100)", mmacs=141.2),
    GhostNetRow(0.5, name="ghostnet_050", params=2587292, params_source=f"{_CSV} notes (timm 1.0.31 ghostnet_050)",
                mmacs=None),
    GhostNetRow(1.3, name="ghostnet_130", params=7358820, params_source=f"{_CSV} notes (timm 1.0.31 ghostnet_130)",
                mmacs=None),
)


def _build(row: GhostNetRow, spec, args):
    width = getattr(args, "width", row.width)  # an option of `ghostnet` only
    if width not in _WIDTHS:
        raise ValueError(f"width must be one of {', '.join(map(str, _WIDTHS))}; got {width!r}")
    return assemble(
        spec,
        args,
        lambda x: _features(x, width),
        lambda x, classes: _head(x, classes, args.dropout_rate),
    )


# Feature taps, the last layer at strides 2, 4, 8, 16, 32 (timm's feature_info stages).
_STAGE_NAMES = ("act1", "blocks_2_0_add", "blocks_4_0_add", "blocks_6_4_add", f"blocks_{len(_STAGES)}_0_act")

register_family(
    VARIANTS,
    _build,
    options=lambda row: {"width": row.width, "dropout_rate": 0.2} if row.width_option else {"dropout_rate": 0.2},
    doc=lambda row: (
        f"GhostNet {row.width}x (Han et al. 2020, Table 1): Ghost bottlenecks with squeeze-and-excitation. "
        "`dropout_rate` is the dropout before the classifier"
        + ("; `width` (0.5, 1.0 or 1.3) scales every layer's channels." if row.width_option else ".")
    ),
    family="ghostnet",
    # timm keeps the 1x1 conv after the global pool in the head; include_top=False drops it too
    head_modules=("conv_head", "classifier"),
    paper="Han et al. 2020, GhostNet: More Features from Cheap Operations",
    reference=lambda row: f"timm:ghostnet_{round(row.width * 100):03d}",
    default_size=224,
    # Every strided conv pads k // 2 on each side, so any side >= 1 survives the five halvings.
    min_size=1,
    stages=_STAGE_NAMES,
)
