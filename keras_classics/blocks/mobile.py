"""Blocks of the mobile networks: squeeze-and-excitation as plain layers and the inverted residual of
MobileNetV2/V3 (their conv-BN-activation units are `blocks.conv.conv_bn_act`).

Everything here is built from layers TFLite runs natively (CONV_2D, DEPTHWISE_CONV_2D, MEAN, MUL, ADD,
HARD_SWISH, ...), because these networks are meant for phones. Layer names are passed in by the family
modules so that they mirror the reference's module paths (see DESIGN.md).
"""

from __future__ import annotations

from keras import layers

from keras_classics.blocks.conv import BN_EPSILON, BN_MOMENTUM, activation, conv_bn_act


def squeeze_excite(x, squeeze_channels, prefix, act="relu", gate="hard_sigmoid"):
    """torchvision's `SqueezeExcitation` as separate layers: pool -> `fc1` -> act -> `fc2` -> gate -> scale.

    Keeping `fc1`/`fc2` as top-level `Conv2D` layers named `{prefix}_fc1`/`{prefix}_fc2` lets the weight
    importer map `{module}.fc1.weight` by the generic name rule (Hu et al. 2018; Howard et al. 2019 use a
    hard-sigmoid gate).
    """
    channels = x.shape[-1]
    scale = layers.GlobalAveragePooling2D(keepdims=True, name=f"{prefix}_avgpool")(x)
    scale = layers.Conv2D(squeeze_channels, 1, name=f"{prefix}_fc1")(scale)
    scale = activation(scale, act, name=f"{prefix}_{act}")
    scale = layers.Conv2D(channels, 1, name=f"{prefix}_fc2")(scale)
    scale = activation(scale, gate, name=f"{prefix}_{gate}")
    return layers.Multiply(name=f"{prefix}_scale")([x, scale])


def inverted_residual(
    x,
    expanded,
    filters,
    kernel_size,
    strides,
    act,
    prefix,
    se_channels=0,
    linear_projection_as_pair=False,
    bn_epsilon=BN_EPSILON,
    bn_momentum=BN_MOMENTUM,
):
    """torchvision's `InvertedResidual` of MobileNetV2 and V3 (Sandler et al. 2018; Howard et al. 2019).

    1x1 expansion (skipped when `expanded` equals the input width) -> depthwise `kernel_size` conv with
    `strides` -> optional squeeze-and-excitation -> linear 1x1 projection, plus the identity when the shape
    is kept. Submodules are numbered as in torchvision's `nn.Sequential`: `{prefix}_{i}_0` conv and
    `{prefix}_{i}_1` BN for each `Conv2dNormActivation`, `{prefix}_{i}_fc1` for SE. MobileNetV2 writes its
    projection as a bare conv and BN (`{prefix}_{i}`, `{prefix}_{i+1}`): `linear_projection_as_pair=True`.

    Args:
        prefix: the module path of the block's sequence, e.g. `"features_2_conv"` or `"features_4_block"`.
    """
    inputs = x
    bn = dict(bn_epsilon=bn_epsilon, bn_momentum=bn_momentum)
    index = 0
    if expanded != x.shape[-1]:
        x = conv_bn_act(x, expanded, 1, act=act, conv_name=f"{prefix}_0_0", bn_name=f"{prefix}_0_1", **bn)
        index += 1
    x = conv_bn_act(
        x,
        expanded,
        kernel_size,
        strides,
        act=act,
        depthwise=True,
        conv_name=f"{prefix}_{index}_0",
        bn_name=f"{prefix}_{index}_1",
        **bn,
    )
    index += 1
    if se_channels:
        x = squeeze_excite(x, se_channels, f"{prefix}_{index}")
        index += 1
    if linear_projection_as_pair:
        conv_name, bn_name = f"{prefix}_{index}", f"{prefix}_{index + 1}"
    else:
        conv_name, bn_name = f"{prefix}_{index}_0", f"{prefix}_{index}_1"
    x = conv_bn_act(x, filters, 1, act=None, conv_name=conv_name, bn_name=bn_name, **bn)
    if strides == 1 and inputs.shape[-1] == filters:
        x = layers.Add(name=f"{prefix.rsplit('_', 1)[0]}_add")([inputs, x])
    return x
