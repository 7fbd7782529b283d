"""Wide Residual Networks for CIFAR (Zagoruyko & Komodakis 2016, "Wide Residual Networks", BMVC), Table 1.

WRN-d-k: a 16-channel 3x3 stem conv, three groups of n = (d - 4) / 6 pre-activation blocks of widths 16k,
32k and 64k (strides 1, 2, 2), then BN-ReLU, global average pooling and a dense layer; 32x32 inputs and
10 classes. Each block is BN-ReLU-conv3x3 / BN-ReLU-dropout-conv3x3 (the paper's "wide-dropout" block,
Fig. 1d, dropout 0.3 in Sec. 3), with a 1x1 conv shortcut where the shape changes; convs carry no bias,
as in the authors' code. No code reference exists in torchvision or timm, so the layers are named
`stem_*`, `stage{i}_block{j}_*` and `head_*`. The paper's fixed 8x8 average pool is a global one here,
which is the same at 32x32 and lets other sizes run. The `attention` option ("se", "eca", "cbam") adds
that module to every block's residual branch, as the attention papers do for ResNets.
"""

from __future__ import annotations

import dataclasses
import functools

from keras import layers

from keras_classics.blocks.attention import check_attention
from keras_classics.blocks.conv import batch_norm, conv2d
from keras_classics.blocks.residual import apply_preact_block
from keras_classics.models.builder import assemble, default_head
from keras_classics.models.variant_table import VariantRow, register_family

PAPER = "Zagoruyko & Komodakis 2016, Wide Residual Networks (BMVC)"
CSV = "shared/reference/architectures.csv"

# The CIFAR-10 normalization of the authors' code (pixel mean/std in [0, 255]).
CIFAR_MEAN = tuple(v / 255.0 for v in (125.3, 123.0, 113.9))
CIFAR_STD = tuple(v / 255.0 for v in (63.0, 62.1, 66.7))

# Padded 3x3 convs and a strided 1x1 shortcut (no size loss) and a global pool: every side works.
MIN_SIZE = 1


@dataclasses.dataclass(frozen=True)
class WideResNetRow(VariantRow):
    depth: int  # d: 6n + 4 conv layers
    width: int  # k: widening factor


# Table 1 / Table 4 of the paper.
VARIANTS = (
    WideResNetRow(28, 10, name="wrn_28_10", params=36479194, params_source=f"{CSV} (WRN-28-10)"),
    WideResNetRow(16, 8, name="wrn_16_8", params=10961370, params_source=f"{CSV}, notes of wrn_28_10 (WRN-16-8)"),
    WideResNetRow(40, 4, name="wrn_40_4", params=8949210, params_source=f"{CSV}, notes of wrn_28_10 (WRN-40-4)"),
)


def _blocks_per_stage(depth):
    return (depth - 4) // 6


def _features(x, row: WideResNetRow, dropout_rate: float, attention):
    x = conv2d(x, 16, 3, name="stem_conv")
    for stage, (filters, strides) in enumerate(zip((16, 32, 64), (1, 2, 2)), start=1):
        for block in range(1, _blocks_per_stage(row.depth) + 1):
            x = apply_preact_block(
                x,
                filters * row.width,
                strides if block == 1 else 1,
                dropout_rate=dropout_rate,
                attention=attention,
                name=f"stage{stage}_block{block}",
            )
    # The blocks are pre-activation, so the last feature map is the one after this final BN-ReLU.
    x = batch_norm(x, name="head_bn")
    return layers.ReLU(name="head_relu")(x)


def _build(row: WideResNetRow, spec, args):
    features = functools.partial(
        _features, row=row, dropout_rate=float(args.dropout_rate), attention=check_attention(args.attention)
    )
    return assemble(spec, args, features, functools.partial(default_head, name="head_fc"))


def _doc(row: WideResNetRow):
    return (
        f"WRN-{row.depth}-{row.width} for 32x32 CIFAR images: {_blocks_per_stage(row.depth)} wide-dropout blocks "
        f"per group, widths {16 * row.width}/{32 * row.width}/{64 * row.width} (Zagoruyko & Komodakis 2016)."
    )


def _stages(row: WideResNetRow):
    n = _blocks_per_stage(row.depth)
    return (f"stage1_block{n}_add", f"stage2_block{n}_add", "head_relu")


register_family(
    VARIANTS,
    _build,
    options={"dropout_rate": 0.3, "attention": None},
    doc=_doc,
    family="wide_resnet",
    head_modules=("head_fc",),  # head_bn and head_relu end the features
    paper=PAPER,
    reference="paper:Zagoruyko & Komodakis 2016 Table 1",
    default_size=32,
    min_size=MIN_SIZE,
    classes=10,
    mean=CIFAR_MEAN,
    std=CIFAR_STD,
    stages=_stages,
)
