"""Inception-v4, Inception-ResNet-v1 and Inception-ResNet-v2 (Szegedy et al. 2017, "Inception-v4,
Inception-ResNet and the Impact of Residual Connections on Learning"), Figs. 3-19 and Table 1.

v4 and Inception-ResNet-v2 as timm 1.0.31, which follows TF-slim: 10/20/10 residual blocks for v2 and a
stem ending in `mixed_5b`; v1 as the paper's Figs. 7, 10-15: 5/10/5 blocks. Layer names mirror timm
(`features_4_branch1_0_conv`, `repeat_1_19_conv2d`), so its state dicts import mechanically.
"""

from __future__ import annotations

import dataclasses
import functools

from keras_classics.blocks.inception import Conv, Split
from keras_classics.models.inception_common import (
    AVG_3x3_EXCL,
    INCEPTION_FACTS,
    MAX_3x3_S2,
    InceptionRow,
    build,
    concat_branches,
    residual,
    unit,
)
from keras_classics.models.variant_table import register_family

def _reduction_a(k, l, m, n):
    """Reduction-A (Fig. 7) with the k, l, m, n of Table 1; shared by v4 and Inception-ResNet-v1/v2."""
    return concat_branches(
        (
            ("branch0", (Conv(n, 3, 2, 0),)),
            ("branch1", (Conv(k, 1), Conv(l, 3), Conv(m, 3, 2, 0))),
            ("branch2", (MAX_3x3_S2,)),
        )
    )


_SPLIT_256 = Split((Conv(256, (1, 3)), Conv(256, (3, 1))))
V4_BLOCKS = {
    # Fig. 3, the stem's three filter concatenations (timm Mixed3a, Mixed4a, Mixed5a).
    "mixed3a": concat_branches((("maxpool", (MAX_3x3_S2,)), ("conv", (Conv(96, 3, 2, 0),)))),
    "mixed4a": concat_branches(
        (
            ("branch0", (Conv(64, 1), Conv(96, 3, 1, 0))),
            ("branch1", (Conv(64, 1), Conv(64, (1, 7)), Conv(64, (7, 1)), Conv(96, 3, 1, 0))),
        )
    ),
    "mixed5a": concat_branches((("conv", (Conv(192, 3, 2, 0),)), ("maxpool", (MAX_3x3_S2,)))),
    # Fig. 4: Inception-A, 35x35.
    "a": concat_branches(
        (
            ("branch0", (Conv(96, 1),)),
            ("branch1", (Conv(64, 1), Conv(96, 3))),
            ("branch2", (Conv(64, 1), Conv(96, 3), Conv(96, 3))),
            ("branch3", (AVG_3x3_EXCL, Conv(96, 1))),
        )
    ),
    "reduction_a": _reduction_a(192, 224, 256, 384),  # Table 1, Inception-v4
    # Fig. 5: Inception-B, 17x17.
    "b": concat_branches(
        (
            ("branch0", (Conv(384, 1),)),
            ("branch1", (Conv(192, 1), Conv(224, (1, 7)), Conv(256, (7, 1)))),
            ("branch2", (Conv(192, 1), Conv(192, (7, 1)), Conv(224, (1, 7)), Conv(224, (7, 1)), Conv(256, (1, 7)))),
            ("branch3", (AVG_3x3_EXCL, Conv(128, 1))),
        )
    ),
    # Fig. 8: Reduction-B of Inception-v4.
    "reduction_b": concat_branches(
        (
            ("branch0", (Conv(192, 1), Conv(192, 3, 2, 0))),
            ("branch1", (Conv(256, 1), Conv(256, (1, 7)), Conv(320, (7, 1)), Conv(320, 3, 2, 0))),
            ("branch2", (MAX_3x3_S2,)),
        )
    ),
    # Fig. 6: Inception-C, 8x8.
    "c": concat_branches(
        (
            ("branch0", (Conv(256, 1),)),
            ("branch1", (Conv(384, 1), _SPLIT_256)),
            ("branch2", (Conv(384, 1), Conv(448, (3, 1)), Conv(512, (1, 3)), _SPLIT_256)),
            ("branch3", (AVG_3x3_EXCL, Conv(256, 1))),
        )
    ),
}


def _v4_layers(args):
    # Fig. 9: stem, 4 x Inception-A, Reduction-A, 7 x Inception-B, Reduction-B, 3 x Inception-C.
    blocks = [
        unit(Conv(32, 3, 2, 0)),
        unit(Conv(32, 3, 1, 0)),
        unit(Conv(64, 3, 1, 1)),
        V4_BLOCKS["mixed3a"],
        V4_BLOCKS["mixed4a"],
        V4_BLOCKS["mixed5a"],
    ]
    blocks += [V4_BLOCKS["a"]] * 4 + [V4_BLOCKS["reduction_a"]] + [V4_BLOCKS["b"]] * 7
    blocks += [V4_BLOCKS["reduction_b"]] + [V4_BLOCKS["c"]] * 3
    return tuple((f"features_{i}", block) for i, block in enumerate(blocks))


# ------------------------------------------------------------------------------ Inception-ResNet
@dataclasses.dataclass(frozen=True)
class ResNetLayout:
    """One Inception-ResNet's layers: stem, the three residual modules, reductions and block counts."""

    stem: tuple
    block_a: tuple  # branches of Inception-ResNet-A (35x35, timm Block35)
    block_b: tuple  # Inception-ResNet-B (17x17, Block17)
    block_c: tuple  # Inception-ResNet-C (8x8, Block8)
    reduction_a: tuple  # (k, l, m, n) of Table 1
    reduction_b: tuple  # widths of the three conv branches of Reduction-B
    repeats: tuple  # number of A, B, C blocks
    final_block8: bool  # timm/TF-slim: a last, unscaled C block without ReLU, then a 1x1 conv to 1536


def _b(*convs):  # a branch of (filters, kernel) pairs
    return tuple(Conv(f, k) for f, k in convs)


# Both Inception-ResNet stems open with these six layers (Fig. 14), 299x299x3 -> 71x71x192.
_STEM_TO_CONV4A = (
    ("conv2d_1a", Conv(32, 3, 2, 0)),
    ("conv2d_2a", Conv(32, 3, 1, 0)),
    ("conv2d_2b", Conv(64, 3, 1, 1)),
    ("maxpool_3a", MAX_3x3_S2),
    ("conv2d_3b", Conv(80, 1)),
    ("conv2d_4a", Conv(192, 3, 1, 0)),
)

INCEPTION_RESNET_V1 = ResNetLayout(
    # Fig. 14: the Inception-ResNet-v1 stem, 299x299x3 -> 35x35x256.
    stem=(
        *_STEM_TO_CONV4A,
        ("conv2d_4b", Conv(256, 3, 2, 0)),
    ),
    block_a=(_b((32, 1)), _b((32, 1), (32, 3)), _b((32, 1), (32, 3), (32, 3))),  # Fig. 10
    block_b=(_b((128, 1)), _b((128, 1), (128, (1, 7)), (128, (7, 1)))),  # Fig. 11
    block_c=(_b((192, 1)), _b((192, 1), (192, (1, 3)), (192, (3, 1)))),  # Fig. 13
    reduction_a=(192, 192, 256, 384),  # Table 1
    reduction_b=((256, 384), (256, 256), (256, 256, 256)),  # Fig. 12
    repeats=(5, 10, 5),  # Fig. 15
    final_block8=False,
)
INCEPTION_RESNET_V2 = ResNetLayout(
    # timm/TF-slim stem (not Fig. 3): the v3 stem, then mixed_5b, 35x35x320.
    stem=(
        *_STEM_TO_CONV4A,
        ("maxpool_5a", MAX_3x3_S2),
        (
            "mixed_5b",
            (
                ("branch0", _b((96, 1))),
                ("branch1", _b((48, 1), (64, 5))),
                ("branch2", _b((64, 1), (96, 3), (96, 3))),
                ("branch3", (AVG_3x3_EXCL, Conv(64, 1))),
            ),
        ),
    ),
    block_a=(_b((32, 1)), _b((32, 1), (32, 3)), _b((32, 1), (48, 3), (64, 3))),  # Fig. 16
    block_b=(_b((192, 1)), _b((128, 1), (160, (1, 7)), (192, (7, 1)))),  # Fig. 17
    block_c=(_b((192, 1)), _b((192, 1), (224, (1, 3)), (256, (3, 1)))),  # Fig. 19
    reduction_a=(256, 256, 384, 384),  # Table 1
    reduction_b=((256, 384), (256, 288), (256, 288, 320)),  # Fig. 18
    repeats=(10, 20, 9),  # TF-slim / timm (the paper's Fig. 15 draws 5, 10, 5)
    final_block8=True,
)


def _residual_scales(scale):
    if isinstance(scale, (int, float)) and not isinstance(scale, bool):
        scale = (scale,) * 3
    if (
        not isinstance(scale, (tuple, list))
        or len(scale) != 3
        or not all(isinstance(s, (int, float)) and not isinstance(s, bool) and s > 0 for s in scale)
    ):
        raise ValueError(
            f"scale must be a positive number or a tuple of three (A, B, C blocks, e.g. (0.17, 0.1, 0.2)); "
            f"got {scale!r}"
        )
    return tuple(float(s) for s in scale)


def _reduction_b_resnet(widths):
    """Reduction-B of Inception-ResNet (Figs. 12, 18; timm `Mixed_7a`): three conv branches, each a 1x1
    reduction, optional padded 3x3s and a valid 3x3/2 (`widths`: their filters), beside a 3x3/2 max pool."""
    branches = []
    for i, (reduce, *middle, last) in enumerate(widths):
        ops = (Conv(reduce, 1),) + tuple(Conv(w, 3) for w in middle) + (Conv(last, 3, 2, 0),)
        branches.append((f"branch{i}", ops))
    return concat_branches(tuple(branches) + (("branch3", (MAX_3x3_S2,)),))


def _resnet_layers(layout: ResNetLayout, args):
    scale_a, scale_b, scale_c = _residual_scales(args.scale)
    entries = []
    for name, op in layout.stem:
        entries.append((name, concat_branches(op) if isinstance(op, tuple) else unit(op)))

    def indexed(branches):
        return tuple((f"branch{i}", ops) for i, ops in enumerate(branches))

    def repeat(prefix, branches, count, scale):
        return [(f"{prefix}_{i}", residual(indexed(branches), scale)) for i in range(count)]

    n_a, n_b, n_c = layout.repeats
    entries += repeat("repeat", layout.block_a, n_a, scale_a)
    entries.append(("mixed_6a", _reduction_a(*layout.reduction_a)))
    entries += repeat("repeat_1", layout.block_b, n_b, scale_b)
    entries.append(("mixed_7a", _reduction_b_resnet(layout.reduction_b)))
    entries += repeat("repeat_2", layout.block_c, n_c, scale_c)
    if layout.final_block8:
        entries.append(("block8", residual(indexed(layout.block_c), 1.0, activation=False)))
        entries.append(("conv2d_7b", unit(Conv(1536, 1))))
    return tuple(entries)


SCALE = (0.17, 0.1, 0.2)  # timm/TF-slim's residual scales of the A, B and C blocks
_SCALE_DOC = (
    "`scale` multiplies the residual of the A, B and C blocks (Sec. 3.3, 0.1-0.3; a float applies to all "
    "three; default (0.17, 0.1, 0.2) as timm/TF-slim)."
)


@dataclasses.dataclass(frozen=True)
class V4Row(InceptionRow):
    """An `InceptionRow` of this paper's networks: the Inception-ResNets also take the `scale` option."""

    scale: tuple | None = None  # the default of the `scale` option, which only the Inception-ResNets take


# fmt: off
VARIANTS = (
    V4Row(_v4_layers, "last_linear", name="inception_v4", reference="timm:inception_v4", params=42679816,
          params_source="shared/reference/architectures.csv (timm 1.0.31 inception_v4)", mmacs=12254.0,
          stages=("features_2_relu", "features_3", "features_9", "features_17", "features_21"),
          doc="Inception-v4 as timm 1.0.31 (Fig. 9: stem of Fig. 3, 4 x Inception-A, Reduction-A, 7 x "
          "Inception-B, Reduction-B, 3 x Inception-C; BN eps 1e-3). Dropout 0.2 before the classifier (Fig. 9, "
          "keep 0.8; timm's default is 0)."),
    V4Row(functools.partial(_resnet_layers, INCEPTION_RESNET_V1), "classif", scale=SCALE,
          name="inception_resnet_v1", reference="paper:Szegedy et al. 2017 Figs. 7, 10-15 and Table 1",
          params=22756328,
          params_source="our count of Figs. 7, 10-15 and Table 1 (no reference pins one): bias-free convs + BN "
          "gamma/beta, biased 1x1 residual projections, classifier 1792 x 1000 + 1000",
          stages=("conv2d_2b_relu", "conv2d_4a_relu", "repeat_4", "repeat_1_9", "repeat_2_4"),
          doc="Inception-ResNet-v1 per the paper's figures: stem of Fig. 14, 5 x Inception-ResNet-A (Fig. 10), "
          "Reduction-A (Fig. 7, k=192 l=192 m=256 n=384), 10 x Inception-ResNet-B (Fig. 11), Reduction-B "
          "(Fig. 12), 5 x Inception-ResNet-C (Fig. 13), average pool, dropout 0.2 (keep 0.8), classifier. "
          "BN (eps 1e-3) on the conv layers only, not on the summations. Names follow timm's "
          "inception_resnet_v2. " + _SCALE_DOC),
    V4Row(functools.partial(_resnet_layers, INCEPTION_RESNET_V2), "classif", scale=SCALE,
          name="inception_resnet_v2", reference="timm:inception_resnet_v2", params=55843464,
          params_source="shared/reference/architectures.csv (timm 1.0.31 inception_resnet_v2)", mmacs=13155.8,
          stages=("conv2d_2b_relu", "conv2d_4a_relu", "repeat_9", "repeat_1_19", "conv2d_7b_relu"),
          doc="Inception-ResNet-v2 as timm 1.0.31 / TF-slim: v3-style stem and mixed_5b, 10 x Block35 (Fig. 16), "
          "Reduction-A (k=256 l=256 m=384 n=384), 20 x Block17 (Fig. 17), Reduction-B (Fig. 18), "
          "9 x Block8 (Fig. 19) and a final unscaled Block8 without ReLU, 1x1 conv to 1536, dropout 0.2 "
          "(keep 0.8; timm's default is 0), classifier `classif`. " + _SCALE_DOC),
)
# fmt: on


def _options(row: V4Row):
    # All three: dropout 0.2 (keep 0.8) before the classifier; only the Inception-ResNets take `scale`.
    return {"dropout_rate": 0.2} | ({"scale": row.scale} if row.scale is not None else {})


register_family(
    VARIANTS,
    build,
    options=_options,
    paper="Szegedy et al. 2017, Inception-v4, Inception-ResNet and the Impact of Residual Connections on Learning",
    default_size=299,
    min_size=75,
    **INCEPTION_FACTS,
)
