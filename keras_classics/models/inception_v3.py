"""Inception-v3 (Szegedy et al. 2016, "Rethinking the Inception Architecture for Computer Vision"),
Table 1 and Figs. 5-7, 10, as torchvision 0.29.1 `inception_v3` (BN eps 1e-3).

Layer names mirror torchvision (`Mixed_7b_branch3x3_2a_conv`, `AuxLogits_fc`). The auxiliary classifier
exists only with `aux_logits=True` (a second output; torchvision's recipe weights its loss by 0.4).
Label smoothing (Sec. 7) is a loss option: `keras.losses.CategoricalCrossentropy(label_smoothing=0.1)`.
"""

from __future__ import annotations

from keras import layers

from keras_classics.blocks.inception import Conv, Pool, Split, conv_unit, pool2d
from keras_classics.models.inception_common import (
    AVG_3x3,
    INCEPTION_FACTS,
    MAX_3x3_S2,
    InceptionRow,
    build,
    concat_branches,
    unit,
)
from keras_classics.models.variant_table import register_family

def _v3_a(pool_features):  # Fig. 5: the 5x5 kept in torchvision's "branch5x5", two 3x3 beside it
    return concat_branches(
        (
            ("branch1x1", (Conv(64, 1),)),
            ("branch5x5", (Conv(48, 1), Conv(64, 5))),
            ("branch3x3dbl", (Conv(64, 1), Conv(96, 3), Conv(96, 3))),
            ("branch_pool", (AVG_3x3, Conv(pool_features, 1))),
        ),
        "flat",
    )


V3_B = concat_branches(  # Fig. 10 grid reduction 35 -> 17
    (
        ("branch3x3", (Conv(384, 3, 2, 0),)),
        ("branch3x3dbl", (Conv(64, 1), Conv(96, 3), Conv(96, 3, 2, 0))),
        ("branch_pool", (MAX_3x3_S2,)),
    ),
    "flat",
)


def _v3_c(c7):  # Fig. 6 with n = 7: 7x7 factorized into 1x7 and 7x1
    return concat_branches(
        (
            ("branch1x1", (Conv(192, 1),)),
            ("branch7x7", (Conv(c7, 1), Conv(c7, (1, 7)), Conv(192, (7, 1)))),
            ("branch7x7dbl", (Conv(c7, 1), Conv(c7, (7, 1)), Conv(c7, (1, 7)), Conv(c7, (7, 1)), Conv(192, (1, 7)))),
            ("branch_pool", (AVG_3x3, Conv(192, 1))),
        ),
        "flat",
    )


V3_D = concat_branches(  # grid reduction 17 -> 8
    (
        ("branch3x3", (Conv(192, 1), Conv(320, 3, 2, 0))),
        ("branch7x7x3", (Conv(192, 1), Conv(192, (1, 7)), Conv(192, (7, 1)), Conv(192, 3, 2, 0))),
        ("branch_pool", (MAX_3x3_S2,)),
    ),
    "flat",
)

_SPLIT_384 = Split((Conv(384, (1, 3)), Conv(384, (3, 1))))
V3_E = concat_branches(  # Fig. 7: expanded filter bank output on the 8x8 grid
    (
        ("branch1x1", (Conv(320, 1),)),
        ("branch3x3", (Conv(384, 1), _SPLIT_384)),
        ("branch3x3dbl", (Conv(448, 1), Conv(384, 3), _SPLIT_384)),
        ("branch_pool", (AVG_3x3, Conv(192, 1))),
    ),
    "flat",
)


def _v3_layers(args):
    # Table 1: the stem, 3 x Fig. 5, reduction, 4 x Fig. 6, reduction, 2 x Fig. 7.
    return (
        ("Conv2d_1a_3x3", unit(Conv(32, 3, 2, 0))),
        ("Conv2d_2a_3x3", unit(Conv(32, 3, 1, 0))),
        ("Conv2d_2b_3x3", unit(Conv(64, 3, 1, 1))),
        ("maxpool1", unit(MAX_3x3_S2)),
        ("Conv2d_3b_1x1", unit(Conv(80, 1))),
        ("Conv2d_4a_3x3", unit(Conv(192, 3, 1, 0))),
        ("maxpool2", unit(MAX_3x3_S2)),
        ("Mixed_5b", _v3_a(32)),
        ("Mixed_5c", _v3_a(64)),
        ("Mixed_5d", _v3_a(64)),
        ("Mixed_6a", V3_B),
        ("Mixed_6b", _v3_c(128)),
        ("Mixed_6c", _v3_c(160)),
        ("Mixed_6d", _v3_c(160)),
        ("Mixed_6e", _v3_c(192)),
        ("Mixed_7a", V3_D),
        ("Mixed_7b", V3_E),
        ("Mixed_7c", V3_E),
    )


def _v3_aux(x, classes, name, args):
    """torchvision `InceptionAux` on the 17x17 grid: 5x5/3 average pool, 1x1 conv 128, 5x5 conv 768, fc."""
    if x.shape[1] is not None and min(x.shape[1], x.shape[2]) < 17:
        raise ValueError(
            f"aux_logits=True needs input height and width >= 299 (a 17x17 Mixed_6e grid); got a "
            f"{x.shape[1]}x{x.shape[2]} grid"
        )
    x = pool2d(x, Pool("avg", 5, 3), f"{name}_pool")
    x = conv_unit(x, Conv(128, 1), f"{name}_conv0")
    x = conv_unit(x, Conv(768, 5, 1, 0), f"{name}_conv1")
    x = layers.GlobalAveragePooling2D(name=f"{name}_avgpool")(x)
    return layers.Dense(classes, name=f"{name}_fc")(x)


# fmt: off
VARIANTS = (
    InceptionRow(
        _v3_layers, "fc", _v3_aux, (("Mixed_6e", "AuxLogits"),), name="inception_v3",
        paper="Szegedy et al. 2016, Rethinking the Inception Architecture for Computer Vision",
        reference="torchvision:inception_v3", params=23834568,
        params_source="shared/reference/architectures.csv (torchvision inception_v3, aux_logits=False; "
        "27,161,264 with aux)",
        mmacs=5713.2,
        doc="Inception-v3 as torchvision 0.29.1 (Table 1; Figs. 5, 6, 7 and 10 of the paper; BN eps 1e-3). "
        "`aux_logits=True` adds the auxiliary classifier on Mixed_6e as a second output (inputs >= 299). "
        "Label smoothing (Sec. 7) is a loss option.",
    ),
)
# fmt: on

register_family(
    VARIANTS,
    build,
    options={"aux_logits": False, "dropout_rate": 0.5},
    default_size=299,
    min_size=75,
    stages=("Conv2d_2b_3x3_relu", "Conv2d_4a_3x3_relu", "Mixed_5d", "Mixed_6e", "Mixed_7c"),
    **INCEPTION_FACTS,
)
