"""The Inception family: GoogLeNet, BN-Inception, Inception-v3, Inception-v4 and Inception-ResNet-v1/v2.

Papers and the tables followed:
- GoogLeNet: Szegedy et al. 2015, "Going deeper with convolutions", Table 1 (as torchvision 0.29.1
  `googlenet`: BatchNorm after every conv, eps 1e-3, and a 3x3 where the paper has the 5x5).
- BN-Inception ("inception_v2"): Ioffe & Szegedy 2015, "Batch Normalization", Appendix Fig. 5: GoogLeNet
  with BN throughout, each 5x5 replaced by two 3x3, three 28x28 modules, stride-2 modules 3c/4e.
- Inception-v3: Szegedy et al. 2016, "Rethinking the Inception Architecture", Table 1 and Figs. 5-7, 10
  (as torchvision 0.29.1 `inception_v3`).
- Inception-v4, Inception-ResNet-v1/v2: Szegedy et al. 2017, "Inception-v4, Inception-ResNet and the Impact
  of Residual Connections on Learning", Figs. 3-19 and Table 1 (v4 and Inception-ResNet-v2 as timm 1.0.31,
  which follows TF-slim: 10/20/10 residual blocks for v2 and a stem ending in `mixed_5b`; v1 as the
  paper's Figs. 7, 10-15: 5/10/5 blocks).

Every module is a branch table (`keras_classics.blocks.inception`) built by one function; the tables
below are the papers' figures. Layer names mirror the references (`inception3a_branch2_1_conv`,
`Mixed_7b_branch3x3_2a_conv`, `features_4_branch1_0_conv`, `repeat_1_19_conv2d`), so reference state
dicts import mechanically. The references' weights expect inputs scaled to [-1, 1] (torchvision's
`transform_input` is dropped: apply `include_preprocessing=True` or normalize with mean = std = 0.5).

Auxiliary classifiers (GoogLeNet, Inception-v3) exist only with `aux_logits=True`; the model then returns
`[logits, aux1, ...]`. GoogLeNet weights its two auxiliary losses by 0.3 (Sec. 5):

    >>> import keras_classics
    >>> model = keras_classics.googlenet(aux_logits=True, classes=10)
    >>> model.compile("sgd", loss=["sparse_categorical_crossentropy"] * 3, loss_weights=aux_loss_weights(model))

(`aux_loss_weights` gives `[1.0, 0.3, 0.3]`.) Label smoothing (Inception-v3 Sec. 7) is a loss option:
`keras.losses.CategoricalCrossentropy(label_smoothing=0.1)`.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Callable

from keras import layers

from keras_classics.blocks.inception import (
    Conv,
    Pool,
    Split,
    conv_unit,
    inception_branches,
    inception_module,
    inception_resnet_block,
    pool2d,
)
from keras_classics.models.builder import assemble, default_head, register_variant
from keras_classics.torch_compat import INCEPTION_MEAN, INCEPTION_STD

MAX_3x3_S2 = Pool("max", 3, 2)  # "3x3 max pool, stride 2, valid" of v3/v4/Inception-ResNet
CEIL_MAX_3x3_S2 = Pool("max", 3, 2, ceil_mode=True)  # torchvision GoogLeNet: MaxPool2d(3, 2, ceil_mode=True)
AVG_3x3 = Pool("avg", 3, 1, 1)  # torchvision v3: F.avg_pool2d(3, 1, 1), zero padding counted
AVG_3x3_EXCL = Pool("avg", 3, 1, 1, count_include_pad=False)  # timm: AvgPool2d(..., count_include_pad=False)


# ------------------------------------------------------------------------------------ table entries
def _unit(op):
    """A conv-BN-ReLU unit or a pool as a table entry `(x, name) -> x`."""
    return lambda x, name: conv_unit(x, op, name) if isinstance(op, Conv) else pool2d(x, op, name)


def _branches(branches, style="sequential"):
    return lambda x, name: inception_branches(x, branches, name, style)


def _classic(row, pool_kind="max", strides=1):
    return lambda x, name: inception_module(x, row, name, pool_kind, strides)


def _residual(branches, scale, activation=True):
    return lambda x, name: inception_resnet_block(x, branches, name, scale, activation)


# ------------------------------------------------------------------------- GoogLeNet / BN-Inception
# Stem of GoogLeNet Table 1, shared by BN-Inception (Fig. 5: the same layers, BN everywhere).
GOOGLENET_STEM = (
    ("conv1", _unit(Conv(64, 7, 2, 3))),
    ("maxpool1", _unit(CEIL_MAX_3x3_S2)),
    ("conv2", _unit(Conv(64, 1))),
    ("conv3", _unit(Conv(192, 3, 1, 1))),
    ("maxpool2", _unit(CEIL_MAX_3x3_S2)),
)


def _googlenet_layers(options):
    # GoogLeNet Table 1: #1x1, #3x3 reduce, #3x3, #5x5 reduce, #5x5 (one 3x3 in torchvision), pool proj.
    def module(c1, r3, c3, r5, c5, proj):
        return _classic((c1, r3, c3, r5, c5, 1, proj))

    return GOOGLENET_STEM + (
        ("inception3a", module(64, 96, 128, 16, 32, 32)),
        ("inception3b", module(128, 128, 192, 32, 96, 64)),
        ("maxpool3", _unit(CEIL_MAX_3x3_S2)),
        ("inception4a", module(192, 96, 208, 16, 48, 64)),
        ("inception4b", module(160, 112, 224, 24, 64, 64)),
        ("inception4c", module(128, 128, 256, 24, 64, 64)),
        ("inception4d", module(112, 144, 288, 32, 64, 64)),
        ("inception4e", module(256, 160, 320, 32, 128, 128)),
        ("maxpool4", _unit(Pool("max", 2, 2, ceil_mode=True))),
        ("inception5a", module(256, 160, 320, 32, 128, 128)),
        ("inception5b", module(384, 192, 384, 48, 128, 128)),
    )


def _bn_inception_layers(options):
    # BN-Inception Fig. 5: #1x1, #3x3 reduce, #3x3, double #3x3 reduce, double #3x3, pool (+proj).
    # 3c and 4e have stride 2, no 1x1 branch and a pass-through max pool ("max + pass through").
    def module(c1, r3, c3, rd, cd, pool, proj, strides=1):
        return _classic((c1, r3, c3, rd, cd, 2, proj), pool, strides)

    return GOOGLENET_STEM + (
        ("inception3a", module(64, 64, 64, 64, 96, "avg", 32)),
        ("inception3b", module(64, 64, 96, 64, 96, "avg", 64)),
        ("inception3c", module(0, 128, 160, 64, 96, "max", 0, strides=2)),
        ("inception4a", module(224, 64, 96, 96, 128, "avg", 128)),
        ("inception4b", module(192, 96, 128, 96, 128, "avg", 128)),
        ("inception4c", module(160, 128, 160, 128, 160, "avg", 128)),
        ("inception4d", module(96, 128, 192, 160, 192, "avg", 128)),
        ("inception4e", module(0, 128, 192, 192, 256, "max", 0, strides=2)),
        ("inception5a", module(352, 192, 320, 160, 224, "avg", 128)),
        ("inception5b", module(352, 192, 320, 192, 224, "max", 128)),
    )


def _googlenet_aux(x, classes, name, options):
    """torchvision `InceptionAux`: adaptive 4x4 average pool, 1x1 conv 128, fc 1024 + ReLU, dropout, fc."""
    x = layers.AdaptiveAveragePooling2D((4, 4), name=f"{name}_pool")(x)
    x = conv_unit(x, Conv(128, 1), f"{name}_conv")
    x = layers.Flatten(name=f"{name}_flatten")(x)  # the importer reorders fc1's (C, H, W) inputs
    x = layers.Dense(1024, activation="relu", name=f"{name}_fc1")(x)
    x = layers.Dropout(options["aux_dropout_rate"], name=f"{name}_dropout")(x)
    return layers.Dense(classes, name=f"{name}_fc2")(x)


# -------------------------------------------------------------------------------------- Inception-v3
def _v3_a(pool_features):  # Fig. 5: the 5x5 kept in torchvision's "branch5x5", two 3x3 beside it
    return _branches(
        (
            ("branch1x1", (Conv(64, 1),)),
            ("branch5x5", (Conv(48, 1), Conv(64, 5))),
            ("branch3x3dbl", (Conv(64, 1), Conv(96, 3), Conv(96, 3))),
            ("branch_pool", (AVG_3x3, Conv(pool_features, 1))),
        ),
        "flat",
    )


V3_B = _branches(  # Fig. 10 grid reduction 35 -> 17
    (
        ("branch3x3", (Conv(384, 3, 2, 0),)),
        ("branch3x3dbl", (Conv(64, 1), Conv(96, 3), Conv(96, 3, 2, 0))),
        ("branch_pool", (MAX_3x3_S2,)),
    ),
    "flat",
)


def _v3_c(c7):  # Fig. 6 with n = 7: 7x7 factorized into 1x7 and 7x1
    return _branches(
        (
            ("branch1x1", (Conv(192, 1),)),
            ("branch7x7", (Conv(c7, 1), Conv(c7, (1, 7)), Conv(192, (7, 1)))),
            ("branch7x7dbl", (Conv(c7, 1), Conv(c7, (7, 1)), Conv(c7, (1, 7)), Conv(c7, (7, 1)), Conv(192, (1, 7)))),
            ("branch_pool", (AVG_3x3, Conv(192, 1))),
        ),
        "flat",
    )


V3_D = _branches(  # grid reduction 17 -> 8
    (
        ("branch3x3", (Conv(192, 1), Conv(320, 3, 2, 0))),
        ("branch7x7x3", (Conv(192, 1), Conv(192, (1, 7)), Conv(192, (7, 1)), Conv(192, 3, 2, 0))),
        ("branch_pool", (MAX_3x3_S2,)),
    ),
    "flat",
)

_SPLIT_384 = Split((Conv(384, (1, 3)), Conv(384, (3, 1))))
V3_E = _branches(  # Fig. 7: expanded filter bank output on the 8x8 grid
    (
        ("branch1x1", (Conv(320, 1),)),
        ("branch3x3", (Conv(384, 1), _SPLIT_384)),
        ("branch3x3dbl", (Conv(448, 1), Conv(384, 3), _SPLIT_384)),
        ("branch_pool", (AVG_3x3, Conv(192, 1))),
    ),
    "flat",
)


def _v3_layers(options):
    # Table 1: the stem, 3 x Fig. 5, reduction, 4 x Fig. 6, reduction, 2 x Fig. 7.
    return (
        ("Conv2d_1a_3x3", _unit(Conv(32, 3, 2, 0))),
        ("Conv2d_2a_3x3", _unit(Conv(32, 3, 1, 0))),
        ("Conv2d_2b_3x3", _unit(Conv(64, 3, 1, 1))),
        ("maxpool1", _unit(MAX_3x3_S2)),
        ("Conv2d_3b_1x1", _unit(Conv(80, 1))),
        ("Conv2d_4a_3x3", _unit(Conv(192, 3, 1, 0))),
        ("maxpool2", _unit(MAX_3x3_S2)),
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


def _v3_aux(x, classes, name, options):
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


# -------------------------------------------------------------------------- Inception-v4 (timm names)
def _reduction_a(k, l, m, n):
    """Reduction-A (Fig. 7) with the k, l, m, n of Table 1; shared by v4 and Inception-ResNet-v1/v2."""
    return _branches(
        (
            ("branch0", (Conv(n, 3, 2, 0),)),
            ("branch1", (Conv(k, 1), Conv(l, 3), Conv(m, 3, 2, 0))),
            ("branch2", (MAX_3x3_S2,)),
        )
    )


_SPLIT_256 = Split((Conv(256, (1, 3)), Conv(256, (3, 1))))
V4_BLOCKS = {
    # Fig. 3, the stem's three filter concatenations (timm Mixed3a, Mixed4a, Mixed5a).
    "mixed3a": _branches((("maxpool", (MAX_3x3_S2,)), ("conv", (Conv(96, 3, 2, 0),)))),
    "mixed4a": _branches(
        (
            ("branch0", (Conv(64, 1), Conv(96, 3, 1, 0))),
            ("branch1", (Conv(64, 1), Conv(64, (1, 7)), Conv(64, (7, 1)), Conv(96, 3, 1, 0))),
        )
    ),
    "mixed5a": _branches((("conv", (Conv(192, 3, 2, 0),)), ("maxpool", (MAX_3x3_S2,)))),
    # Fig. 4: Inception-A, 35x35.
    "a": _branches(
        (
            ("branch0", (Conv(96, 1),)),
            ("branch1", (Conv(64, 1), Conv(96, 3))),
            ("branch2", (Conv(64, 1), Conv(96, 3), Conv(96, 3))),
            ("branch3", (AVG_3x3_EXCL, Conv(96, 1))),
        )
    ),
    "reduction_a": _reduction_a(192, 224, 256, 384),  # Table 1, Inception-v4
    # Fig. 5: Inception-B, 17x17.
    "b": _branches(
        (
            ("branch0", (Conv(384, 1),)),
            ("branch1", (Conv(192, 1), Conv(224, (1, 7)), Conv(256, (7, 1)))),
            ("branch2", (Conv(192, 1), Conv(192, (7, 1)), Conv(224, (1, 7)), Conv(224, (7, 1)), Conv(256, (1, 7)))),
            ("branch3", (AVG_3x3_EXCL, Conv(128, 1))),
        )
    ),
    # Fig. 8: Reduction-B of Inception-v4.
    "reduction_b": _branches(
        (
            ("branch0", (Conv(192, 1), Conv(192, 3, 2, 0))),
            ("branch1", (Conv(256, 1), Conv(256, (1, 7)), Conv(320, (7, 1)), Conv(320, 3, 2, 0))),
            ("branch2", (MAX_3x3_S2,)),
        )
    ),
    # Fig. 6: Inception-C, 8x8.
    "c": _branches(
        (
            ("branch0", (Conv(256, 1),)),
            ("branch1", (Conv(384, 1), _SPLIT_256)),
            ("branch2", (Conv(384, 1), Conv(448, (3, 1)), Conv(512, (1, 3)), _SPLIT_256)),
            ("branch3", (AVG_3x3_EXCL, Conv(256, 1))),
        )
    ),
}


def _v4_layers(options):
    # Fig. 9: stem, 4 x Inception-A, Reduction-A, 7 x Inception-B, Reduction-B, 3 x Inception-C.
    blocks = [
        _unit(Conv(32, 3, 2, 0)),
        _unit(Conv(32, 3, 1, 0)),
        _unit(Conv(64, 3, 1, 1)),
        V4_BLOCKS["mixed3a"],
        V4_BLOCKS["mixed4a"],
        V4_BLOCKS["mixed5a"],
    ]
    blocks += [V4_BLOCKS["a"]] * 4 + [V4_BLOCKS["reduction_a"]] + [V4_BLOCKS["b"]] * 7
    blocks += [V4_BLOCKS["reduction_b"]] + [V4_BLOCKS["c"]] * 3
    return tuple((f"features_{i}", block) for i, block in enumerate(blocks))


# ------------------------------------------------------------------------------ Inception-ResNet
@dataclasses.dataclass(frozen=True)
class ResNetRow:
    """One Inception-ResNet: stem, the three residual modules, reductions and block counts."""

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


RESNET_ROWS = {
    "inception_resnet_v1": ResNetRow(
        # Fig. 14: the Inception-ResNet-v1 stem, 299x299x3 -> 35x35x256.
        stem=(
            ("conv2d_1a", Conv(32, 3, 2, 0)),
            ("conv2d_2a", Conv(32, 3, 1, 0)),
            ("conv2d_2b", Conv(64, 3, 1, 1)),
            ("maxpool_3a", MAX_3x3_S2),
            ("conv2d_3b", Conv(80, 1)),
            ("conv2d_4a", Conv(192, 3, 1, 0)),
            ("conv2d_4b", Conv(256, 3, 2, 0)),
        ),
        block_a=(_b((32, 1)), _b((32, 1), (32, 3)), _b((32, 1), (32, 3), (32, 3))),  # Fig. 10
        block_b=(_b((128, 1)), _b((128, 1), (128, (1, 7)), (128, (7, 1)))),  # Fig. 11
        block_c=(_b((192, 1)), _b((192, 1), (192, (1, 3)), (192, (3, 1)))),  # Fig. 13
        reduction_a=(192, 192, 256, 384),  # Table 1
        reduction_b=((256, 384), (256, 256), (256, 256, 256)),  # Fig. 12
        repeats=(5, 10, 5),  # Fig. 15
        final_block8=False,
    ),
    "inception_resnet_v2": ResNetRow(
        # timm/TF-slim stem (not Fig. 3): the v3 stem, then mixed_5b, 35x35x320.
        stem=(
            ("conv2d_1a", Conv(32, 3, 2, 0)),
            ("conv2d_2a", Conv(32, 3, 1, 0)),
            ("conv2d_2b", Conv(64, 3, 1, 1)),
            ("maxpool_3a", MAX_3x3_S2),
            ("conv2d_3b", Conv(80, 1)),
            ("conv2d_4a", Conv(192, 3, 1, 0)),
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
    ),
}


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
    return _branches(tuple(branches) + (("branch3", (MAX_3x3_S2,)),))


def _resnet_layers(row: ResNetRow, options):
    scale_a, scale_b, scale_c = _residual_scales(options["scale"])
    entries = []
    for name, op in row.stem:
        entries.append((name, _branches(op) if isinstance(op, tuple) else _unit(op)))

    def indexed(branches):
        return tuple((f"branch{i}", ops) for i, ops in enumerate(branches))

    def repeat(prefix, branches, count, scale):
        return [(f"{prefix}_{i}", _residual(indexed(branches), scale)) for i in range(count)]

    n_a, n_b, n_c = row.repeats
    entries += repeat("repeat", row.block_a, n_a, scale_a)
    entries.append(("mixed_6a", _reduction_a(*row.reduction_a)))
    entries += repeat("repeat_1", row.block_b, n_b, scale_b)
    entries.append(("mixed_7a", _reduction_b_resnet(row.reduction_b)))
    entries += repeat("repeat_2", row.block_c, n_c, scale_c)
    if row.final_block8:
        entries.append(("block8", _residual(indexed(row.block_c), 1.0, activation=False)))
        entries.append(("conv2d_7b", _unit(Conv(1536, 1))))
    return tuple(entries)


# --------------------------------------------------------------------------------------- variants
@dataclasses.dataclass(frozen=True)
class Variant:
    """How one variant is built: its layer table, head name and auxiliary classifier taps."""

    layers: Callable  # options -> ((name, (x, name) -> x), ...)
    head: str
    aux: Callable | None = None  # (x, classes, name, options) -> logits
    aux_taps: tuple = ()  # (layer whose output feeds the classifier, classifier name)


VARIANTS = {
    "googlenet": Variant(_googlenet_layers, "fc", _googlenet_aux, (("inception4a", "aux1"), ("inception4d", "aux2"))),
    "inception_v2": Variant(_bn_inception_layers, "fc"),
    "inception_v3": Variant(_v3_layers, "fc", _v3_aux, (("Mixed_6e", "AuxLogits"),)),
    "inception_v4": Variant(_v4_layers, "last_linear"),
    "inception_resnet_v1": Variant(functools.partial(_resnet_layers, RESNET_ROWS["inception_resnet_v1"]), "classif"),
    "inception_resnet_v2": Variant(functools.partial(_resnet_layers, RESNET_ROWS["inception_resnet_v2"]), "classif"),
}


def _validate_options(spec, args):
    if args.options.get("aux_logits") not in (None, True, False):
        raise ValueError(f"aux_logits must be True or False; got {args.options['aux_logits']!r}")
    if args.options.get("aux_logits") and not args.include_top:
        raise ValueError(f"{spec.name}: aux_logits=True needs include_top=True (the auxiliary classifiers are heads)")


def _build(variant: Variant, spec, args):
    _validate_options(spec, args)
    table = variant.layers(args.options)  # raises on bad family options before any layer is made
    aux_logits = bool(args.options.get("aux_logits"))
    taps = {}

    def features(x):
        for name, layer in table:
            x = layer(x, name)
            taps[name] = x
        return x

    def aux_heads(classes):
        return [variant.aux(taps[tap], classes, name, args.options) for tap, name in variant.aux_taps]

    return assemble(
        spec,
        args,
        features,
        functools.partial(default_head, name=variant.head, dropout=args.options.get("dropout_rate", 0.0)),
        aux_heads if aux_logits else None,
        # GoogLeNet's adaptive 4x4 pool needs a known grid.
        fixed_size=aux_logits and variant.aux is _googlenet_aux,
    )


def aux_loss_weights(model, aux_weight: float = 0.3) -> list[float]:
    """Loss weights for `model.compile`: 1.0 for the main output, `aux_weight` for each auxiliary one.

    GoogLeNet (Szegedy et al. 2015, Sec. 5) adds the auxiliary losses with weight 0.3; torchvision's
    Inception-v3 recipe uses 0.4. Keras pairs a list of weights with a list of losses, one per output.

    Example:
        >>> import keras_classics
        >>> model = keras_classics.googlenet(aux_logits=True)
        >>> aux_loss_weights(model)
        [1.0, 0.3, 0.3]
        >>> model.compile("sgd", loss=["sparse_categorical_crossentropy"] * 3, loss_weights=aux_loss_weights(model))
    """
    return [1.0] + [float(aux_weight)] * (len(model.outputs) - 1)


_COMMON = dict(family="inception", mean=INCEPTION_MEAN, std=INCEPTION_STD)
_V4_PAPER = "Szegedy et al. 2017, Inception-v4, Inception-ResNet and the Impact of Residual Connections on Learning"
_SCALE_DOC = (
    "`scale` multiplies the residual of the A, B and C blocks (Sec. 3.3, 0.1-0.3; a float applies to all "
    "three; default (0.17, 0.1, 0.2) as timm/TF-slim)."
)

register_variant(
    "googlenet",
    functools.partial(_build, VARIANTS["googlenet"]),
    options={"aux_logits": False, "dropout_rate": 0.2, "aux_dropout_rate": 0.7},
    doc=(
        "GoogLeNet (Inception-v1) as torchvision 0.29.1: Table 1 of the paper with BatchNorm (eps 1e-3) "
        "after every conv and 3x3 convs in the '5x5' branches. `aux_logits=True` adds the two auxiliary "
        "classifiers on inception4a and inception4d as extra outputs `[logits, aux1, aux2]` (needs a fixed "
        "input size); compile with `loss=[loss] * 3, loss_weights=aux_loss_weights(model)` = [1.0, 0.3, 0.3]."
    ),
    paper="Szegedy et al. 2015, Going deeper with convolutions",
    reference="torchvision:googlenet",
    params=6624904,
    params_source=(
        "shared/reference/architectures.csv (torchvision googlenet, aux_logits=False; 13,004,888 with aux)"
    ),
    mmacs=1498.4,
    default_size=224,
    min_size=15,
    stages=("conv1_relu", "conv3_relu", "inception3b", "inception4e", "inception5b"),
    **_COMMON,
)

register_variant(
    "inception_v2",
    functools.partial(_build, VARIANTS["inception_v2"]),
    options={"dropout_rate": 0.0},
    doc=(
        "BN-Inception (Inception-v2), Ioffe & Szegedy 2015 Appendix Fig. 5: GoogLeNet's stem, BatchNorm "
        "(eps 1e-3) after every conv, each 5x5 as two 3x3, modules 3c and 4e reduce the grid with stride 2 "
        "and a pass-through max pool. No dropout (Sec. 4.2.1 removes it)."
    ),
    paper="Ioffe & Szegedy 2015, Batch Normalization: Accelerating Deep Network Training by Reducing Internal "
    "Covariate Shift",
    reference="paper:Ioffe & Szegedy 2015 Appendix Fig. 5",
    params=11285224,
    params_source=(
        "our count of Fig. 5 (no reference pins one): bias-free convs + BN gamma/beta, fc 1024 x 1000 + 1000; "
        "no auxiliary classifiers"
    ),
    default_size=224,
    min_size=7,
    stages=("conv1_relu", "conv3_relu", "inception3b", "inception4d", "inception5b"),
    **_COMMON,
)

register_variant(
    "inception_v3",
    functools.partial(_build, VARIANTS["inception_v3"]),
    options={"aux_logits": False, "dropout_rate": 0.5},
    doc=(
        "Inception-v3 as torchvision 0.29.1 (Table 1; Figs. 5, 6, 7 and 10 of the paper; BN eps 1e-3). "
        "`aux_logits=True` adds the auxiliary classifier on Mixed_6e as a second output (inputs >= 299). "
        "Label smoothing (Sec. 7) is a loss option."
    ),
    paper="Szegedy et al. 2016, Rethinking the Inception Architecture for Computer Vision",
    reference="torchvision:inception_v3",
    params=23834568,
    params_source=(
        "shared/reference/architectures.csv (torchvision inception_v3, aux_logits=False; 27,161,264 with aux)"
    ),
    mmacs=5713.2,
    default_size=299,
    min_size=75,
    stages=("Conv2d_2b_3x3_relu", "Conv2d_4a_3x3_relu", "Mixed_5d", "Mixed_6e", "Mixed_7c"),
    **_COMMON,
)

register_variant(
    "inception_v4",
    functools.partial(_build, VARIANTS["inception_v4"]),
    options={"dropout_rate": 0.2},
    doc=(
        "Inception-v4 as timm 1.0.31 (Fig. 9: stem of Fig. 3, 4 x Inception-A, Reduction-A, 7 x Inception-B, "
        "Reduction-B, 3 x Inception-C; BN eps 1e-3). Dropout 0.2 before the classifier (Fig. 9, keep 0.8; "
        "timm's default is 0)."
    ),
    paper=_V4_PAPER,
    reference="timm:inception_v4",
    params=42679816,
    params_source="shared/reference/architectures.csv (timm 1.0.31 inception_v4)",
    mmacs=12254.0,
    default_size=299,
    min_size=75,
    stages=("features_2_relu", "features_3", "features_9", "features_17", "features_21"),
    **_COMMON,
)

register_variant(
    "inception_resnet_v1",
    functools.partial(_build, VARIANTS["inception_resnet_v1"]),
    options={"dropout_rate": 0.2, "scale": (0.17, 0.1, 0.2)},
    doc=(
        "Inception-ResNet-v1 per the paper's figures: stem of Fig. 14, 5 x Inception-ResNet-A (Fig. 10), "
        "Reduction-A (Fig. 7, k=192 l=192 m=256 n=384), 10 x Inception-ResNet-B (Fig. 11), Reduction-B "
        "(Fig. 12), 5 x Inception-ResNet-C (Fig. 13), average pool, dropout 0.2 (keep 0.8), classifier. "
        "BN (eps 1e-3) on the conv layers only, not on the summations. Names follow timm's "
        "inception_resnet_v2. " + _SCALE_DOC
    ),
    paper=_V4_PAPER,
    reference="paper:Szegedy et al. 2017 Figs. 7, 10-15 and Table 1",
    params=22756328,
    params_source=(
        "our count of Figs. 7, 10-15 and Table 1 (no reference pins one): bias-free convs + BN gamma/beta, "
        "biased 1x1 residual projections, classifier 1792 x 1000 + 1000"
    ),
    default_size=299,
    min_size=75,
    stages=("conv2d_2b_relu", "conv2d_4a_relu", "repeat_4", "repeat_1_9", "repeat_2_4"),
    **_COMMON,
)

register_variant(
    "inception_resnet_v2",
    functools.partial(_build, VARIANTS["inception_resnet_v2"]),
    options={"dropout_rate": 0.2, "scale": (0.17, 0.1, 0.2)},
    doc=(
        "Inception-ResNet-v2 as timm 1.0.31 / TF-slim: v3-style stem and mixed_5b, 10 x Block35 (Fig. 16), "
        "Reduction-A (k=256 l=256 m=384 n=384), 20 x Block17 (Fig. 17), Reduction-B (Fig. 18), "
        "9 x Block8 (Fig. 19) and a final unscaled Block8 without ReLU, 1x1 conv to 1536, dropout 0.2 "
        "(keep 0.8; timm's default is 0), classifier `classif`. " + _SCALE_DOC
    ),
    paper=_V4_PAPER,
    reference="timm:inception_resnet_v2",
    params=55843464,
    params_source="shared/reference/architectures.csv (timm 1.0.31 inception_resnet_v2)",
    mmacs=13155.8,
    default_size=299,
    min_size=75,
    stages=("conv2d_2b_relu", "conv2d_4a_relu", "repeat_9", "repeat_1_19", "conv2d_7b_relu"),
    **_COMMON,
)
