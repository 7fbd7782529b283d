"""Residual blocks: torchvision's BasicBlock/Bottleneck (one function) and the pre-activation wide block.

`apply_resnet_block` is He et al. 2016's post-activation block as torchvision builds it (v1.5: the stride
sits on the 3x3 conv), with ResNeXt's cardinality (Xie et al. 2017) and the widened bottleneck of
torchvision's `wide_resnet50_2`; an optional attention module from `blocks.attention` (SE, ECA, CBAM)
rescales the residual branch before the addition, as in the SE, ECA and CBAM papers, and an optional drop
path (stochastic depth, `blocks.regularization`) drops it. `apply_preact_block` is the pre-activation block
of Wide Residual Networks (Zagoruyko & Komodakis 2016): BN-ReLU-conv3x3, BN-ReLU-dropout-conv3x3.
`apply_preact_bottleneck` is the pre-activation bottleneck of ResNet v2 (He et al. 2016, "Identity Mappings
in Deep Residual Networks").
"""

from __future__ import annotations

from keras import layers

from keras_classics.blocks.attention import apply_attention
from keras_classics.blocks.conv import batch_norm, conv2d, conv_bn_act
from keras_classics.blocks.regularization import drop_path

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
    y = apply_attention(y, attention, name)
    if drop_path_rate > 0.0:
        y = drop_path(y, drop_path_rate, name=f"{name}_drop_path")

    shortcut = x
    if strides != 1 or x.shape[-1] != out_channels:
        shortcut = conv_bn_act(
            x, out_channels, 1, strides, act=None, conv_name=f"{name}_downsample_0", bn_name=f"{name}_downsample_1"
        )
    y = layers.Add(name=f"{name}_add")([y, shortcut])
    return layers.ReLU(name=f"{name}_out")(y)


def apply_preact_block(
    x, filters: int, strides: int = 1, *, dropout_rate: float = 0.0, attention: str | None = None, name: str
):
    """The wide-dropout block of Wide Residual Networks (Zagoruyko & Komodakis 2016, Fig. 1d).

    BN-ReLU-conv3x3(stride) - BN-ReLU-dropout-conv3x3, convs without bias; where the shape changes, the
    shortcut is a 1x1 conv (`{name}_shortcut`) applied to the first BN-ReLU's output, as in the authors' code.
    An optional attention module (`blocks.attention`) rescales the branch before the addition.
    """
    preact = layers.ReLU(name=f"{name}_relu1")(batch_norm(x, name=f"{name}_bn1"))
    y = conv2d(preact, filters, 3, strides, name=f"{name}_conv1")
    y = layers.ReLU(name=f"{name}_relu2")(batch_norm(y, name=f"{name}_bn2"))
    if dropout_rate > 0.0:
        y = layers.Dropout(dropout_rate, name=f"{name}_dropout")(y)
    y = conv2d(y, filters, 3, 1, name=f"{name}_conv2")
    y = apply_attention(y, attention, name)
    shortcut = x
    if strides != 1 or x.shape[-1] != filters:
        shortcut = conv2d(preact, filters, 1, strides, name=f"{name}_shortcut")
    return layers.Add(name=f"{name}_add")([y, shortcut])


def apply_preact_bottleneck(x, filters: int, strides: int = 1, *, drop_path_rate: float = 0.0, name: str):
    """The pre-activation bottleneck of ResNet v2 (He et al. 2016, "Identity Mappings", Fig. 1b / 4e).

    BN-ReLU-conv1x1, BN-ReLU-conv3x3(stride), BN-ReLU-conv1x1 to `filters` (4x the bottleneck width), convs
    without bias, added to the untouched input; where the shape changes the shortcut is a 1x1 conv of the
    first BN-ReLU's output. Named as timm's `PreActBottleneck` (`norm1`, `conv1`, ..., `downsample_conv`),
    with the stride on the 3x3 conv as timm and keras.applications' ResNet50V2 place it.

    Example:
        >>> import keras
        >>> x = keras.Input((8, 8, 64))
        >>> apply_preact_bottleneck(x, 256, name="block").shape
        (None, 8, 8, 256)
    """
    width = filters // 4
    preact = layers.ReLU(name=f"{name}_norm1_act")(batch_norm(x, name=f"{name}_norm1"))
    y = conv2d(preact, width, 1, name=f"{name}_conv1")
    y = layers.ReLU(name=f"{name}_norm2_act")(batch_norm(y, name=f"{name}_norm2"))
    y = conv2d(y, width, 3, strides, name=f"{name}_conv2")
    y = layers.ReLU(name=f"{name}_norm3_act")(batch_norm(y, name=f"{name}_norm3"))
    y = conv2d(y, filters, 1, name=f"{name}_conv3")
    if drop_path_rate:
        y = drop_path(y, drop_path_rate, name=f"{name}_drop_path")
    shortcut = x
    if strides != 1 or x.shape[-1] != filters:
        shortcut = conv2d(preact, filters, 1, strides, name=f"{name}_downsample_conv")
    return layers.Add(name=f"{name}_add")([y, shortcut])
