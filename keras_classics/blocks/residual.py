"""Residual blocks: torchvision's BasicBlock/Bottleneck (one function) and the pre-activation wide block.

`apply_resnet_block` is He et al. 2016's post-activation block as torchvision builds it (v1.5: the stride
sits on the 3x3 conv), with ResNeXt's cardinality (Xie et al. 2017) and the widened bottleneck of
torchvision's `wide_resnet50_2`; an optional channel-attention module (SE, ECA, CBAM) rescales the
residual branch before the addition, as in the SE, ECA and CBAM papers, and an optional DropPath
(stochastic depth) drops it. `apply_preact_block` is the pre-activation block of Wide Residual Networks
(Zagoruyko & Komodakis 2016): BN-ReLU-conv3x3, BN-ReLU-dropout-conv3x3.
"""

from __future__ import annotations

from keras import layers

from keras_classics.blocks.conv import batch_norm, conv2d, conv_bn_act

ATTENTION_KINDS = (None, "se", "eca", "cbam")


def check_attention(attention):
    """Validates the `attention` option of the residual families."""
    if attention not in ATTENTION_KINDS:
        raise ValueError(f"attention must be one of None, 'se', 'eca', 'cbam'; got {attention!r}")
    return attention


def attention_layer(kind: str, name: str):
    """The channel-attention layer of `kind`, named `{name}_{kind}` so reference weights map by name.

    se: timm's `SEModule` (reduction 16, bottleneck rounded to a multiple of 8, 1x1 convs with bias),
    the module `layerX.Y.se` of timm's SE-ResNets. eca: ECA-Net's adaptive-k 1-D conv without bias
    (`layerX.Y.eca.conv` in the official code). cbam: CBAM with reduction 16 and a 7x7 spatial conv + BN.
    """
    from keras_classics.layers import CBAM, EfficientChannelAttention, SqueezeExcite

    check_attention(kind)
    if kind == "se":
        return SqueezeExcite(reduction=16, divisor=8, name=f"{name}_se")
    if kind == "eca":
        return EfficientChannelAttention(name=f"{name}_eca")
    return CBAM(reduction=16, spatial_kernel_size=7, name=f"{name}_cbam")


def apply_resnet_block(
    x,
    planes: int,
    strides: int = 1,
    *,
    bottleneck: bool,
    groups: int = 1,
    width_per_group: int = 64,
    attention: str | None = None,
    drop_path_rate: float = 0.0,
    zero_init_residual: bool = False,
    name: str,
):
    """torchvision's `BasicBlock` (`bottleneck=False`) or `Bottleneck` (`bottleneck=True`).

    Basic: 3x3(stride) - 3x3, `planes` channels out. Bottleneck: 1x1 - 3x3(stride, `groups`) - 1x1, with
    inner width `int(planes * width_per_group / 64) * groups` and `4 * planes` channels out. A 1x1
    conv + BN projection (`{name}_downsample_0/1`) replaces the identity where the shape changes.
    Layer names follow torchvision (`layer1_0_conv1`, `layer1_0_bn1`, ...).
    """
    if bottleneck:
        out_channels = planes * 4
        width = int(planes * (width_per_group / 64.0)) * groups
        units = [(width, 1, 1, 1), (width, 3, strides, groups), (out_channels, 1, 1, 1)]
    else:
        if groups != 1 or width_per_group != 64:
            raise ValueError(
                f"the basic block supports only groups=1 and width_per_group=64; got groups={groups}, "
                f"width_per_group={width_per_group}"
            )
        out_channels = planes
        units = [(planes, 3, strides, 1), (planes, 3, 1, 1)]

    y = x
    for i, (filters, kernel, stride, g) in enumerate(units, start=1):
        last = i == len(units)
        y = conv_bn_act(
            y,
            filters,
            kernel,
            stride,
            groups=g,
            act=None if last else "relu",  # the last BN feeds the addition, the ReLU comes after it
            conv_name=f"{name}_conv{i}",
            bn_name=f"{name}_bn{i}",
            act_name=f"{name}_relu{i}",
            gamma_zero=last and zero_init_residual,
        )
    if attention is not None:
        y = attention_layer(attention, name)(y)
    if drop_path_rate > 0.0:
        from keras_classics.layers import DropPath

        y = DropPath(drop_path_rate, name=f"{name}_drop_path")(y)

    shortcut = x
    if strides != 1 or x.shape[-1] != out_channels:
        shortcut = conv_bn_act(
            x, out_channels, 1, strides, act=None, conv_name=f"{name}_downsample_0", bn_name=f"{name}_downsample_1"
        )
    y = layers.Add(name=f"{name}_add")([y, shortcut])
    return layers.ReLU(name=f"{name}_out")(y)


def apply_preact_block(x, filters: int, strides: int = 1, *, dropout_rate: float = 0.0, name: str):
    """The wide-dropout block of Wide Residual Networks (Zagoruyko & Komodakis 2016, Fig. 1d).

    BN-ReLU-conv3x3(stride) - BN-ReLU-dropout-conv3x3, convs without bias; where the shape changes, the
    shortcut is a 1x1 conv (`{name}_shortcut`) applied to the first BN-ReLU's output, as in the authors' code.
    """
    preact = layers.ReLU(name=f"{name}_relu1")(batch_norm(x, name=f"{name}_bn1"))
    y = conv2d(preact, filters, 3, strides, name=f"{name}_conv1")
    y = layers.ReLU(name=f"{name}_relu2")(batch_norm(y, name=f"{name}_bn2"))
    if dropout_rate > 0.0:
        y = layers.Dropout(dropout_rate, name=f"{name}_dropout")(y)
    y = conv2d(y, filters, 3, 1, name=f"{name}_conv2")
    shortcut = x
    if strides != 1 or x.shape[-1] != filters:
        shortcut = conv2d(preact, filters, 1, strides, name=f"{name}_shortcut")
    return layers.Add(name=f"{name}_add")([y, shortcut])
