"""DenseNet-BC (Huang, Liu, van der Maaten & Weinberger 2017, "Densely Connected Convolutional Networks").

Follows Table 1 of the paper (the ImageNet DenseNets): a 7x7/2 stem and 3x3/2 max-pool, four dense blocks
joined by transitions, global average pooling and one dense layer. Every dense layer is the paper's "B"
bottleneck BN-ReLU-Conv1x1(4k)-BN-ReLU-Conv3x3(k) whose k new maps are concatenated to its input; every
transition is the "C" compression BN-ReLU-Conv1x1(theta=0.5)-AvgPool2x2. DenseNet-161 (k=48, 96 stem
filters) is torchvision's; DenseNet-264 is Table 1's last column.

Layer names mirror torchvision's `densenet.py` (`features.denseblock1.denselayer1.norm1` ->
`features_denseblock1_denselayer1_norm1`), so its state dicts import by name.
"""

import dataclasses
import functools

from keras import layers

from keras_classics.blocks.conv import activation, batch_norm, conv2d
from keras_classics.blocks.pooling import avg_pool2d, max_pool2d
from keras_classics.models.builder import assemble, default_head
from keras_classics.models.variant_table import VariantRow, register_family

PAPER = "Huang et al. 2017, Densely Connected Convolutional Networks (CVPR)"


@dataclasses.dataclass(frozen=True)
class DenseNetRow(VariantRow):
    growth_rate: int  # k
    stem_filters: int
    blocks: tuple  # dense layers per block


CSV = "shared/reference/architectures.csv"
TORCHVISION_CSV = f"{CSV} (torchvision 0.29.1)"

# Table 1: DenseNet-121/169/201/264 use k=32 and 64 stem filters; 161 is the k=48 model the authors released.
# fmt: off
VARIANTS = (
    DenseNetRow(32, 64, (6, 12, 24, 16), name="densenet121", reference="torchvision:densenet121", params=7978856,
                params_source=TORCHVISION_CSV, mmacs=2834.2),
    DenseNetRow(48, 96, (6, 12, 36, 24), name="densenet161", reference="torchvision:densenet161", params=28681000,
                params_source=TORCHVISION_CSV, mmacs=7727.9),
    DenseNetRow(32, 64, (6, 12, 32, 32), name="densenet169", reference="torchvision:densenet169", params=14149480,
                params_source=TORCHVISION_CSV, mmacs=3359.8),
    DenseNetRow(32, 64, (6, 12, 48, 32), name="densenet201", reference="torchvision:densenet201", params=20013928,
                params_source=TORCHVISION_CSV, mmacs=4291.4),
    DenseNetRow(32, 64, (6, 12, 64, 48), name="densenet264", reference="paper:Table 1 (DenseNet-264)", params=33337704,
                params_source=f"{CSV} (torchvision DenseNet(growth_rate=32, block_config=(6, 12, 64, 48), "
                "num_init_features=64))", mmacs=5751.7),
)
# fmt: on

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


def _features(x, row: DenseNetRow, dropout_rate):
    x = conv2d(x, row.stem_filters, 7, strides=2, name="features_conv0")
    x = batch_norm(x, name="features_norm0")
    x = activation(x, "relu", name="features_relu0")
    x = max_pool2d(x, 3, 2, 1, nonnegative_input=True, name="features_pool0")  # after ReLU: zero padding
    for i, num_layers in enumerate(row.blocks, start=1):
        x = dense_block(x, num_layers, row.growth_rate, dropout_rate, name=f"features_denseblock{i}")
        if i < len(row.blocks):
            x = transition(x, name=f"features_transition{i}")
    x = batch_norm(x, name="features_norm5")
    # torchvision applies this ReLU in forward(); it belongs to the feature map the head pools.
    return activation(x, "relu", name="features_relu5")


def _build(row: DenseNetRow, spec, args):
    features = functools.partial(_features, row=row, dropout_rate=args.dropout_rate)
    return assemble(spec, args, features, functools.partial(default_head, name="classifier"))


def _doc(row: DenseNetRow) -> str:
    return (
        f"DenseNet-BC-{row.name[len('densenet'):]} (Huang et al. 2017, Table 1): growth rate {row.growth_rate}, "
        f"{row.stem_filters} stem filters, dense blocks of {'-'.join(map(str, row.blocks))} bottleneck layers, "
        "compression 0.5. `dropout_rate` drops each dense layer's new maps while training (torchvision's "
        "`drop_rate`)."
    )


def _stages(row: DenseNetRow):
    return (
        "features_relu0",
        *(f"features_denseblock{i}_denselayer{n}_concat" for i, n in enumerate(row.blocks[:3], start=1)),
        "features_relu5",
    )


register_family(
    VARIANTS,
    _build,
    options={"dropout_rate": 0.0},
    doc=_doc,
    family="densenet",
    head_modules=("classifier",),
    paper=PAPER,
    default_size=224,
    min_size=29,  # 29 -> 15 -> 8 -> 4 -> 2 -> 1 (stem conv, pool0, three transitions); 28 reaches 0
    stages=_stages,
)
