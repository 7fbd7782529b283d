"""The Ghost module (GhostNet): half the features from a conv, the rest from cheap depthwise convs."""

import math

import keras
from keras import ops

from keras_classics.layers.conv import TorchPadding


@keras.saving.register_keras_serializable(package="keras_classics")
class GhostModule(keras.layers.Layer):
    """GhostNet's replacement for a convolution: a thin primary conv plus cheap depthwise "ghost" features.

    `init = ceil(filters / ratio)` channels come from the primary conv `primary_conv` (`kernel_size`,
    `strides`, no bias) -> BatchNorm `primary_bn` -> ReLU (if `use_act`); each of them feeds `ratio - 1`
    more through the depthwise conv `cheap_conv` (`dw_kernel_size`, depth multiplier `ratio - 1`, no bias)
    -> BatchNorm `cheap_bn` -> ReLU (if `use_act`). The two are concatenated and the first `filters`
    channels kept. This matches timm's `GhostModule` (v1; `use_act=False` is its `act_layer=nn.Identity`),
    including the PyTorch padding `kernel_size // 2` on every side: where TF's "same" would pad differently
    (stride > 1 or an even kernel) the input is zero-padded explicitly and the conv is "valid".
    PyTorch's grouped conv orders the cheap channels as Keras' depth multiplier does (input channel major),
    so imported weights only need the usual transpose. BatchNorms use eps 1e-5 and momentum 0.9.

    Args:
        filters: output channels.
        ratio: the primary conv makes `1 / ratio` of them; at least 2.
        kernel_size: size of the primary conv.
        dw_kernel_size: odd size of the cheap depthwise conv.
        strides: stride of the primary conv.
        use_act: whether ReLU follows each BatchNorm.

    Example:
        >>> import numpy as np
        >>> layer = GhostModule(15, ratio=2)
        >>> tuple(layer(np.ones((1, 4, 4, 8), "float32")).shape)
        (1, 4, 4, 15)
        >>> layer.primary_conv.filters, layer.cheap_conv.depth_multiplier
        (8, 1)

    Reference:
        Han, Wang, Tian, Guo, Xu and Xu, "GhostNet: More Features from Cheap Operations", CVPR 2020.
    """

    def __init__(self, filters, ratio=2, kernel_size=1, dw_kernel_size=3, strides=1, use_act=True, **kwargs):
        super().__init__(**kwargs)
        for arg, value in (("filters", filters), ("kernel_size", kernel_size), ("strides", strides)):
            if int(value) != value or value < 1:
                raise ValueError(f"{arg} must be a positive integer; got {value!r}")
        if int(ratio) != ratio or ratio < 2:
            raise ValueError(f"ratio must be an integer >= 2; got {ratio!r}")
        if int(dw_kernel_size) != dw_kernel_size or dw_kernel_size < 1 or dw_kernel_size % 2 == 0:
            raise ValueError(f"dw_kernel_size must be a positive odd integer; got {dw_kernel_size!r}")
        self.filters = int(filters)
        self.ratio = int(ratio)
        self.kernel_size = int(kernel_size)
        self.dw_kernel_size = int(dw_kernel_size)
        self.strides = int(strides)
        self.use_act = bool(use_act)
        self._padding = TorchPadding(self.kernel_size, self.strides)
        init_channels = math.ceil(self.filters / self.ratio)
        policy = self.dtype_policy
        self.primary_conv = keras.layers.Conv2D(
            init_channels,
            self.kernel_size,
            strides=self.strides,
            padding=self._padding.conv_mode,
            use_bias=False,
            name="primary_conv",
            dtype=policy,
        )
        self.primary_bn = keras.layers.BatchNormalization(epsilon=1e-5, momentum=0.9, name="primary_bn", dtype=policy)
        self.cheap_conv = keras.layers.DepthwiseConv2D(
            self.dw_kernel_size,
            depth_multiplier=self.ratio - 1,
            padding="same",
            use_bias=False,
            name="cheap_conv",
            dtype=policy,
        )
        self.cheap_bn = keras.layers.BatchNormalization(epsilon=1e-5, momentum=0.9, name="cheap_bn", dtype=policy)

    def build(self, input_shape):
        if len(input_shape) != 4 or input_shape[-1] is None:
            raise ValueError(
                f"GhostModule expects a 4-D (batch, height, width, channels) input with known channels; "
                f"got shape {tuple(input_shape)}"
            )
        init_channels = self.primary_conv.filters
        self.primary_conv.build((None, None, None, input_shape[-1]))
        self.primary_bn.build((None, None, None, init_channels))
        self.cheap_conv.build((None, None, None, init_channels))
        self.cheap_bn.build((None, None, None, init_channels * (self.ratio - 1)))

    def call(self, inputs, training=None):
        x = ops.cast(inputs, self.compute_dtype)
        x = self._padding(x)
        x1 = self.primary_bn(self.primary_conv(x), training=training)
        if self.use_act:
            x1 = ops.relu(x1)
        x2 = self.cheap_bn(self.cheap_conv(x1), training=training)
        if self.use_act:
            x2 = ops.relu(x2)
        out = ops.concatenate([x1, x2], axis=-1)
        return out if out.shape[-1] == self.filters else out[..., : self.filters]

    def compute_output_shape(self, input_shape):
        return self._padding.output_shape(input_shape, self.filters)

    def get_config(self):
        return {
            **super().get_config(),
            "filters": self.filters,
            "ratio": self.ratio,
            "kernel_size": self.kernel_size,
            "dw_kernel_size": self.dw_kernel_size,
            "strides": self.strides,
            "use_act": self.use_act,
        }
