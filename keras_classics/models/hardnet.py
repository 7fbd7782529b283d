"""HarDNet (Chao, Kao, Ruan, Huang & Lin 2019, "HarDNet: A Low Memory Traffic Network", ICCV).

Harmonic dense blocks: layer `k` takes the outputs of layers `k - 2^n` (for every `2^n` dividing `k`,
layer 0 being the block input), concatenated; its width is `growth * m^n` for the largest such `n`, rounded
to even; the block outputs the concatenation of its odd layers and its last one. Each block is followed by a
1x1 "transition" conv (conv-BN-ReLU6) and, where the paper's Table 1 marks it, a downsampling: 2x2 max
pooling, or a stride-2 3x3 depthwise conv in the depthwise-separable (DS) models, whose layers are a 1x1
conv-BN-ReLU6 followed by a 3x3 depthwise conv-BN.

Variants (paper Table 1 and the authors' code): HarDNet-39DS (m = 1.6, 3.5M parameters), HarDNet-68
(m = 1.7, 17.6M) and HarDNet-85 (m = 1.7, 36.7M). Layer names mirror the authors' PyTorch code
(PingoLH/Pytorch-HarDNet `hardnet.py`): its `base.4.layers.2.conv.weight` is the Keras layer
`base_4_layers_2_conv`, the DS layers' `base.3.layers.0.layer2.dwconv` is `base_3_layers_0_layer2_dwconv`,
and the classifier `base.N.3` is `base_N_3`, so the authors' checkpoints map on by name. BatchNorm eps 1e-5,
momentum 0.1 (PyTorch's defaults), as there.
"""

import dataclasses

from keras import layers

from keras_classics.blocks.conv import conv_bn_act
from keras_classics.blocks.pooling import max_pool2d
from keras_classics.models.builder import assemble
from keras_classics.models.variant_table import VariantRow, register_family


@dataclasses.dataclass(frozen=True)
class HarDNetRow(VariantRow):
    """Paper Table 1 / the authors' code."""

    stem: tuple  # (conv1 channels, conv2 channels)
    grmul: float  # m
    depthwise: bool  # depthwise-separable
    blocks: tuple  # (growth rate k, layers, transition channels, downsample after)
    dropout: float  # before the classifier: the default of the `dropout_rate` option
    last_dropout: float  # before the last transition (HarDNet-85 only)
    paper_params: str  # the paper's Table 1 count, rounded


# params: trainable parameters of our builds, which are the authors' architectures (their code, counted the
# PyTorch way); the paper's Table 1 rounds them (`paper_params`).
VARIANTS = (
    HarDNetRow(
        (24, 48), 1.6, True, ((16, 4, 96, True), (20, 16, 320, True), (64, 8, 640, True), (160, 4, 1024, False)),
        0.05, 0.0, "3.5M", name="hardnet39ds", params=3488228,
    ),
    HarDNetRow(
        (32, 64), 1.7, False,
        ((14, 8, 128, True), (16, 16, 256, False), (20, 16, 320, True), (40, 16, 640, True), (160, 4, 1024, False)),
        0.1, 0.0, "17.6M", name="hardnet68", params=17565348,
    ),
    HarDNetRow(
        (48, 96), 1.7, False,
        (
            (24, 8, 192, True), (24, 16, 256, False), (28, 16, 320, True), (36, 16, 480, False),
            (48, 16, 720, True), (256, 4, 1280, False),
        ),
        0.2, 0.1, "36.7M", name="hardnet85", params=36670212,
    ),
)


def _link(layer, growth, grmul):
    """(output channels, source layers) of layer `layer` (>= 1) of a harmonic dense block."""
    out, sources = growth, []
    for n in range(10):
        if layer % 2**n == 0:
            sources.append(layer - 2**n)
            if n > 0:
                out *= grmul
    return int(int(out + 1) / 2) * 2, sources  # the authors' rounding to even


def _conv_layer(x, filters, kernel, prefix, strides=1):
    """The authors' ConvLayer: conv (no bias, padding k // 2) -> BN -> ReLU6."""
    return conv_bn_act(
        x, filters, kernel, strides, act="relu6",
        conv_name=f"{prefix}_conv", bn_name=f"{prefix}_norm", act_name=f"{prefix}_relu",
    )


def _dw_conv_layer(x, prefix, strides=1):
    """The authors' DWConvLayer: 3x3 depthwise conv -> BN, no activation."""
    return conv_bn_act(
        x, None, 3, strides, act=None, depthwise=True, conv_name=f"{prefix}_dwconv", bn_name=f"{prefix}_norm"
    )


def _hard_block(x, growth, n_layers, grmul, depthwise, prefix):
    outputs = [x]
    for i in range(1, n_layers + 1):
        channels, sources = _link(i, growth, grmul)
        # Inputs in the authors' order: layer i-1 first, then i-2, i-4, ...
        inputs = [outputs[k] for k in sources]
        h = inputs[0] if len(inputs) == 1 else layers.Concatenate(name=f"{prefix}_layers_{i - 1}_cat")(inputs)
        name = f"{prefix}_layers_{i - 1}"
        if depthwise:
            h = _conv_layer(h, channels, 1, f"{name}_layer1")
            h = _dw_conv_layer(h, f"{name}_layer2")
        else:
            h = _conv_layer(h, channels, 3, name)
        outputs.append(h)
    # Block output: the odd layers and the last one (not the block input).
    kept = [t for i, t in enumerate(outputs) if i % 2 == 1 or i == n_layers]
    return layers.Concatenate(name=f"{prefix}_cat")(kept)


def _features(x, row: HarDNetRow):
    depthwise = row.depthwise
    x = _conv_layer(x, row.stem[0], 3, "base_0", strides=2)
    x = _conv_layer(x, row.stem[1], 1 if depthwise else 3, "base_1")
    if depthwise:
        x = _dw_conv_layer(x, "base_2", strides=2)
    else:
        # 3x3/2 max pool with padding 1; the input is a ReLU6 output, so zero padding equals PyTorch's -inf.
        x = max_pool2d(x, 3, 2, 1, nonnegative_input=True, name="base_2")
    n = 3
    for b, (growth, n_layers, transition, downsample) in enumerate(row.blocks):
        x = _hard_block(x, growth, n_layers, row.grmul, depthwise, f"base_{n}")
        n += 1
        if b == len(row.blocks) - 1 and row.last_dropout:
            x = layers.Dropout(row.last_dropout, name=f"base_{n}")(x)
            n += 1
        x = _conv_layer(x, transition, 1, f"base_{n}")
        n += 1
        if downsample:
            if depthwise:
                x = _dw_conv_layer(x, f"base_{n}", strides=2)
            else:
                x = max_pool2d(x, 2, 2, name=f"base_{n}")
            n += 1
    return x


def _layout(row: HarDNetRow):
    """Feature taps (the last layer at each resolution) and the index of the classifier in `base`."""
    stages, n = ["base_1_relu"], 3
    for b, (_, _, _, downsample) in enumerate(row.blocks):
        n += 1 + (b == len(row.blocks) - 1 and bool(row.last_dropout))
        if downsample or b == len(row.blocks) - 1:
            stages.append(f"base_{n}_relu")
        n += 1 + downsample
    return tuple(stages), n


def _head(x, classes, dropout, index):
    # The authors' base.N = Sequential(AdaptiveAvgPool2d, Flatten, Dropout, Linear).
    x = layers.GlobalAveragePooling2D(name=f"base_{index}_0")(x)
    if dropout:
        x = layers.Dropout(dropout, name=f"base_{index}_2")(x)
    return layers.Dense(classes, name=f"base_{index}_3")(x)


def _build(row: HarDNetRow, spec, args):
    _, head_index = _layout(row)
    return assemble(
        spec,
        args,
        lambda x: _features(x, row),
        lambda x, classes: _head(x, classes, args.dropout_rate, head_index),
    )


register_family(
    VARIANTS,
    _build,
    options=lambda row: {"dropout_rate": row.dropout},
    doc=lambda row: (
        f"HarDNet-{row.name[7:].upper()} (Chao et al. 2019, Table 1): harmonic dense blocks with m = {row.grmul}"
        + (", depthwise-separable layers and stride-2 depthwise downsampling" if row.depthwise else "")
        + ". `dropout_rate` is the dropout before the classifier."
    ),
    family="hardnet",
    head_modules=lambda row: (f"base.{_layout(row)[1]}",),  # the authors' last `base` entry is the classifier
    paper="Chao et al. 2019, HarDNet: A Low Memory Traffic Network",
    reference="paper:Chao et al. 2019 Table 1 (layer names as the authors' PingoLH/Pytorch-HarDNet)",
    params_source=lambda row: (
        f"our count of the paper's Table 1 architecture as built by the authors' code "
        f"(conv kernels + BN gamma/beta + classifier; paper: {row.paper_params})"
    ),
    default_size=224,
    # 3x3/2 conv and depthwise downsamplings pad by 1 (any side >= 1 survives); the max-pooled models
    # floor three 2x2 pools after two ceil-halvings: ceil(ceil(s / 2) / 2) >= 8 needs s >= 29.
    min_size=lambda row: 1 if row.depthwise else 29,
    stages=lambda row: _layout(row)[0],
)
