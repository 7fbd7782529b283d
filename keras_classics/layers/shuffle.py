"""Channel shuffle (ShuffleNet)."""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_classics")
class ChannelShuffle(keras.layers.Layer):
    """Interleaves the channels of `groups` groups so the next grouped convolution sees every group.

    Channels `[g0c0, g0c1, ..., g1c0, g1c1, ...]` become `[g0c0, g1c0, ..., g0c1, g1c1, ...]`: a reshape to
    `(B, H, W, groups, C // groups)`, a transpose of the last two axes and a reshape back, the same as
    torchvision's `channel_shuffle` (which does it in NCHW) and PyTorch's `nn.ChannelShuffle`. It converts
    to TFLite as RESHAPE, TRANSPOSE, RESHAPE.

    Args:
        groups: number of channel groups; must divide the number of input channels.

    Example:
        >>> import numpy as np
        >>> x = np.arange(6, dtype="float32").reshape(1, 1, 1, 6)
        >>> ChannelShuffle(groups=2)(x).numpy().ravel().tolist()
        [0.0, 3.0, 1.0, 4.0, 2.0, 5.0]

    Reference:
        Zhang, Zhou, Lin and Sun, "ShuffleNet: An Extremely Efficient Convolutional Neural Network for
        Mobile Devices", CVPR 2018.
    """

    def __init__(self, groups, **kwargs):
        super().__init__(**kwargs)
        if int(groups) != groups or groups < 1:
            raise ValueError(f"groups must be a positive integer; got {groups!r}")
        self.groups = int(groups)

    def build(self, input_shape):
        if len(input_shape) != 4:
            raise ValueError(
                f"ChannelShuffle expects a 4-D (batch, height, width, channels) input; got shape {tuple(input_shape)}"
            )
        channels = input_shape[-1]
        if channels is None or channels % self.groups != 0:
            raise ValueError(
                f"ChannelShuffle needs the channels divisible by groups; got channels={channels}, groups={self.groups}"
            )

    def call(self, inputs):
        channels = inputs.shape[-1]
        shape = ops.shape(inputs)
        height = inputs.shape[1] if inputs.shape[1] is not None else shape[1]
        width = inputs.shape[2] if inputs.shape[2] is not None else shape[2]
        x = ops.reshape(inputs, (-1, height, width, self.groups, channels // self.groups))
        x = ops.transpose(x, (0, 1, 2, 4, 3))
        return ops.reshape(x, (-1, height, width, channels))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "groups": self.groups}
