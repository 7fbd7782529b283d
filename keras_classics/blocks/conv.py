"""Convolution building blocks with PyTorch's padding semantics.

TensorFlow's `padding="same"` pads asymmetrically when the stride is 2 (more at the bottom/right), while
the reference implementations pad `kernel_size // 2` on every side. For imported weights to give the
same numbers, strided or even-sized convolutions get an explicit `ZeroPadding2D` and `padding="valid"`;
stride-1 odd kernels use `"same"`, which is then identical. References ported from TensorFlow with its
padding (timm's `tf_*` models, `pad_type="same"`: `Conv2dSame`) pass `padding="same"` and get Keras' own.
"""

from __future__ import annotations

from keras import layers

from keras_classics.layers.conv import GroupConv2D
from keras_classics.torch_compat import BN_EPSILON, BN_MOMENTUM, padding_plan


def torch_padding(x, kernel_size, strides=1, padding=None, dilation=1, name=None):
    """Pads like PyTorch (`padding` defaults to `dilation * (kernel_size - 1) // 2` per side), with a
    `ZeroPadding2D` layer `{name}_pad` where Keras' own modes cannot (`torch_compat.padding_plan`).
    `padding="same"` asks for TensorFlow's padding instead (the odd cell at the bottom/right), which is
    Keras' own mode: nothing is added.

    Returns the padded tensor and the Keras padding mode to use for the following conv or pool.
    """
    if padding == "same":
        return x, "same"
    (ph, pw), mode = padding_plan(kernel_size, strides, padding, dilation)
    if ph == pw == 0:
        return x, mode
    return layers.ZeroPadding2D(((ph, ph), (pw, pw)), name=f"{name}_pad" if name else None)(x), mode


def conv2d(x, filters, kernel_size, strides=1, padding=None, groups=1, dilation=1, use_bias=False, name=None):
    """A PyTorch-equivalent `nn.Conv2d` (symmetric padding; groups without XLA).

    One group is Keras' own `Conv2D`, so a model without grouped convolutions saves as a `.keras` file
    that plain Keras loads; several groups are `GroupConv2D` (per-group convs, no XLA).
    """
    x, mode = torch_padding(x, kernel_size, strides, padding, dilation, name)
    conv = GroupConv2D if groups > 1 else layers.Conv2D
    extra = {"groups": groups} if groups > 1 else {}
    return conv(
        filters,
        kernel_size,
        strides=strides,
        padding=mode,
        dilation_rate=dilation,
        use_bias=use_bias,
        name=name,
        **extra,
    )(x)


def depthwise_conv2d(
    x, kernel_size, strides=1, padding=None, depth_multiplier=1, dilation=1, use_bias=False, name=None
):
    """A PyTorch-equivalent depthwise `nn.Conv2d(groups=in_channels)`."""
    x, mode = torch_padding(x, kernel_size, strides, padding, dilation, name)
    return layers.DepthwiseConv2D(
        kernel_size,
        strides=strides,
        padding=mode,
        depth_multiplier=depth_multiplier,
        dilation_rate=dilation,
        use_bias=use_bias,
        name=name,
    )(x)


def batch_norm(x, name=None, epsilon=BN_EPSILON, momentum=BN_MOMENTUM, gamma_zero=False):
    """BatchNorm with the reference's epsilon and momentum (not Keras' 1e-3 / 0.99)."""
    return layers.BatchNormalization(
        epsilon=epsilon,
        momentum=momentum,
        gamma_initializer="zeros" if gamma_zero else "ones",
        name=name,
    )(x)


def activation(x, kind, name=None):
    """Applies an activation by name: relu, relu6, silu/swish, gelu, tanh, sigmoid, leaky_relu,
    hard_swish, hard_sigmoid, or None (identity)."""
    if kind is None:
        return x
    if kind == "relu6":
        return layers.ReLU(max_value=6.0, name=name)(x)
    if kind == "leaky_relu":
        return layers.LeakyReLU(negative_slope=0.01, name=name)(x)
    # Keras' hard_sigmoid is PyTorch's relu6(x + 3) / 6 and its hard_silu is F.hardswish.
    kind = {"swish": "silu", "hard_swish": "hard_silu"}.get(kind, kind)
    return layers.Activation(kind, name=name)(x)


def conv_bn_act(
    x,
    filters,
    kernel_size,
    strides=1,
    padding=None,
    groups=1,
    dilation=1,
    act="relu",
    conv_name=None,
    bn_name=None,
    act_name=None,
    bn_epsilon=BN_EPSILON,
    bn_momentum=BN_MOMENTUM,
    gamma_zero=False,
    depthwise=False,
    depth_multiplier=1,
):
    """Conv (no bias) -> BatchNorm -> activation, the unit most of the zoo is made of.

    `depthwise=True` makes a depthwise conv (`filters` is then ignored: `depth_multiplier` filters per input
    channel);
    `act=None` leaves the BN output linear (a projection). `bn_momentum` is Keras' (PyTorch's 0.1 is 0.9;
    torchvision's MobileNetV3 trains with PyTorch 0.01, Keras 0.99).

    Layer names are given explicitly because each reference names them differently (torchvision's
    ResNet: `layer1_0_conv1` / `layer1_0_bn1`; torchvision's `Conv2dNormActivation`: `features_0_0` /
    `features_0_1`).
    """
    if depthwise:
        x = depthwise_conv2d(
            x, kernel_size, strides, padding, depth_multiplier=depth_multiplier, dilation=dilation, name=conv_name
        )
    else:
        x = conv2d(x, filters, kernel_size, strides, padding, groups, dilation, use_bias=False, name=conv_name)
    x = batch_norm(x, name=bn_name, epsilon=bn_epsilon, momentum=bn_momentum, gamma_zero=gamma_zero)
    return activation(x, act, name=act_name or (f"{bn_name}_act" if bn_name else None))


def sequential_conv_bn_act(x, filters, kernel_size, prefix, **kwargs):
    """`conv_bn_act` named as an `nn.Sequential(conv, BN, act)` (torchvision's `Conv2dNormActivation`):
    layers `{prefix}_0`, `{prefix}_1`, `{prefix}_2`. Keyword arguments go to `conv_bn_act`."""
    return conv_bn_act(
        x, filters, kernel_size, conv_name=f"{prefix}_0", bn_name=f"{prefix}_1", act_name=f"{prefix}_2", **kwargs
    )

