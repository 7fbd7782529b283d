"""DenseNet-BC (Huang, Liu, van der Maaten & Weinberger 2017, "Densely Connected Convolutional Networks").

Follows Table 1 of the paper (the ImageNet DenseNets): a 7x7/2 stem and 3x3/2 max-pool, four dense blocks
joined by transitions, global average pooling and one dense layer. Every dense layer is the paper's "B"
bottleneck BN-ReLU-Conv1x1(4k)-BN-ReLU-Conv3x3(k) whose k new maps are concatenated to its input; every
transition is the "C" compression BN-ReLU-Conv1x1(theta=0.5)-AvgPool2x2. DenseNet-161 (k=48, 96 stem
filters) is torchvision's; DenseNet-264 is Table 1's last column.

Layer names mirror torchvision's `densenet.py` (`features.denseblock1.denselayer1.norm1` ->
`features_denseblock1_denselayer1_norm1`), so its state dicts import by name.
"""

import functools

from keras import layers

from keras_classics.blocks.conv import activation, batch_norm, conv2d
from keras_classics.blocks.pooling import avg_pool2d, max_pool2d
from keras_classics.models.builder import assemble, default_head, register_variant

PAPER = "Huang et al. 2017, Densely Connected Convolutional Networks (CVPR)"

# name: (growth rate k, stem filters, dense layers per block, reference, params, mmacs).
# Table 1: DenseNet-121/169/201/264 use k=32 and 64 stem filters; 161 is the k=48 model the authors released.
VARIANTS = {
    "densenet121": (32, 64, (6, 12, 24, 16), "torchvision:densenet121", 7978856, 2834.2),
    "densenet161": (48, 96, (6, 12, 36, 24), "torchvision:densenet161", 28681000, 7727.9),
    "densenet169": (32, 64, (6, 12, 32, 32), "torchvision:densenet169", 14149480, 3359.8),
    "densenet201": (32, 64, (6, 12, 48, 32), "torchvision:densenet201", 20013928, 4291.4),
    "densenet264": (32, 64, (6, 12, 64, 48), "paper:Table 1 (DenseNet-264)", 33337704, 5751.7),
}
BN_SIZE = 4  # bottleneck width = 4k (Section 3, "Bottleneck layers")
COMPRESSION = 0.5  # theta of DenseNet-BC (Section 3, "Compression")


def dense_layer(x, growth_rate, dropout_rate, name):
    """One bottleneck layer: its k new feature maps are concatenated after its input's."""
    y = batch_norm(x, name=f"{name}_norm1")
    y = activation(y, "relu", name=f"{name}_relu1")
    y = conv2d(y, BN_SIZE * growth_rate, 1, name=f"{name}_conv1")
    y = batch_norm(y, name=f"{name}_norm2")
    y = activation(y, "relu", name=f"{name}_relu2")
    y = conv2d(y, growth_rate, 3, name=f"{name}_conv2")
    if dropout_rate:
        y = layers.Dropout(dropout_rate, name=f"{name}_dropout")(y)
    # Concatenating one layer at a time gives torch.cat(features)'s channel order: input, layer 1, 2, ...
    return layers.Concatenate(name=f"{name}_concat")([x, y])


def dense_block(x, num_layers, growth_rate, dropout_rate, name):
    for i in range(num_layers):
        x = dense_layer(x, growth_rate, dropout_rate, name=f"{name}_denselayer{i + 1}")
    return x


def transition(x, name):
    """Compression (theta * channels) and 2x2/2 average pooling between dense blocks."""
    x = batch_norm(x, name=f"{name}_norm")
    x = activation(x, "relu", name=f"{name}_relu")
    x = conv2d(x, int(x.shape[-1] * COMPRESSION), 1, name=f"{name}_conv")
    return avg_pool2d(x, 2, name=f"{name}_pool")


def _features(x, growth_rate, stem_filters, blocks, dropout_rate):
    x = conv2d(x, stem_filters, 7, strides=2, name="features_conv0")
    x = batch_norm(x, name="features_norm0")
    x = activation(x, "relu", name="features_relu0")
    x = max_pool2d(x, 3, 2, 1, nonnegative_input=True, name="features_pool0")  # after ReLU: zero padding
    for i, num_layers in enumerate(blocks, start=1):
        x = dense_block(x, num_layers, growth_rate, dropout_rate, name=f"features_denseblock{i}")
        if i < len(blocks):
            x = transition(x, name=f"features_transition{i}")
    x = batch_norm(x, name="features_norm5")
    # torchvision applies this ReLU in forward(); it belongs to the feature map the head pools.
    return activation(x, "relu", name="features_relu5")


def _build(row, spec, args):
    growth_rate, stem_filters, blocks = row[:3]
    features = functools.partial(
        _features, growth_rate=growth_rate, stem_filters=stem_filters, blocks=blocks, dropout_rate=args.dropout_rate
    )
    return assemble(spec, args, features, functools.partial(default_head, name="classifier"))


for _name, _row in VARIANTS.items():
    _growth, _stem, _blocks, _reference, _params, _mmacs = _row
    _depth = _name[len("densenet"):]
    register_variant(
        _name,
        functools.partial(_build, _row),
        options={"dropout_rate": 0.0},
        doc=(
            f"DenseNet-BC-{_depth} (Huang et al. 2017, Table 1): growth rate {_growth}, {_stem} stem filters, "
            f"dense blocks of {'-'.join(map(str, _blocks))} bottleneck layers, compression 0.5. "
            "`dropout_rate` drops each dense layer's new maps while training (torchvision's `drop_rate`)."
        ),
        family="densenet",
        head_modules=("classifier",),
        paper=PAPER,
        reference=_reference,
        params=_params,
        params_source=(
            "shared/reference/architectures.csv (torchvision 0.29.1)"
            if _reference.startswith("torchvision")
            else "shared/reference/architectures.csv (torchvision DenseNet(growth_rate=32, "
            "block_config=(6, 12, 64, 48), num_init_features=64))"
        ),
        mmacs=_mmacs,
        default_size=224,
        min_size=29,  # 29 -> 15 -> 8 -> 4 -> 2 -> 1 (stem conv, pool0, three transitions); 28 reaches 0
        stages=(
            "features_relu0",
            *(f"features_denseblock{i}_denselayer{n}_concat" for i, n in enumerate(_blocks[:3], start=1)),
            "features_relu5",
        ),
    )
