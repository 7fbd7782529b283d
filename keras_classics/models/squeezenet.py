"""SqueezeNet (Iandola, Han, Moskewicz, Ashraf, Dally & Keutzer 2016, "SqueezeNet: AlexNet-level accuracy
with 50x fewer parameters and <0.5MB model size").

SqueezeNet 1.0 is the paper's Table 1; 1.1 is the cheaper variant of the authors' repository (3x3 stem of
64 filters, pools moved earlier) as in torchvision. A Fire module squeezes with 1x1 convolutions, then
expands with parallel 1x1 and 3x3 convolutions whose outputs are concatenated; every convolution has a bias
and a ReLU; there is no BatchNorm. The classifier is dropout, a 1x1 convolution to `classes` maps, ReLU
and global average pooling (no dense layer). Section 6 / Table 3 adds bypass connections to 1.0: a
"simple bypass" is an identity shortcut around fire3, fire5, fire7 and fire9 (the Fire modules whose input
and output widths match); a "complex bypass" also gives fire2, fire4, fire6 and fire8 a 1x1 convolution
shortcut that projects to their output width.

Layer names mirror torchvision's `squeezenet.py` (`features.3.squeeze` -> `features_3_squeeze`,
final convolution `classifier_1`). The bypass projections, which have no reference, are
`features_<i>_bypass`.
"""

import functools

from keras import layers

from keras_classics.blocks.conv import activation, conv2d
from keras_classics.blocks.pooling import max_pool2d
from keras_classics.models.builder import assemble, register_variant

PAPER = "Iandola et al. 2016, SqueezeNet: AlexNet-level accuracy with 50x fewer parameters and <0.5MB model size"

# (stem filters, stem kernel, body). In the body a pair is a Fire module (squeeze 1x1 filters, filters of
# each expand branch) and "M" is a 3x3/2 ceil-mode max-pool; torchvision's `features` indices continue
# after conv (0), ReLU (1) and pool (2), so the body starts at index 3.
V1_0 = (96, 7, ((16, 64), (16, 64), (32, 128), "M", (32, 128), (48, 192), (48, 192), (64, 256), "M", (64, 256)))
V1_1 = (64, 3, ((16, 64), (16, 64), "M", (32, 128), (32, 128), "M", (48, 192), (48, 192), (64, 256), (64, 256)))


def _ceil_max_pool(x, name):
    # torch `MaxPool2d(3, 2, ceil_mode=True)`; the input can be negative (the complex bypass's linear
    # projections), so the exact -inf form, not zero padding.
    return max_pool2d(x, 3, 2, ceil_mode=True, name=name)


def fire(x, squeeze, expand, bypass, name):
    """A Fire module; `bypass` is None, "simple" (identity when widths match) or "complex" (also a 1x1
    projection when they differ)."""
    y = conv2d(x, squeeze, 1, use_bias=True, name=f"{name}_squeeze")
    y = activation(y, "relu", name=f"{name}_squeeze_activation")
    branches = []
    for kernel in (1, 3):
        branch = conv2d(y, expand, kernel, use_bias=True, name=f"{name}_expand{kernel}x{kernel}")
        branches.append(activation(branch, "relu", name=f"{name}_expand{kernel}x{kernel}_activation"))
    # The module's output layer is named `name` (concat, or the add of a shortcut): stable stage names.
    if x.shape[-1] == 2 * expand and bypass in ("simple", "complex"):
        shortcut = x
    elif bypass == "complex":
        shortcut = conv2d(x, 2 * expand, 1, use_bias=True, name=f"{name}_bypass")
    else:
        return layers.Concatenate(name=name)(branches)
    return layers.Add(name=name)([layers.Concatenate(name=f"{name}_concat")(branches), shortcut])


def _features(x, row, bypass):
    stem_filters, stem_kernel, body = row
    x = conv2d(x, stem_filters, stem_kernel, strides=2, padding=0, use_bias=True, name="features_0")
    x = activation(x, "relu", name="features_1")
    x = _ceil_max_pool(x, name="features_2")
    for index, item in enumerate(body, start=3):
        if item == "M":
            x = _ceil_max_pool(x, name=f"features_{index}")
        else:
            x = fire(x, *item, bypass=bypass, name=f"features_{index}")
    return x


def _head(x, classes, dropout_rate):
    x = layers.Dropout(dropout_rate, name="classifier_0")(x)
    x = conv2d(x, classes, 1, use_bias=True, name="classifier_1")
    x = activation(x, "relu", name="classifier_2")
    return layers.GlobalAveragePooling2D(name="classifier_3")(x)


def _build(row, bypass, spec, args):
    features = functools.partial(_features, row=row, bypass=bypass)
    return assemble(spec, args, features, functools.partial(_head, dropout_rate=args.dropout_rate))


_CSV = "shared/reference/architectures.csv"
# Complex bypass projections (1x1 conv with bias) on fire2/4/6/8: 96->128, 128->256, 256->384, 384->512.
_PROJECTIONS = sum(cin * cout + cout for cin, cout in ((96, 128), (128, 256), (256, 384), (384, 512)))

# name: (row, bypass, reference, params, params_source, mmacs, min_size, doc)
VARIANTS = {
    "squeezenet1_0": (
        V1_0, None, "torchvision:squeezenet1_0", 1248424, f"{_CSV} (torchvision 0.29.1)", 818.9, 21,
        "SqueezeNet 1.0 (Iandola et al. 2016, Table 1): 7x7/2 stem of 96 filters and eight Fire modules.",
    ),
    "squeezenet1_1": (
        V1_1, None, "torchvision:squeezenet1_1", 1235496, f"{_CSV} (torchvision 0.29.1)", 349.2, 17,
        "SqueezeNet 1.1 (the authors' repository): 3x3/2 stem of 64 filters and earlier pooling, "
        "2.4x cheaper than 1.0 at the same accuracy.",
    ),
    "squeezenet1_0_bypass": (
        V1_0, "simple", "paper:Table 3 / Figure 2 (simple bypass)", 1248424,
        f"{_CSV} (identity shortcuts add no parameters to squeezenet1_0)", None, 21,
        "SqueezeNet 1.0 with simple bypass (Iandola et al. 2016, Section 6, Figure 2 middle): identity "
        "shortcuts around fire3, fire5, fire7 and fire9.",
    ),
    "squeezenet1_0_complex_bypass": (
        V1_0, "complex", "paper:Table 3 / Figure 2 (complex bypass)", 1248424 + _PROJECTIONS,
        "derived: squeezenet1_0's 1,248,424 + 1x1 projections with bias on fire2/4/6/8 "
        "(96*128+128 + 128*256+256 + 256*384+384 + 384*512+512 = 341,248)",
        None, 21,
        "SqueezeNet 1.0 with complex bypass (Iandola et al. 2016, Section 6, Figure 2 right): the simple "
        "bypass plus 1x1 convolution shortcuts around fire2, fire4, fire6 and fire8.",
    ),
}
# Feature stages: the last layer at each resolution (stem ReLU, then the Fire module before each pool).
_STAGES = {
    V1_0: ("features_1", "features_5", "features_10", "features_12"),
    V1_1: ("features_1", "features_4", "features_7", "features_12"),
}

for _name, (_row, _bypass, _reference, _params, _source, _mmacs, _min, _doc) in VARIANTS.items():
    register_variant(
        _name,
        functools.partial(_build, _row, _bypass),
        options={"dropout_rate": 0.5},
        doc=_doc + " `dropout_rate` is the dropout before the final 1x1 convolution.",
        family="squeezenet",
        head_modules=("classifier",),
        paper=PAPER,
        reference=_reference,
        params=_params,
        params_source=_source,
        mmacs=_mmacs,
        default_size=224,
        min_size=_min,  # the last ceil-mode pool needs a 2x2 input: 21 (1.0) / 17 (1.1), as torchvision
        stages=_STAGES[_row],
    )
