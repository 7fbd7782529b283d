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

import functools

from keras import layers

from keras_classics.blocks.conv import conv_bn_act
from keras_classics.blocks.pooling import max_pool2d
from keras_classics.models.builder import assemble, register_variant

# Paper Table 1 / the authors' code:
# stem (conv1 channels, conv2 channels), m (grmul), depthwise-separable,
# blocks: (growth rate k, layers, transition channels, downsample after), classifier dropout,
# dropout before the last transition (HarDNet-85 only).
_VARIANTS = {
    "hardnet39ds": dict(
        stem=(24, 48),
        grmul=1.6,
        depthwise=True,
        blocks=((16, 4, 96, True), (20, 16, 320, True), (64, 8, 640, True), (160, 4, 1024, False)),
        dropout=0.05,
        last_dropout=0.0,
        paper_params="3.5M",
    ),
    "hardnet68": dict(
        stem=(32, 64),
        grmul=1.7,
        depthwise=False,
        blocks=(
            (14, 8, 128, True),
            (16, 16, 256, False),
            (20, 16, 320, True),
            (40, 16, 640, True),
            (160, 4, 1024, False),
        ),
        dropout=0.1,
        last_dropout=0.0,
        paper_params="17.6M",
    ),
    "hardnet85": dict(
        stem=(48, 96),
        grmul=1.7,
        depthwise=False,
        blocks=(
            (24, 8, 192, True),
            (24, 16, 256, False),
            (28, 16, 320, True),
            (36, 16, 480, False),
            (48, 16, 720, True),
            (256, 4, 1280, False),
        ),
        dropout=0.2,
        last_dropout=0.1,
        paper_params="36.7M",
    ),
}


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


def _features(x, row):
    depthwise = row["depthwise"]
    x = _conv_layer(x, row["stem"][0], 3, "base_0", strides=2)
    x = _conv_layer(x, row["stem"][1], 1 if depthwise else 3, "base_1")
    if depthwise:
        x = _dw_conv_layer(x, "base_2", strides=2)
    else:
        # 3x3/2 max pool with padding 1; the input is a ReLU6 output, so zero padding equals PyTorch's -inf.
        x = max_pool2d(x, 3, 2, 1, nonnegative_input=True, name="base_2")
    n = 3
    for b, (growth, n_layers, transition, downsample) in enumerate(row["blocks"]):
        x = _hard_block(x, growth, n_layers, row["grmul"], depthwise, f"base_{n}")
        n += 1
        if b == len(row["blocks"]) - 1 and row["last_dropout"]:
            x = layers.Dropout(row["last_dropout"], name=f"base_{n}")(x)
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


def _layout(row):
    """Feature taps (the last layer at each resolution) and the index of the classifier in `base`."""
    stages, n = ["base_1_relu"], 3
    for b, (_, _, _, downsample) in enumerate(row["blocks"]):
        n += 1 + (b == len(row["blocks"]) - 1 and bool(row["last_dropout"]))
        if downsample or b == len(row["blocks"]) - 1:
            stages.append(f"base_{n}_relu")
        n += 1 + downsample
    return tuple(stages), n


def _head(x, classes, dropout, index):
    # The authors' base.N = Sequential(AdaptiveAvgPool2d, Flatten, Dropout, Linear).
    x = layers.GlobalAveragePooling2D(name=f"base_{index}_0")(x)
    if dropout:
        x = layers.Dropout(dropout, name=f"base_{index}_2")(x)
    return layers.Dense(classes, name=f"base_{index}_3")(x)


def _build(row, spec, args):
    _, head_index = _layout(row)
    return assemble(
        spec,
        args,
        lambda x: _features(x, row),
        lambda x, classes: _head(x, classes, args.dropout_rate, head_index),
    )


# Trainable parameters of our builds, which are the authors' architectures (their code, counted the
# PyTorch way); the paper's Table 1 rounds them.
_PARAMS = {"hardnet39ds": 3488228, "hardnet68": 17565348, "hardnet85": 36670212}

for _name, _row in _VARIANTS.items():
    _label = "HarDNet-" + _name[7:].upper()
    register_variant(
        _name,
        functools.partial(_build, _row),
        options={"dropout_rate": _row["dropout"]},
        doc=(
            f"{_label} (Chao et al. 2019, Table 1): harmonic dense blocks with m = {_row['grmul']}"
            + (", depthwise-separable layers and stride-2 depthwise downsampling" if _row["depthwise"] else "")
            + ". `dropout_rate` is the dropout before the classifier."
        ),
        family="hardnet",
        head_modules=(f"base.{_layout(_row)[1]}",),  # the authors' last `base` entry is the classifier
        paper="Chao et al. 2019, HarDNet: A Low Memory Traffic Network",
        reference="paper:Chao et al. 2019 Table 1 (layer names as the authors' PingoLH/Pytorch-HarDNet)",
        params=_PARAMS[_name],
        params_source=(
            f"our count of the paper's Table 1 architecture as built by the authors' code "
            f"(conv kernels + BN gamma/beta + classifier; paper: {_row['paper_params']})"
        ),
        default_size=224,
        # 3x3/2 conv and depthwise downsamplings pad by 1 (any side >= 1 survives); the max-pooled models
        # floor three 2x2 pools after two ceil-halvings: ceil(ceil(s / 2) / 2) >= 8 needs s >= 29.
        min_size=1 if _row["depthwise"] else 29,
        stages=_layout(_row)[0],
    )
