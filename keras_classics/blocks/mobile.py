"""Blocks of the mobile networks: squeeze-and-excitation as plain layers and the inverted residual of
MobileNetV2/V3 and EfficientNet (their conv-BN-activation units are `blocks.conv.conv_bn_act`).

Everything here is built from layers TFLite runs natively (CONV_2D, DEPTHWISE_CONV_2D, MEAN, MUL, ADD,
HARD_SWISH, ...), because these networks are meant for phones. Layer names are passed in by the family
modules so that they mirror the reference's module paths (see DESIGN.md).
"""

from __future__ import annotations

from typing import NamedTuple

from keras import layers

from keras_classics.blocks.conv import activation, conv_bn_act
from keras_classics.blocks.regularization import drop_path
from keras_classics.torch_compat import BN_EPSILON, BN_MOMENTUM


class SENames(NamedTuple):
    """What follows `{prefix}_` in the names of `squeeze_excite`'s six layers; each reference differs."""

    pool: str
    fc1: str
    act: str
    fc2: str
    gate: str
    scale: str


# torchvision's `SqueezeExcitation` attributes (EfficientNet): avgpool, fc1, activation, fc2, scale_activation.
TORCHVISION_SE = SENames("avgpool", "fc1", "activation", "fc2", "scale_activation", "mul")
# timm's `SqueezeExcite` of GhostNet: conv_reduce, act1, conv_expand, gate.
TIMM_SE = SENames("pool", "conv_reduce", "act1", "conv_expand", "gate", "mul")
# MobileNetV3 names its activations by kind (its weights map the same: they have none).
MOBILENET_V3_SE = SENames("avgpool", "fc1", "relu", "fc2", "hard_sigmoid", "scale")


class RoleNames(NamedTuple):
    """What follows `{prefix}_` in the names of an inverted residual's layers where the reference names its
    modules by role rather than by position in an `nn.Sequential`: each unit's (conv, BatchNorm) (the
    activation is `{bn}_act`), the SE block's prefix and the stochastic depth layer."""

    expand: tuple[str, str]
    depthwise: tuple[str, str]
    se: str
    project: tuple[str, str]
    drop_path: str


# timm's `InvertedResidual` (EfficientNet builder): conv_pw, bn1, conv_dw, bn2, se, conv_pwl, bn3, drop_path.
TIMM_INVERTED_RESIDUAL = RoleNames(("conv_pw", "bn1"), ("conv_dw", "bn2"), "se", ("conv_pwl", "bn3"), "drop_path")


def squeeze_excite(x, squeeze_channels, prefix, act="relu", gate="hard_sigmoid", names=MOBILENET_V3_SE):
    """Squeeze-and-excitation as separate layers: pool -> `fc1` -> act -> `fc2` -> gate -> scale the input.

    `fc1`/`fc2` are top-level 1x1 `Conv2D` layers with bias named `{prefix}_{names.fc1}` and so on, so the
    weight importer maps `{module}.fc1.weight` by the generic name rule (Hu et al. 2018; Howard et al.
    2019 use a hard-sigmoid gate). `keras_classics.layers.SqueezeExcite` is the same computation as one
    layer, for the ResNets' attention option.
    """
    channels = x.shape[-1]
    scale = layers.GlobalAveragePooling2D(keepdims=True, name=f"{prefix}_{names.pool}")(x)
    scale = layers.Conv2D(squeeze_channels, 1, name=f"{prefix}_{names.fc1}")(scale)
    scale = activation(scale, act, name=f"{prefix}_{names.act}")
    scale = layers.Conv2D(channels, 1, name=f"{prefix}_{names.fc2}")(scale)
    scale = activation(scale, gate, name=f"{prefix}_{names.gate}")
    return layers.Multiply(name=f"{prefix}_{names.scale}")([x, scale])


def inverted_residual(
    x,
    expanded,
    filters,
    kernel_size,
    strides,
    act,
    prefix,
    body="block",
    se_channels=0,
    se_act="relu",
    se_gate="hard_sigmoid",
    se_names=MOBILENET_V3_SE,
    sequential_act_names=False,
    linear_projection_as_pair=False,
    drop_path_rate=0.0,
    shortcut_first=True,
    bn_epsilon=BN_EPSILON,
    bn_momentum=BN_MOMENTUM,
    role_names: RoleNames | None = None,
    padding=None,
):
    """The inverted residual of MobileNetV2/V3 and EfficientNet's MBConv (Sandler et al. 2018; Howard et al.
    2019; Tan & Le 2019): torchvision's `InvertedResidual` and `MBConv`.

    1x1 expansion (skipped when `expanded` equals the input width) -> depthwise `kernel_size` conv with
    `strides` -> optional squeeze-and-excitation to `se_channels` -> linear 1x1 projection to `filters`,
    plus the identity when the shape is kept (after stochastic depth `{prefix}_stochastic_depth` when
    `drop_path_rate > 0`), summed by `{prefix}_add`.

    Layer names follow torchvision's `nn.Sequential` `{prefix}_{body}`: `{prefix}_{body}_{i}_0` conv and
    `_1` BN for each `Conv2dNormActivation` (its activation `_2` with `sequential_act_names`, else
    `_1_act`); the SE's layers `{prefix}_{body}_{i}_` + `se_names`. MobileNetV2 writes its projection as a
    bare conv and BN (`{prefix}_{body}_{i}`, `_{i+1}`): `linear_projection_as_pair=True`. A reference that
    names its modules by role (timm: `conv_pw`, `bn1`, ...) passes `role_names` instead, which replaces all
    of those (`{prefix}_` + its names). `padding` goes to the depthwise conv (the only one wider than 1x1):
    None pads as PyTorch, `"same"` as TensorFlow (timm's `tf_*` models).
    `shortcut_first` orders the sum as the reference writes it (`x + conv(x)` in `InvertedResidual`,
    `result + input` in `MBConv`).

    Args:
        prefix: the block's module path, e.g. `"features_2"` (MobileNetV2, `body="conv"`) or `"features_1_0"`.
    """
    inputs = x
    seq = f"{prefix}_{body}"

    def unit(x, filters, kernel_size, index, role, strides=1, act=None, depthwise=False, pair=False):
        if role_names is not None:
            names = tuple(f"{prefix}_{n}" for n in getattr(role_names, role))
            act_name = None
        else:
            names = (f"{seq}_{index}", f"{seq}_{index + 1}") if pair else (f"{seq}_{index}_0", f"{seq}_{index}_1")
            act_name = f"{seq}_{index}_2" if sequential_act_names and act else None
        return conv_bn_act(
            x, filters, kernel_size, strides, padding=padding if depthwise else None, act=act, depthwise=depthwise,
            conv_name=names[0], bn_name=names[1], act_name=act_name, bn_epsilon=bn_epsilon, bn_momentum=bn_momentum,
        )

    index = 0
    if expanded != x.shape[-1]:
        x = unit(x, expanded, 1, index, "expand", act=act)
        index += 1
    x = unit(x, expanded, kernel_size, index, "depthwise", strides, act=act, depthwise=True)
    index += 1
    if se_channels:
        se_prefix = f"{prefix}_{role_names.se}" if role_names is not None else f"{seq}_{index}"
        x = squeeze_excite(x, se_channels, se_prefix, se_act, se_gate, se_names)
        index += 1
    x = unit(x, filters, 1, index, "project", pair=linear_projection_as_pair)
    if strides == 1 and inputs.shape[-1] == filters:
        if drop_path_rate > 0:
            depth_name = role_names.drop_path if role_names is not None else "stochastic_depth"
            x = drop_path(x, drop_path_rate, name=f"{prefix}_{depth_name}")
        x = layers.Add(name=f"{prefix}_add")([inputs, x] if shortcut_first else [x, inputs])
    return x
