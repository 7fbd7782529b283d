"""What the Inception papers' networks share: table entries, the pools they use, their row and one build function.

Every Inception network here is a table `((name, entry), ...)` whose entries map `(x, name) -> x`: a
conv-BN-ReLU unit, a pool, or a module of branches (`keras_classics.blocks.inception`). Each variant is an
`InceptionRow` (its layer table, head and auxiliary classifier taps); `build` runs the row's table, adds the
auxiliary classifiers it taps, and assembles the model. The networks themselves live one paper per module:
`googlenet` (Szegedy et al. 2015), `bn_inception` (Ioffe & Szegedy 2015), `inception_v3` (Szegedy et al.
2016) and `inception_v4` (Szegedy et al. 2017: v4, Inception-ResNet-v1/v2); each registers its table with
`register_family(VARIANTS, build, ..., **INCEPTION_FACTS)`, so all are family "inception". This module
registers nothing.

The references' weights expect inputs scaled to [-1, 1] (torchvision's `transform_input` is dropped:
apply `include_preprocessing=True` or normalize with mean = std = 0.5).
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Callable

from keras_classics.blocks.inception import (
    Conv,
    Pool,
    conv_unit,
    inception_branches,
    inception_module,
    inception_resnet_block,
    pool2d,
)
from keras_classics.models.builder import assemble, default_head
from keras_classics.models.variant_table import VariantRow
from keras_classics.torch_compat import INCEPTION_MEAN, INCEPTION_STD

MAX_3x3_S2 = Pool("max", 3, 2)  # "3x3 max pool, stride 2, valid" of v3/v4/Inception-ResNet
CEIL_MAX_3x3_S2 = Pool("max", 3, 2, ceil_mode=True)  # torchvision GoogLeNet: MaxPool2d(3, 2, ceil_mode=True)
AVG_3x3 = Pool("avg", 3, 1, 1)  # torchvision v3: F.avg_pool2d(3, 1, 1), zero padding counted
AVG_3x3_EXCL = Pool("avg", 3, 1, 1, count_include_pad=False)  # timm: AvgPool2d(..., count_include_pad=False)


def unit(op):
    """A conv-BN-ReLU unit or a pool as a table entry `(x, name) -> x`."""
    return lambda x, name: conv_unit(x, op, name) if isinstance(op, Conv) else pool2d(x, op, name)


def concat_branches(table, style="sequential"):
    """A module of parallel branches `((name, ops), ...)`, concatenated, as a table entry."""
    return lambda x, name: inception_branches(x, table, name, style)


def classic(row, pool_kind="max", strides=1):
    """A GoogLeNet / BN-Inception module from its table row, as a table entry."""
    return lambda x, name: inception_module(x, row, name, pool_kind, strides)


def residual(table, scale, activation=True):
    """An Inception-ResNet block (branches, 1x1 projection, scaled sum) as a table entry."""
    return lambda x, name: inception_resnet_block(x, table, name, scale, activation)


@dataclasses.dataclass(frozen=True)
class InceptionRow(VariantRow):
    """How one variant is built: its layer table, head name and auxiliary classifier taps."""

    layers: Callable  # BuildArgs -> ((name, (x, name) -> x), ...)
    head: str
    aux: Callable | None = None  # (x, classes, name, BuildArgs) -> logits
    aux_taps: tuple = ()  # (layer whose output feeds the classifier, classifier name)
    aux_fixed_size: bool = False  # the auxiliary classifier needs a known grid (GoogLeNet's adaptive pool)


def declared_heads(row: InceptionRow) -> tuple:
    """The `head_modules` that tell the weights importer which module is the classifier."""
    return (row.head,)


def declared_aux(row: InceptionRow) -> tuple:
    """The `aux_modules` that tell the weights importer which modules are auxiliary classifiers.

    Example:
        >>> from keras_classics.models.inception_v3 import VARIANTS
        >>> [declared_aux(row) for row in VARIANTS]
        [('AuxLogits',)]
    """
    return tuple(name for _, name in row.aux_taps)


# The `register_family` facts every Inception module's table shares.
INCEPTION_FACTS = dict(
    family="inception",
    mean=INCEPTION_MEAN,
    std=INCEPTION_STD,
    head_modules=declared_heads,
    aux_modules=declared_aux,
)


def _validate_options(spec, args):
    aux_logits = getattr(args, "aux_logits", False)  # an option of the variants with auxiliary classifiers
    if aux_logits not in (True, False):
        raise ValueError(f"aux_logits must be True or False; got {aux_logits!r}")
    if aux_logits and not args.include_top:
        raise ValueError(f"{spec.name}: aux_logits=True needs include_top=True (the auxiliary classifiers are heads)")


def build(row: InceptionRow, spec, args):
    """The build function of every Inception variant (`register_family` binds its `row`)."""
    _validate_options(spec, args)
    table = row.layers(args)  # raises on bad family options before any layer is made
    aux_logits = getattr(args, "aux_logits", False)
    taps = {}

    def features(x):
        for name, layer in table:
            x = layer(x, name)
            taps[name] = x
        return x

    def aux_heads(classes):
        return [row.aux(taps[tap], classes, name, args) for tap, name in row.aux_taps]

    return assemble(
        spec,
        args,
        features,
        functools.partial(default_head, name=row.head, dropout=args.dropout_rate),
        aux_heads if aux_logits else None,
        fixed_size=aux_logits and row.aux_fixed_size,
    )
