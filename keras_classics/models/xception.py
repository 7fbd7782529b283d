"""Xception (Chollet 2017, "Xception: Deep Learning with Depthwise Separable Convolutions").

Follows Figure 5 of the paper: an entry flow (two 3x3 convolutions, then three residual blocks of
separable convolutions ending in a 3x3/2 max-pool, with strided 1x1 convolution shortcuts), a middle flow
of eight identical 728-wide residual blocks of three separable convolutions, and an exit flow (one more
downsampling block, then 1536- and 2048-wide separable convolutions), global average pooling and a dense
layer. A separable convolution is a depthwise 3x3 followed by a pointwise 1x1 with no activation between
them (Section 4); ReLUs come before each separable convolution inside the blocks.

The reference is timm's `legacy_xception` (the Keras weights ported by Cadene). Layer names mirror its
module paths: `block1_skip`, `block1_skipbn`, `block2_rep_1_conv1` (depthwise) / `block2_rep_1_pointwise`,
`block2_rep_2` (BatchNorm), ... `conv3_conv1`, `bn3`, `fc`. Depthwise and pointwise stay separate layers
so the reference's weights map one to one.
"""

import dataclasses
import functools

from keras import layers

from keras_classics.blocks.conv import activation, batch_norm, conv2d, depthwise_conv2d
from keras_classics.blocks.pooling import max_pool2d
from keras_classics.models.builder import assemble, default_head
from keras_classics.models.variant_table import VariantRow, register_family
from keras_classics.torch_compat import INCEPTION_MEAN, INCEPTION_STD

# Figure 5, one row per residual block: (output filters, separable convs, stride, start with ReLU,
# grow first). Entry flow: blocks 1-3; middle flow: blocks 4-11; exit flow: block 12 (which keeps the
# input width until its last separable convolution, 728 -> 728 -> 1024).
BLOCKS = (
    (128, 2, 2, False, True),
    (256, 2, 2, True, True),
    (728, 2, 2, True, True),
    *[(728, 3, 1, True, True)] * 8,
    (1024, 2, 2, True, False),
)
EXIT_FILTERS = (1536, 2048)  # the exit flow's last two separable convolutions, each with BN and ReLU


def separable_conv(x, filters, name):
    """timm's SeparableConv2d: depthwise 3x3 (`<name>_conv1`), then pointwise 1x1, neither with bias."""
    x = depthwise_conv2d(x, 3, name=f"{name}_conv1")
    return conv2d(x, filters, 1, name=f"{name}_pointwise")


def xception_block(x, filters, reps, strides, start_with_relu, grow_first, name):
    """timm's Block: `reps` x (ReLU, separable conv, BN) in `<name>_rep`, an optional max-pool, plus the
    identity or 1x1 conv + BN shortcut. Indices follow timm's nn.Sequential (the first ReLU is dropped
    when `start_with_relu` is False, shifting every index down by one)."""
    in_filters = x.shape[-1]
    y = x
    index = 0 if start_with_relu else -1
    for i in range(reps):
        if grow_first:
            out = filters
        else:
            out = in_filters if i < reps - 1 else filters
        if index >= 0:
            y = activation(y, "relu", name=f"{name}_rep_{index}")
        y = separable_conv(y, out, name=f"{name}_rep_{index + 1}")
        y = batch_norm(y, name=f"{name}_rep_{index + 2}")
        index += 3
    if strides != 1:
        # torch MaxPool2d(3, 2, padding=1) on BatchNorm outputs (possibly negative): the exact -inf form.
        y = max_pool2d(y, 3, 2, 1, name=f"{name}_rep_{index}")
    if filters != in_filters or strides != 1:
        shortcut = conv2d(x, filters, 1, strides=strides, name=f"{name}_skip")
        shortcut = batch_norm(shortcut, name=f"{name}_skipbn")
    else:
        shortcut = x
    return layers.Add(name=f"{name}_add")([y, shortcut])


def _features(x, row):
    x = conv2d(x, 32, 3, strides=2, padding=0, name="conv1")
    x = activation(batch_norm(x, name="bn1"), "relu", name="act1")
    x = conv2d(x, 64, 3, padding=0, name="conv2")
    x = activation(batch_norm(x, name="bn2"), "relu", name="act2")
    for i, block in enumerate(row.blocks, start=1):
        x = xception_block(x, *block, name=f"block{i}")
    for i, filters in enumerate(row.exit_filters, start=3):
        x = separable_conv(x, filters, name=f"conv{i}")
        x = activation(batch_norm(x, name=f"bn{i}"), "relu", name=f"act{i}")
    return x


def _build(row, spec, args):
    head = functools.partial(default_head, name="fc", dropout=args.dropout_rate)
    return assemble(spec, args, functools.partial(_features, row=row), head)


@dataclasses.dataclass(frozen=True)
class XceptionRow(VariantRow):
    blocks: tuple  # Figure 5, one row per residual block (BLOCKS)
    exit_filters: tuple  # the exit flow's last two separable convolutions (EXIT_FILTERS)


# fmt: off
VARIANTS = (
    XceptionRow(BLOCKS, EXIT_FILTERS, name="xception",
                paper="Chollet 2017, Xception: Deep Learning with Depthwise Separable Convolutions (CVPR)",
                reference="timm:legacy_xception", params=22855952,
                params_source="shared/reference/architectures.csv (timm 1.0.31 legacy_xception)", mmacs=8357.4,
                doc="Xception (Chollet 2017, Figure 5): 36 convolutions in 14 modules (12 with residual "
                "connections), entry / middle / exit flows of depthwise separable convolutions, at 299x299. "
                "`dropout_rate` is the dropout before the classifier (timm's `drop_rate`)."),
)
# fmt: on

register_family(
    VARIANTS,
    _build,
    options={"dropout_rate": 0.0},
    family="xception",
    head_modules=("fc",),
    default_size=299,
    min_size=7,  # conv1 (3x3/2, no padding) -> 3, conv2 (3x3, no padding) -> 1; the stride-2 blocks keep 1x1
    mean=INCEPTION_MEAN,
    std=INCEPTION_STD,
    # timm's feature taps: the stem, the ReLU each of blocks 2, 3 and 12 starts with, the exit flow.
    stages=("act2", "block2_rep_0", "block3_rep_0", "block12_rep_0", "act4"),
)
