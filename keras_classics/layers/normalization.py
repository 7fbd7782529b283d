"""Local response normalization (AlexNet)."""

import keras
import tensorflow as tf
from keras import ops


@keras.saving.register_keras_serializable(package="keras_classics")
class LocalResponseNormalization(keras.layers.Layer):
    """Local response normalization across channels, as in AlexNet.

    Each activation is divided by a power of the summed squares of its neighbours along the channel axis:

        b[..., c] = a[..., c] / (bias + alpha * sum(a[..., c'] ** 2 for c' in [c - r, c + r])) ** beta

    with `r = depth_radius` and channels outside `[0, C)` counted as zero. These are exactly the semantics of
    `tf.nn.local_response_normalization`, which this layer calls: LRN is a TFLite builtin
    (`LOCAL_RESPONSE_NORMALIZATION`), so the op converts as one kernel. The defaults are the AlexNet
    constants k=2, n=5 (`depth_radius=2`), alpha=1e-4, beta=0.75. The sum is computed in float32 under a
    mixed precision policy (squares of float16 activations above 256 overflow) and cast back.

    PyTorch and Caffe differ in one constant: `torch.nn.LocalResponseNorm(size, alpha, beta, k)` (and Caffe's
    `LRN` layer) divide `alpha` by `size`, so this layer with `depth_radius=r, alpha=a` equals
    `nn.LocalResponseNorm(size=2 * r + 1, alpha=a * (2 * r + 1), beta=beta, k=bias)`. PyTorch also zero-pads
    the channel axis, the same way as here (an even `size` pads unevenly and has no equivalent here).
    The AlexNet paper's formula does not divide: its alpha=1e-4 is this layer's alpha.

    `groups=2` normalizes each half of the channels on its own, as AlexNet's two GPUs did: each GPU held half
    of a layer's kernel maps and its response normalization saw only those (cuda-convnet's two-GPU layer
    files define `rnorm1a` over conv1a's 48 maps and `rnorm1b` over conv1b's).

    Args:
        depth_radius: half-width `r` of the channel window; the window has `2 * r + 1` channels.
        bias: the additive constant `k`; must be positive.
        alpha: the scale of the sum of squares; must be non-negative.
        beta: the exponent.
        groups: channel groups normalized separately (the window never crosses a group's edge).

    Example:
        >>> import numpy as np
        >>> layer = LocalResponseNormalization(depth_radius=0, bias=1.0, alpha=1.0, beta=1.0)
        >>> float(layer(np.full((1, 1, 1, 3), 2.0, "float32"))[0, 0, 0, 0])  # 2 / (1 + 4)
        0.4000000059604645

    Reference:
        Krizhevsky, Sutskever and Hinton, "ImageNet Classification with Deep Convolutional Neural
        Networks", NeurIPS 2012 (section 3.3).
    """

    def __init__(self, depth_radius=2, bias=2.0, alpha=1e-4, beta=0.75, groups=1, **kwargs):
        super().__init__(**kwargs)
        if int(depth_radius) != depth_radius or depth_radius < 0:
            raise ValueError(f"depth_radius must be a non-negative integer; got {depth_radius!r}")
        if bias <= 0:
            raise ValueError(f"bias must be positive; got {bias!r}")
        if alpha < 0:
            raise ValueError(f"alpha must be non-negative; got {alpha!r}")
        if isinstance(groups, bool) or int(groups) != groups or groups < 1:
            raise ValueError(f"groups must be a positive integer; got {groups!r}")
        self.groups = int(groups)
        self.depth_radius = int(depth_radius)
        self.bias = float(bias)
        self.alpha = float(alpha)
        self.beta = float(beta)

    def build(self, input_shape):
        if len(input_shape) != 4:
            raise ValueError(
                f"LocalResponseNormalization expects a 4-D (batch, height, width, channels) input; "
                f"got shape {tuple(input_shape)}"
            )
        if input_shape[-1] is not None and input_shape[-1] % self.groups:
            raise ValueError(f"groups={self.groups} must divide the {input_shape[-1]} input channels")

    def call(self, inputs):
        x = tf.cast(inputs, "float32")
        pieces = tf.split(x, self.groups, axis=-1) if self.groups > 1 else [x]
        y = [
            tf.nn.local_response_normalization(
                piece, depth_radius=self.depth_radius, bias=self.bias, alpha=self.alpha, beta=self.beta
            )
            for piece in pieces
        ]
        return ops.cast(y[0] if len(y) == 1 else tf.concat(y, axis=-1), self.compute_dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {
            **super().get_config(),
            "depth_radius": self.depth_radius,
            "bias": self.bias,
            "alpha": self.alpha,
            "beta": self.beta,
            "groups": self.groups,
        }
