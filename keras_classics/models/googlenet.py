"""GoogLeNet (Szegedy et al. 2015, "Going deeper with convolutions"), Table 1, as torchvision 0.29.1
`googlenet`: BatchNorm after every conv (eps 1e-3) and a 3x3 where the paper has the 5x5.

Layer names mirror torchvision (`inception3a_branch2_1_conv`, `aux1_fc1`). The auxiliary classifiers exist
only with `aux_logits=True`; the model then returns `[logits, aux1, aux2]`, and the paper weights the
two auxiliary losses by 0.3 (Sec. 5; `keras_classics.training.aux_loss_weights`):

    >>> import keras_classics
    >>> from keras_classics.training import aux_loss_weights
    >>> model = keras_classics.googlenet(aux_logits=True, classes=10)
    >>> model.compile("sgd", loss=["sparse_categorical_crossentropy"] * 3, loss_weights=aux_loss_weights(model))
"""

from __future__ import annotations

from keras import layers

from keras_classics.blocks.inception import Conv, Pool, conv_unit
from keras_classics.models.inception_common import (
    CEIL_MAX_3x3_S2,
    INCEPTION_FACTS,
    InceptionRow,
    build,
    classic,
    unit,
)
from keras_classics.models.variant_table import register_family

# Stem of GoogLeNet Table 1, shared by BN-Inception (Fig. 5: the same layers, BN everywhere).
GOOGLENET_STEM = (
    ("conv1", unit(Conv(64, 7, 2, 3))),
    ("maxpool1", unit(CEIL_MAX_3x3_S2)),
    ("conv2", unit(Conv(64, 1))),
    ("conv3", unit(Conv(192, 3, 1, 1))),
    ("maxpool2", unit(CEIL_MAX_3x3_S2)),
)


def _googlenet_layers(args):
    # GoogLeNet Table 1: #1x1, #3x3 reduce, #3x3, #5x5 reduce, #5x5 (one 3x3 in torchvision), pool proj.
    def module(c1, r3, c3, r5, c5, proj):
        return classic((c1, r3, c3, r5, c5, 1, proj))

    return GOOGLENET_STEM + (
        ("inception3a", module(64, 96, 128, 16, 32, 32)),
        ("inception3b", module(128, 128, 192, 32, 96, 64)),
        ("maxpool3", unit(CEIL_MAX_3x3_S2)),
        ("inception4a", module(192, 96, 208, 16, 48, 64)),
        ("inception4b", module(160, 112, 224, 24, 64, 64)),
        ("inception4c", module(128, 128, 256, 24, 64, 64)),
        ("inception4d", module(112, 144, 288, 32, 64, 64)),
        ("inception4e", module(256, 160, 320, 32, 128, 128)),
        ("maxpool4", unit(Pool("max", 2, 2, ceil_mode=True))),
        ("inception5a", module(256, 160, 320, 32, 128, 128)),
        ("inception5b", module(384, 192, 384, 48, 128, 128)),
    )


def _googlenet_aux(x, classes, name, args):
    """torchvision `InceptionAux`: adaptive 4x4 average pool, 1x1 conv 128, fc 1024 + ReLU, dropout, fc."""
    x = layers.AdaptiveAveragePooling2D((4, 4), name=f"{name}_pool")(x)
    x = conv_unit(x, Conv(128, 1), f"{name}_conv")
    x = layers.Flatten(name=f"{name}_flatten")(x)  # the importer reorders fc1's (C, H, W) inputs
    x = layers.Dense(1024, activation="relu", name=f"{name}_fc1")(x)
    x = layers.Dropout(args.aux_dropout_rate, name=f"{name}_dropout")(x)
    return layers.Dense(classes, name=f"{name}_fc2")(x)


# fmt: off
VARIANTS = (
    InceptionRow(
        _googlenet_layers, "fc", _googlenet_aux, (("inception4a", "aux1"), ("inception4d", "aux2")),
        aux_fixed_size=True, name="googlenet", paper="Szegedy et al. 2015, Going deeper with convolutions",
        reference="torchvision:googlenet", params=6624904,
        params_source="shared/reference/architectures.csv (torchvision googlenet, aux_logits=False; "
        "13,004,888 with aux)",
        mmacs=1498.4,
        doc="GoogLeNet (Inception-v1) as torchvision 0.29.1: Table 1 of the paper with BatchNorm (eps 1e-3) "
        "after every conv and 3x3 convs in the '5x5' branches. `aux_logits=True` adds the two auxiliary "
        "classifiers on inception4a and inception4d as extra outputs `[logits, aux1, aux2]` (needs a fixed "
        "input size); compile with `loss=[loss] * 3, loss_weights=aux_loss_weights(model)` = [1.0, 0.3, 0.3].",
    ),
)
# fmt: on

register_family(
    VARIANTS,
    build,
    options={"aux_logits": False, "dropout_rate": 0.2, "aux_dropout_rate": 0.7},
    default_size=224,
    min_size=15,
    stages=("conv1_relu", "conv3_relu", "inception3b", "inception4e", "inception5b"),
    **INCEPTION_FACTS,
)
