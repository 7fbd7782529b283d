"""EffNet (Freeman, Roese-Koerner & Kummert 2018, "EffNet: An Efficient Structure for Convolutional Neural
Networks", ICIP; arXiv:1801.06434).

The EffNet block (the paper's Fig. 2): a 1x1 pointwise conv to half the block's output channels
(bottleneck factor 2), a 1x3 depthwise conv, a 1x2 max pooling along the same axis, a 3x1 depthwise conv,
and a 2x1 conv with stride 2x1 to the output channels, which replaces the last pointwise conv and does the
other axis' downsampling (each block halves height and width). Every conv is followed by LeakyReLU, then
BatchNorm; no biases, no residuals, no group convolutions, and the block replaces the first layer too.
The CIFAR-10 network of the paper's Table 1: three blocks (32, 64), (64, 128), (128, 256) on 32x32x3
images, then a fully connected layer to the 10 classes.

No code reference exists: layer names are `stage{i}_block{j}_*` and `head_fc`. The paper gives neither
LeakyReLU's slope nor BatchNorm's epsilon: both are Keras' defaults (0.3 and 1e-3; BatchNorm momentum is
the package's 0.9). The larger epsilon matters here: the BatchNorms before the depthwise path feed only
per-channel, positively homogeneous ops into the next BatchNorm, so their scale is redundant and, with
eps 1e-5, gets gradients near 1e-6 at initialization. Only the CIFAR-10 configuration is registered;
SVHN's 32x32x3, 10-class digits fit it as is.
"""

import dataclasses

from keras import layers

from keras_classics.blocks.conv import batch_norm, conv2d, depthwise_conv2d
from keras_classics.models.builder import assemble
from keras_classics.models.variant_table import VariantRow, register_family

# The paper's Table 1 (EffNet column): per stage, its blocks as (bottleneck channels, output channels).
_STAGES = (((32, 64),), ((64, 128),), ((128, 256),))
_NEGATIVE_SLOPE = 0.3
_BN_EPSILON = 1e-3


def _post(x, prefix):
    """LeakyReLU then BatchNorm, the paper's order."""
    x = layers.LeakyReLU(negative_slope=_NEGATIVE_SLOPE, name=f"{prefix}_act")(x)
    return batch_norm(x, name=f"{prefix}_bn", epsilon=_BN_EPSILON)


def _effnet_block(x, bottleneck, filters, prefix):
    x = _post(conv2d(x, bottleneck, 1, name=f"{prefix}_conv1"), f"{prefix}_conv1")
    x = _post(depthwise_conv2d(x, (1, 3), name=f"{prefix}_dwconv1x3"), f"{prefix}_dwconv1x3")
    # Separable pooling: only the axis the 1x3 conv just filtered.
    x = layers.MaxPooling2D((1, 2), name=f"{prefix}_pool1x2")(x)
    x = _post(depthwise_conv2d(x, (3, 1), name=f"{prefix}_dwconv3x1"), f"{prefix}_dwconv3x1")
    # The strided 2x1 conv downsamples the other axis while mixing channels.
    return _post(conv2d(x, filters, (2, 1), strides=(2, 1), name=f"{prefix}_conv2x1"), f"{prefix}_conv2x1")


def _features(x, stages):
    for i, stage in enumerate(stages, start=1):
        for j, (bottleneck, filters) in enumerate(stage, start=1):
            x = _effnet_block(x, bottleneck, filters, f"stage{i}_block{j}")
    return x


def _head(x, classes):
    x = layers.Flatten(name="head_flatten")(x)
    return layers.Dense(classes, name="head_fc")(x)


@dataclasses.dataclass(frozen=True)
class EffNetRow(VariantRow):
    blocks: tuple  # per stage, its blocks as (bottleneck channels, output channels), as _STAGES


VARIANTS = (
    EffNetRow(
        _STAGES,
        name="effnet",
        reference="paper:Freeman et al. 2018 Table 1 and Fig. 2",
        params=151146,
        params_source=(
            "our count of the paper's Table 1 CIFAR-10 EffNet: blocks (in, bottleneck, out) = (3, 32, 64), "
            "(64, 64, 128), (128, 128, 256), each in*b + 3b + 3b + 2*b*out conv weights + 2*(3b + out) BN, "
            "= 4,704 + 21,504 + 83,968; then FC 4*4*256*10 + 10 = 40,970"
        ),
        doc=(
            "EffNet (Freeman et al. 2018), the CIFAR-10 network of Table 1: three EffNet blocks (spatially "
            "separable 1x3 / 3x1 depthwise convs with 1x2 pooling between, bottleneck factor 2, a strided 2x1 "
            "conv, LeakyReLU and BatchNorm), then a fully connected classifier."
        ),
    ),
)


def _build(row: EffNetRow, spec, args):
    # The flatten head needs a known size; the headless network takes any size >= min_size.
    return assemble(spec, args, lambda x: _features(x, row.blocks), _head, fixed_size=args.include_top)


register_family(
    VARIANTS,
    _build,
    family="effnet",
    head_modules=("head_fc",),
    paper="Freeman, Roese-Koerner & Kummert 2018, EffNet: An Efficient Structure for Convolutional Neural Networks",
    default_size=32,
    # Three blocks, each flooring a 1x2 pool and a 2x1 stride-2 conv: height and width must reach 1.
    min_size=8,
    classes=10,
    mean=(0.4914, 0.4822, 0.4465),
    std=(0.2470, 0.2435, 0.2616),
    stages=("stage1_block1_conv2x1_bn", "stage2_block1_conv2x1_bn", "stage3_block1_conv2x1_bn"),
)
