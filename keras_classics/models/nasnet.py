"""NASNet-A (Zoph et al. 2018, "Learning Transferable Architectures for Scalable Image Recognition", CVPR).

The cells a reinforcement-learning controller found on CIFAR-10, stacked for ImageNet (the paper's Figure 2,
right): a 3x3/2 stem convolution, two reduction cells ("stem cells"), then three stages of N normal cells
with a reduction cell between them; every cell reads the outputs of the two cells before it (`x` and `prev`).
Figure 4 gives the two cells: five combinations each of two operations (separable convolutions, pools,
identity) whose sums are concatenated. "NASNet-A N @ P" has N cells per stage and P channels in the last
feature map (24 x the filters of the first stage); widths double at each reduction (filter multiplier 2).

- `nasnet_large`: NASNet-A 6 @ 4032 at 331x331 (Table 2), built as timm 1.0's `nasnetalarge` (the TF-slim
  weights, ported): the same layer names (`cell_0_comb_iter_0_left_separable_1_depthwise_conv2d` is timm's
  `cell_0.comb_iter_0_left.separable_1.depthwise_conv2d`), TensorFlow "SAME" padding for the strided
  operations (max-pools ignore the padded cells; timm's strided average pools count them as zeros).
- `nasnet_mobile`: NASNet-A 4 @ 1056 at 224x224 (Table 3), built as keras.applications' `NASNetMobile` (no
  torchvision or timm model exists): the cell after a reduction reads the reduction's input as its `prev`
  (keras.applications' `skip_reduction=False`; Large skips it and reads the cell before), the strided
  max-pools pad with zeros, and BatchNorm uses TF-slim's momentum 0.9997. Layer names follow timm's scheme.

Each separable-convolution branch is ReLU, separable conv, BN, ReLU, separable conv, BN (the first one
strided in a reduction), a separable convolution being a depthwise and a 1x1 convolution with no bias, kept
as two layers so that weights map one to one. The zero padding of the strided pools depends on the input
size, so the input size is fixed when the model is built (as keras.applications' NASNet assumes it).
"""

from __future__ import annotations

import dataclasses
import functools
from typing import NamedTuple

from keras import layers

from keras_classics.blocks.conv import activation, batch_norm, conv2d, depthwise_conv2d
from keras_classics.models.builder import assemble
from keras_classics.models.variant_table import VariantRow, register_family
from keras_classics.torch_compat import INCEPTION_MEAN, INCEPTION_STD, TF_BN_EPSILON

FILTER_MULTIPLIER = 2  # widths double at each reduction (keras.applications' `filter_multiplier`)


class Operation(NamedTuple):
    """One of a combination's two inputs: `kind` ("sep", "avg", "max" or "identity") applied to `source`."""

    kind: str
    source: str  # "h" (the cell's input), "p" (the previous cell's), or "comb<i>" (an earlier combination)
    kernel: int = 0
    strides: int = 1


def _op(text: str) -> Operation:
    """"sep5x5/2(h)" -> Operation("sep", "h", 5, 2); "identity(p)" -> Operation("identity", "p")."""
    head, source = text.rstrip(")").split("(")
    if head == "identity":
        return Operation("identity", source)
    kind, rest = head[:3], head[3:]
    size, _, strides = rest.partition("/")
    return Operation(kind, source, int(size.split("x")[0]), int(strides or 1))


def _cell(*pairs: tuple[str, str]) -> tuple[tuple[Operation, Operation], ...]:
    return tuple((_op(left), _op(right)) for left, right in pairs)


# Figure 4: each combination is (left, right), summed; the cell's output concatenates `*_OUTPUTS` in order.
NORMAL_CELL = _cell(
    ("sep5x5(h)", "sep3x3(p)"),
    ("sep5x5(p)", "sep3x3(p)"),
    ("avg3x3(h)", "identity(p)"),
    ("avg3x3(p)", "avg3x3(p)"),
    ("sep3x3(h)", "identity(h)"),
)
REDUCTION_CELL = _cell(
    ("sep5x5/2(h)", "sep7x7/2(p)"),
    ("max3x3/2(h)", "sep7x7/2(p)"),
    ("avg3x3/2(h)", "sep5x5/2(p)"),
    ("identity(comb1)", "avg3x3(comb0)"),
    ("sep3x3(comb0)", "max3x3/2(h)"),
)
NORMAL_OUTPUTS = ("p", "comb0", "comb1", "comb2", "comb3", "comb4")
REDUCTION_OUTPUTS = ("comb1", "comb2", "comb3", "comb4")


@dataclasses.dataclass(frozen=True)
class NASNetRow(VariantRow):
    """One variant: "NASNet-A `cells` @ `penultimate_filters`" and the conventions of its reference."""

    cells: int  # N: normal cells per stage
    penultimate_filters: int  # P: channels of the last feature map, 24 x the first stage's filters
    stem_filters: int  # the 3x3/2 stem convolution
    skip_reduction: bool  # the cell after a reduction reads the cell before the reduction's input
    zero_padded_max_pools: bool  # keras.applications' strided max-pools pad with zeros (TF-slim: ignored)
    bn_momentum: float  # Keras' convention (1 - PyTorch's momentum)


# fmt: off
VARIANTS = (
    NASNetRow(6, 4032, 96, True, False, 0.9, name="nasnet_large", reference="timm:nasnetalarge", params=88753150,
              params_source="shared/reference/architectures.csv (timm 1.0.31 nasnetalarge)", mmacs=23783.4,
              default_size=331),
    # MACs by `analysis.count_macs` (the csv pins none): the paper's Table 3 gives 564M mult-adds
    NASNetRow(4, 1056, 32, False, True, 0.9997, name="nasnet_mobile", reference="keras.applications:NASNetMobile",
              params=5289978, params_source="shared/reference/architectures.csv (keras.applications NASNetMobile "
              "trainable; paper Table 3: 5.3M)", mmacs=563.6, default_size=224),
)
# fmt: on


def _tf_same_zero_padding(x, kernel: int, strides: int, name: str):
    """Zero padding in TensorFlow's "SAME" amounts (the extra cell at the bottom/right), for an operation that
    then runs with "valid" padding and so sees the zeros (an average pool counting them, a max-pool over them)."""
    pads = []
    for size in x.shape[1:3]:
        total = max((-(-size // strides) - 1) * strides + kernel - size, 0)
        pads.append((total // 2, total - total // 2))
    return layers.ZeroPadding2D(tuple(pads), name=f"{name}_pad")(x)


def _pool(x, op: Operation, row: NASNetRow, name: str):
    pool = layers.MaxPooling2D if op.kind == "max" else layers.AveragePooling2D
    if op.strides == 1:  # symmetric padding left out of the average: Keras' "same" is PyTorch's count_include_pad=False
        return pool(op.kernel, 1, padding="same", name=name)(x)
    if op.kind == "max" and not row.zero_padded_max_pools:
        return pool(op.kernel, op.strides, padding="same", name=name)(x)
    x = _tf_same_zero_padding(x, op.kernel, op.strides, name)
    return pool(op.kernel, op.strides, padding="valid", name=name)(x)


def _bn(x, row: NASNetRow, name: str):
    return batch_norm(x, name=name, epsilon=TF_BN_EPSILON, momentum=row.bn_momentum)


def separable_branch(x, filters: int, kernel: int, strides: int, row: NASNetRow, name: str):
    """timm's `BranchSeparables`: (ReLU, depthwise, pointwise, BN) twice, the first depthwise strided."""
    for i, stride in ((1, strides), (2, 1)):
        x = activation(x, "relu", name=f"{name}_act_{i}")
        x = depthwise_conv2d(x, kernel, stride, padding="same", name=f"{name}_separable_{i}_depthwise_conv2d")
        x = conv2d(x, filters, 1, name=f"{name}_separable_{i}_pointwise_conv2d")
        x = _bn(x, row, f"{name}_bn_sep_{i}")
    return x


def relu_conv_bn(x, filters: int, row: NASNetRow, name: str):
    """timm's `ActConvBn` with a 1x1 convolution: the projection a cell applies to each input."""
    x = activation(x, "relu", name=f"{name}_act")
    x = conv2d(x, filters, 1, name=f"{name}_conv")
    return _bn(x, row, f"{name}_bn")


def factorized_reduction(x, filters: int, row: NASNetRow, name: str):
    """Halves `prev` to the cell's size (keras.applications' `_adjust_block`, timm's `path_1`/`path_2`): two
    1x1 convolutions of half the filters on the even and the odd (shifted by one) pixels, concatenated, BN."""
    x = activation(x, "relu", name=f"{name}_act")
    path_1 = layers.AveragePooling2D(1, 2, name=f"{name}_path_1_avgpool")(x)
    path_1 = conv2d(path_1, filters // 2, 1, name=f"{name}_path_1_conv")
    # timm's ZeroPad2d((-1, 1, -1, 1)): drop the first row and column, add zeros after the last ones
    path_2 = layers.Cropping2D(((1, 0), (1, 0)), name=f"{name}_path_2_crop")(x)
    path_2 = layers.ZeroPadding2D(((0, 1), (0, 1)), name=f"{name}_path_2_pad")(path_2)
    path_2 = layers.AveragePooling2D(1, 2, name=f"{name}_path_2_avgpool")(path_2)
    path_2 = conv2d(path_2, filters // 2, 1, name=f"{name}_path_2_conv")
    x = layers.Concatenate(name=f"{name}_path_concat")([path_1, path_2])
    return _bn(x, row, f"{name}_final_path_bn")


def _operation(op: Operation, tensors: dict, filters: int, row: NASNetRow, name: str):
    x = tensors[op.source]
    if op.kind == "identity":
        return x
    if op.kind == "sep":
        return separable_branch(x, filters, op.kernel, op.strides, row, name)
    return _pool(x, op, row, name)


def nasnet_cell(x, prev, filters: int, reduction: bool, row: NASNetRow, name: str):
    """One normal or reduction cell (Figure 4) on the current input `x` and the previous cell's `prev`.

    `prev` is brought to `filters` channels at `x`'s size first: a factorized reduction when it is twice as
    large, else a ReLU-1x1-BN projection; with `prev=None` (the first stem cell) `x` itself, unprojected,
    feeds the `p` branches, whose separable convolutions then change its width.
    """
    h = relu_conv_bn(x, filters, row, f"{name}_conv_1x1")
    if prev is None:
        p = x
    elif prev.shape[1] != x.shape[1]:
        p = factorized_reduction(prev, filters, row, name)
    else:
        p = relu_conv_bn(prev, filters, row, f"{name}_conv_prev_1x1")
    tensors = {"h": h, "p": p}
    for i, pair in enumerate(REDUCTION_CELL if reduction else NORMAL_CELL):
        left, right = (
            _operation(op, tensors, filters, row, f"{name}_comb_iter_{i}_{side}")
            for op, side in zip(pair, ("left", "right"))
        )
        tensors[f"comb{i}"] = layers.Add(name=f"{name}_comb_iter_{i}")([left, right])
    outputs = REDUCTION_OUTPUTS if reduction else NORMAL_OUTPUTS
    return layers.Concatenate(name=f"{name}_concat")([tensors[key] for key in outputs])


def _features(x, row: NASNetRow):
    filters = row.penultimate_filters // 24
    x = conv2d(x, row.stem_filters, 3, strides=2, padding=0, name="conv0_conv")
    stem = _bn(x, row, "conv0_bn")
    stem_0 = nasnet_cell(stem, None, filters // FILTER_MULTIPLIER**2, True, row, "cell_stem_0")
    x = nasnet_cell(stem_0, stem, filters // FILTER_MULTIPLIER, True, row, "cell_stem_1")
    prev = stem_0
    cell = 0
    for stage in range(3):
        width = filters * FILTER_MULTIPLIER**stage
        if stage:
            reduced = nasnet_cell(x, prev, width, True, row, f"reduction_cell_{stage - 1}")
            prev, x = (prev if row.skip_reduction else x), reduced
        for _ in range(row.cells):
            prev, x = x, nasnet_cell(x, prev, width, False, row, f"cell_{cell}")
            cell += 1
    return activation(x, "relu", name="act")


def _head(x, classes, dropout_rate):
    x = layers.GlobalAveragePooling2D(name="global_pool")(x)
    if dropout_rate:
        x = layers.Dropout(dropout_rate, name="head_drop")(x)
    return layers.Dense(classes, name="last_linear")(x)


def _build(row, spec, args):
    head = functools.partial(_head, dropout_rate=args.dropout_rate)
    return assemble(spec, args, lambda x: _features(x, row), head, fixed_size=True)


def _doc(row: NASNetRow):
    return (
        f"NASNet-A {row.cells} @ {row.penultimate_filters} (Zoph et al. 2018): a 3x3/2 stem, two reduction "
        f"cells, then three stages of {row.cells} normal cells with reduction cells between them, at "
        f"{row.default_size}x{row.default_size}. `dropout_rate` is the dropout before the classifier "
        "(timm's `drop_rate`; the paper trains with 0.5)."
    )


register_family(
    VARIANTS,
    _build,
    options={"dropout_rate": 0.0},
    doc=_doc,
    family="nasnet",
    head_modules=("last_linear",),
    paper="Zoph et al. 2018, Learning Transferable Architectures for Scalable Image Recognition (CVPR)",
    min_size=32,  # keras.applications' limit: the 3x3/2 stem and four halvings leave 1x1
    mean=INCEPTION_MEAN,
    std=INCEPTION_STD,
    # timm's feature taps: the stem; the ReLU that starts the cell after each stage (strides 4, 8, 16); the
    # final ReLU (32)
    stages=(
        "conv0_bn",
        "cell_stem_1_conv_1x1_act",
        "reduction_cell_0_conv_1x1_act",
        "reduction_cell_1_conv_1x1_act",
        "act",
    ),
)
