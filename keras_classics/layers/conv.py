"""Grouped convolution that runs, saves and converts everywhere.

Keras 3 on TensorFlow runs `Conv2D(groups>1)` through an XLA-compiled function, because TensorFlow's CPU
kernel has no grouped convolution. XLA functions do not convert to TFLite and break some exporters, so
`GroupConv2D` keeps Conv2D's kernel layout (kh, kw, in/groups, out) but computes the groups as separate
convolutions whose outputs are concatenated: plain CONV_2D, SPLIT and CONCATENATION ops that every
runtime has. `groups=1` is an ordinary Conv2D.
"""

import keras
from keras import ops

from keras_classics.torch_compat import padding_plan


@keras.saving.register_keras_serializable(package="keras_classics")
class GroupConv2D(keras.layers.Conv2D):
    """A `keras.layers.Conv2D` whose `groups > 1` path avoids XLA (see the module docstring).

    Same arguments, weights and results as `keras.layers.Conv2D`; only channels_last is supported.
    The grouped convolution is the two-GPU split of AlexNet (Krizhevsky et al. 2012) and the
    cardinality of ResNeXt (Xie et al. 2017).

    Example:
        >>> import numpy as np
        >>> layer = GroupConv2D(8, 3, groups=2, padding="same")
        >>> tuple(layer(np.zeros((1, 5, 5, 4), "float32")).shape)
        (1, 5, 5, 8)
    """

    def __init__(self, filters, kernel_size, groups=1, data_format=None, **kwargs):
        if data_format not in (None, "channels_last"):
            raise ValueError(f"GroupConv2D supports data_format='channels_last' only; got {data_format!r}")
        super().__init__(filters, kernel_size, groups=groups, data_format="channels_last", **kwargs)

    def convolution_op(self, inputs, kernel):
        if self.groups == 1:
            return super().convolution_op(inputs, kernel)
        pieces = zip(ops.split(inputs, self.groups, axis=-1), ops.split(kernel, self.groups, axis=-1))
        return ops.concatenate(
            [
                ops.conv(
                    x,
                    k,
                    strides=self.strides,
                    padding=self.padding,
                    dilation_rate=self.dilation_rate,
                    data_format="channels_last",
                )
                for x, k in pieces
            ],
            axis=-1,
        )


class TorchPadding:
    """PyTorch's symmetric `kernel_size // 2` padding for a composite layer's first square convolution.

    The decision is `torch_compat.padding_plan`'s, the one `blocks.conv.torch_padding` uses; here the pad
    is an `ops.pad` inside the layer's `call` rather than a `ZeroPadding2D` layer of its own.
    """

    def __init__(self, kernel_size, strides):
        self.kernel_size, self.strides = kernel_size, strides
        self.amount = kernel_size // 2
        (pad, _), self.conv_mode = padding_plan(kernel_size, strides, padding=self.amount)
        self.explicit = pad > 0

    def __call__(self, x):
        if not self.explicit:
            return x
        p = self.amount
        return ops.pad(x, ((0, 0), (p, p), (p, p), (0, 0)))

    def output_shape(self, input_shape, channels):
        def size(n):
            return None if n is None else (n + 2 * self.amount - self.kernel_size) // self.strides + 1

        return (input_shape[0], size(input_shape[1]), size(input_shape[2]), channels)
