"""Channel and spatial attention: squeeze-and-excitation, ECA, CBAM, and ResNeSt split attention.

Sublayer attribute names (`fc1`, `fc2`, `conv`, `bn0`, ...) follow the PyTorch reference modules, so the
weight importer maps `<module>.fc1.weight` to `<layer>/fc1/kernel` mechanically. Global average pooling
sums in float32 under a mixed precision policy.
"""

import math

import keras
from keras import ops

from keras_classics.layers.activations import hard_sigmoid, hard_swish
from keras_classics.layers.conv import GroupConv2D, TorchPadding
from keras_classics.torch_compat import BN_EPSILON, BN_MOMENTUM, make_divisible

_ACTIVATIONS = {
    "relu": ops.relu,
    "silu": ops.silu,
    "swish": ops.silu,
    "sigmoid": ops.sigmoid,
    "hard_sigmoid": hard_sigmoid,
    "hard_swish": hard_swish,
}


def _spatial_mean(x):
    return ops.cast(ops.mean(ops.cast(x, "float32"), axis=(1, 2), keepdims=True), x.dtype)


def _check_4d(layer, input_shape):
    if len(input_shape) != 4 or input_shape[-1] is None:
        raise ValueError(
            f"{type(layer).__name__} expects a 4-D (batch, height, width, channels) input with known channels; "
            f"got shape {tuple(input_shape)}"
        )
    return input_shape[-1]


def _check_positive_int(name, value):
    if int(value) != value or value < 1:
        raise ValueError(f"{name} must be a positive integer; got {value!r}")
    return int(value)


@keras.saving.register_keras_serializable(package="keras_classics")
class SqueezeExcite(keras.layers.Layer):
    """Squeeze-and-excitation: rescales each channel by a gate computed from the globally pooled input.

    Global average pool -> 1x1 conv `fc1` -> `activation` -> 1x1 conv `fc2` -> `gate` -> multiply the input.
    This matches torchvision's `SqueezeExcitation`, timm's `SEModule` and EfficientNet/MobileNetV3's SE
    (1x1 convolutions with bias on a 1x1 map).

    Args:
        squeeze_channels: width of the bottleneck; overrides `reduction` when given.
        reduction: otherwise the bottleneck is `channels // reduction` (with `divisor=1`), or
            `make_divisible(channels / reduction, divisor)` (torchvision's rounding) with `divisor > 1`.
        activation: after `fc1`; one of "relu", "silu", "swish", "sigmoid", "hard_sigmoid", "hard_swish".
        gate: after `fc2`; same choices. MobileNetV3 and GhostNet use "hard_sigmoid" (`relu6(x + 3) / 6`).
        divisor: see `reduction`.
        use_bias: whether `fc1` and `fc2` have biases.

    Example:
        >>> import numpy as np
        >>> layer = SqueezeExcite(reduction=4)
        >>> tuple(layer(np.ones((2, 5, 5, 16), "float32")).shape)
        (2, 5, 5, 16)
        >>> layer.fc1.filters
        4

    Reference:
        Hu, Shen and Sun, "Squeeze-and-Excitation Networks", CVPR 2018.
    """

    def __init__(
        self,
        squeeze_channels=None,
        reduction=16,
        activation="relu",
        gate="sigmoid",
        divisor=1,
        use_bias=True,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if squeeze_channels is not None:
            squeeze_channels = _check_positive_int("squeeze_channels", squeeze_channels)
        if reduction <= 0:
            raise ValueError(f"reduction must be positive; got {reduction!r}")
        for arg, value in (("activation", activation), ("gate", gate)):
            if value not in _ACTIVATIONS:
                raise ValueError(f"{arg} must be one of {', '.join(_ACTIVATIONS)}; got {value!r}")
        self.squeeze_channels = squeeze_channels
        self.reduction = reduction
        self.activation = activation
        self.gate = gate
        self.divisor = _check_positive_int("divisor", divisor)
        self.use_bias = bool(use_bias)

    def build(self, input_shape):
        channels = _check_4d(self, input_shape)
        squeeze = self.squeeze_channels
        if squeeze is None:
            if self.divisor == 1:
                squeeze = max(1, int(channels // self.reduction))
            else:
                squeeze = make_divisible(channels / self.reduction, self.divisor)
        self.fc1 = keras.layers.Conv2D(squeeze, 1, use_bias=self.use_bias, name="fc1", dtype=self.dtype_policy)
        self.fc2 = keras.layers.Conv2D(channels, 1, use_bias=self.use_bias, name="fc2", dtype=self.dtype_policy)
        self.fc1.build((None, 1, 1, channels))
        self.fc2.build((None, 1, 1, squeeze))

    def call(self, inputs):
        x = ops.cast(inputs, self.compute_dtype)
        scale = _ACTIVATIONS[self.activation](self.fc1(_spatial_mean(x)))
        scale = _ACTIVATIONS[self.gate](self.fc2(scale))
        return x * scale

    def compute_output_shape(self, input_shape):
        return input_shape

    def count_macs(self, input_shape):
        """Multiply-adds for one image (`analysis.layer_macs`): fc1 and fc2 on the pooled 1x1 map."""
        return sum(math.prod(fc.kernel.shape) for fc in (self.fc1, self.fc2))

    def get_config(self):
        return {
            **super().get_config(),
            "squeeze_channels": self.squeeze_channels,
            "reduction": self.reduction,
            "activation": self.activation,
            "gate": self.gate,
            "divisor": self.divisor,
            "use_bias": self.use_bias,
        }


@keras.saving.register_keras_serializable(package="keras_classics")
class EfficientChannelAttention(keras.layers.Layer):
    """ECA: a channel gate from a 1-D convolution across the pooled channels, with no bottleneck.

    Global average pool -> 1-D conv `conv` (one filter, no bias) sliding over the channel axis with zero
    padding `(k - 1) // 2` each side -> sigmoid -> multiply the input. The 1-D conv runs as a `Conv1D` on a
    `(batch, channels, 1)` tensor, which converts to TFLite as a plain CONV_2D.

    Without `kernel_size`, k adapts to the channel count C: `t = int(abs((log2(C) + b) / gamma))`,
    `k = t if t is odd else t + 1` (5 for 256, 512 and 1024 channels; 7 for 2048), as in the official code.
    timm's `EcaModule` additionally clamps k to at least 3; that only differs below 32 channels.

    Args:
        kernel_size: odd width of the 1-D convolution, or None for the adaptive size.
        gamma: divisor of the adaptive rule.
        b: offset of the adaptive rule.

    Example:
        >>> import numpy as np
        >>> layer = EfficientChannelAttention()
        >>> tuple(layer(np.ones((1, 2, 2, 256), "float32")).shape)
        (1, 2, 2, 256)
        >>> layer.conv.kernel_size
        (5,)

    Reference:
        Wang, Wu, Zhu, Li, Zuo and Hu, "ECA-Net: Efficient Channel Attention for Deep Convolutional Neural
        Networks", CVPR 2020.
    """

    def __init__(self, kernel_size=None, gamma=2, b=1, **kwargs):
        super().__init__(**kwargs)
        if kernel_size is not None:
            kernel_size = _check_positive_int("kernel_size", kernel_size)
            if kernel_size % 2 == 0:
                raise ValueError(f"kernel_size must be odd; got {kernel_size}")
        if gamma <= 0:
            raise ValueError(f"gamma must be positive; got {gamma!r}")
        self.kernel_size = kernel_size
        self.gamma = gamma
        self.b = b

    @staticmethod
    def adaptive_kernel_size(channels, gamma=2, b=1):
        """The ECA-Net kernel size for `channels` channels."""
        t = int(abs((math.log2(channels) + b) / gamma))
        return t if t % 2 else t + 1

    def build(self, input_shape):
        channels = _check_4d(self, input_shape)
        k = self.kernel_size or self.adaptive_kernel_size(channels, self.gamma, self.b)
        self.conv = keras.layers.Conv1D(1, k, padding="same", use_bias=False, name="conv", dtype=self.dtype_policy)
        self.conv.build((None, channels, 1))

    def call(self, inputs):
        x = ops.cast(inputs, self.compute_dtype)
        channels = x.shape[-1]
        y = ops.reshape(_spatial_mean(x), (-1, channels, 1))
        y = ops.sigmoid(self.conv(y))
        return x * ops.reshape(y, (-1, 1, 1, channels))

    def compute_output_shape(self, input_shape):
        return input_shape

    def count_macs(self, input_shape):
        """Multiply-adds for one image: the k-wide 1-D conv at each of the C channel positions."""
        return input_shape[-1] * self.conv.kernel.shape[0]

    def get_config(self):
        return {**super().get_config(), "kernel_size": self.kernel_size, "gamma": self.gamma, "b": self.b}


@keras.saving.register_keras_serializable(package="keras_classics")
class CBAM(keras.layers.Layer):
    """Convolutional block attention module: channel attention, then spatial attention.

    Channel attention: the average- and max-pooled descriptors pass through one shared MLP (1x1 convs with
    bias `fc1` -> ReLU -> `fc2`, bottleneck `max(1, channels // reduction)`), are summed, and a sigmoid of
    the sum scales the channels. Spatial attention: the per-pixel channel mean and channel max, concatenated
    in that order (as timm's `CbamModule`; the official code concatenates max first, so swap the two input
    channels of `spatial_conv` when importing its weights), go through a `spatial_kernel_size` conv without
    bias `spatial_conv` and BatchNorm `spatial_bn` (eps 1e-5, momentum 0.9), and a sigmoid scales the pixels.

    Args:
        reduction: bottleneck ratio of the channel MLP.
        spatial_kernel_size: odd kernel size of the spatial convolution.

    Example:
        >>> import numpy as np
        >>> tuple(CBAM(reduction=4)(np.ones((1, 6, 6, 8), "float32")).shape)
        (1, 6, 6, 8)

    Reference:
        Woo, Park, Lee and Kweon, "CBAM: Convolutional Block Attention Module", ECCV 2018.
    """

    def __init__(self, reduction=16, spatial_kernel_size=7, **kwargs):
        super().__init__(**kwargs)
        self.reduction = _check_positive_int("reduction", reduction)
        self.spatial_kernel_size = _check_positive_int("spatial_kernel_size", spatial_kernel_size)
        if self.spatial_kernel_size % 2 == 0:
            raise ValueError(f"spatial_kernel_size must be odd; got {spatial_kernel_size}")

    def build(self, input_shape):
        channels = _check_4d(self, input_shape)
        hidden = max(1, channels // self.reduction)
        policy = self.dtype_policy
        self.fc1 = keras.layers.Conv2D(hidden, 1, name="fc1", dtype=policy)
        self.fc2 = keras.layers.Conv2D(channels, 1, name="fc2", dtype=policy)
        self.spatial_conv = keras.layers.Conv2D(
            1, self.spatial_kernel_size, padding="same", use_bias=False, name="spatial_conv", dtype=policy
        )
        self.spatial_bn = keras.layers.BatchNormalization(
            epsilon=BN_EPSILON, momentum=BN_MOMENTUM, name="spatial_bn", dtype=policy
        )
        self.fc1.build((None, 1, 1, channels))
        self.fc2.build((None, 1, 1, hidden))
        self.spatial_conv.build((None, None, None, 2))
        self.spatial_bn.build((None, None, None, 1))

    def call(self, inputs, training=None):
        x = ops.cast(inputs, self.compute_dtype)
        avg = self.fc2(ops.relu(self.fc1(_spatial_mean(x))))
        mx = self.fc2(ops.relu(self.fc1(ops.max(x, axis=(1, 2), keepdims=True))))
        x = x * ops.sigmoid(avg + mx)
        mean_c = ops.cast(ops.mean(ops.cast(x, "float32"), axis=-1, keepdims=True), x.dtype)
        pooled = ops.concatenate([mean_c, ops.max(x, axis=-1, keepdims=True)], axis=-1)
        return x * ops.sigmoid(self.spatial_bn(self.spatial_conv(pooled), training=training))

    def compute_output_shape(self, input_shape):
        return input_shape

    def count_macs(self, input_shape):
        """Multiply-adds for one image: the shared MLP twice (average- and max-pooled), the spatial conv at
        every pixel."""
        height, width, _ = input_shape
        mlp = sum(math.prod(fc.kernel.shape) for fc in (self.fc1, self.fc2))
        return 2 * mlp + height * width * math.prod(self.spatial_conv.kernel.shape)

    def get_config(self):
        return {**super().get_config(), "reduction": self.reduction, "spatial_kernel_size": self.spatial_kernel_size}


@keras.saving.register_keras_serializable(package="keras_classics")
class SplitAttention(keras.layers.Layer):
    """ResNeSt split attention: a grouped conv split into `radix` parts, recombined by a radix softmax.

    Matches timm's `SplitAttn` (with BatchNorm) number for number: grouped conv `conv` to `filters * radix`
    channels in `groups * radix` groups, no bias -> BatchNorm `bn0` -> ReLU -> the `radix` parts summed ->
    global average pool -> grouped 1x1 conv `fc1` (with bias) -> BatchNorm `bn1` -> ReLU -> grouped 1x1
    conv `fc2` -> softmax over the radix for each of the `groups` cardinal groups (a sigmoid when
    `radix == 1`) -> the parts summed with those weights. The conv pads `kernel_size // 2` on every side
    as PyTorch does; where TF's "same" would pad differently (stride > 1 or an even kernel) the input is
    zero-padded explicitly and the conv is "valid". Grouped convs are `GroupConv2D` (no XLA).

    The attention width is `make_divisible(in_channels * radix * rd_ratio, rd_divisor, min_rd_channels)`.
    BatchNorms use eps 1e-5 and momentum 0.9 (PyTorch's defaults).

    Args:
        filters: output channels.
        kernel_size: size of the split convolution.
        strides: its stride.
        groups: cardinality; must divide `filters` and, times `radix`, the input channels.
        radix: number of splits per cardinal group.
        rd_ratio: attention width relative to `in_channels * radix`.
        rd_divisor: the attention width is a multiple of this.
        min_rd_channels: and at least this.

    Example:
        >>> import numpy as np
        >>> layer = SplitAttention(16, strides=2)
        >>> tuple(layer(np.ones((1, 8, 8, 16), "float32")).shape)
        (1, 4, 4, 16)
        >>> layer.fc1.filters
        32

    Reference:
        Zhang et al., "ResNeSt: Split-Attention Networks", CVPR Workshops 2022 (arXiv:2004.08955).
    """

    def __init__(
        self,
        filters,
        kernel_size=3,
        strides=1,
        groups=1,
        radix=2,
        rd_ratio=0.25,
        rd_divisor=8,
        min_rd_channels=32,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.filters = _check_positive_int("filters", filters)
        self.kernel_size = _check_positive_int("kernel_size", kernel_size)
        self.strides = _check_positive_int("strides", strides)
        self.groups = _check_positive_int("groups", groups)
        self.radix = _check_positive_int("radix", radix)
        if rd_ratio <= 0:
            raise ValueError(f"rd_ratio must be positive; got {rd_ratio!r}")
        self.rd_ratio = rd_ratio
        self.rd_divisor = _check_positive_int("rd_divisor", rd_divisor)
        self.min_rd_channels = _check_positive_int("min_rd_channels", min_rd_channels)
        if self.filters % self.groups:
            raise ValueError(f"filters must be divisible by groups; got filters={filters}, groups={groups}")
        self._padding = TorchPadding(self.kernel_size, self.strides)

    def build(self, input_shape):
        in_channels = _check_4d(self, input_shape)
        if in_channels % (self.groups * self.radix):
            raise ValueError(
                f"SplitAttention needs input channels divisible by groups * radix; got channels={in_channels}, "
                f"groups={self.groups}, radix={self.radix}"
            )
        mid = self.filters * self.radix
        attn = make_divisible(in_channels * self.radix * self.rd_ratio, self.rd_divisor, self.min_rd_channels)
        if attn % self.groups:
            raise ValueError(f"the attention width {attn} must be divisible by groups={self.groups}")
        policy = self.dtype_policy
        bn = dict(epsilon=BN_EPSILON, momentum=BN_MOMENTUM, dtype=policy)
        self.conv = GroupConv2D(
            mid,
            self.kernel_size,
            strides=self.strides,
            padding=self._padding.conv_mode,
            groups=self.groups * self.radix,
            use_bias=False,
            name="conv",
            dtype=policy,
        )
        self.bn0 = keras.layers.BatchNormalization(name="bn0", **bn)
        self.fc1 = GroupConv2D(attn, 1, groups=self.groups, name="fc1", dtype=policy)
        self.bn1 = keras.layers.BatchNormalization(name="bn1", **bn)
        self.fc2 = GroupConv2D(mid, 1, groups=self.groups, name="fc2", dtype=policy)
        self.conv.build((None, None, None, in_channels))
        self.bn0.build((None, None, None, mid))
        self.fc1.build((None, 1, 1, self.filters))
        self.bn1.build((None, 1, 1, attn))
        self.fc2.build((None, 1, 1, attn))

    def call(self, inputs, training=None):
        x = ops.cast(inputs, self.compute_dtype)
        x = self._padding(x)
        x = ops.relu(self.bn0(self.conv(x), training=training))
        if self.radix == 1:
            attn = self.fc2(ops.relu(self.bn1(self.fc1(_spatial_mean(x)), training=training)))
            return x * ops.sigmoid(attn)
        shape = ops.shape(x)
        height = x.shape[1] if x.shape[1] is not None else shape[1]
        width = x.shape[2] if x.shape[2] is not None else shape[2]
        parts = ops.reshape(x, (-1, height, width, self.radix, self.filters))
        attn = self.fc2(ops.relu(self.bn1(self.fc1(_spatial_mean(ops.sum(parts, axis=3))), training=training)))
        # fc2's channels are ordered (groups, radix, filters // groups); softmax over the radix.
        attn = ops.reshape(ops.cast(attn, "float32"), (-1, self.groups, self.radix, self.filters // self.groups))
        attn = ops.transpose(ops.softmax(attn, axis=2), (0, 2, 1, 3))
        attn = ops.cast(ops.reshape(attn, (-1, 1, 1, self.radix, self.filters)), x.dtype)
        return ops.sum(parts * attn, axis=3)

    def compute_output_shape(self, input_shape):
        return self._padding.output_shape(input_shape, self.filters)

    def count_macs(self, input_shape):
        """Multiply-adds for one image (`analysis.layer_macs`): the grouped conv, then fc1 and fc2."""
        _, height, width, _ = self.compute_output_shape((None, *input_shape))
        # A kernel's volume (kh, kw, in / groups, out) is the multiply-adds per output position.
        return height * width * math.prod(self.conv.kernel.shape) + sum(
            math.prod(fc.kernel.shape) for fc in (self.fc1, self.fc2)
        )

    def get_config(self):
        return {
            **super().get_config(),
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "groups": self.groups,
            "radix": self.radix,
            "rd_ratio": self.rd_ratio,
            "rd_divisor": self.rd_divisor,
            "min_rd_channels": self.min_rd_channels,
        }
