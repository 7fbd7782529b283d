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

import dataclasses
import functools

from keras import layers

from keras_classics.blocks.conv import activation, conv2d
from keras_classics.blocks.pooling import max_pool2d
from keras_classics.models.builder import assemble
from keras_classics.models.variant_table import VariantRow, register_family

PAPER = "Iandola et al. 2016, SqueezeNet: AlexNet-level accuracy with 50x fewer parameters and <0.5MB model size"

# (stem filters, stem kernel, body). In the body a pair is a Fire module (squeeze 1x1 filters, filters of
# each expand branch) and "M" is a 3x3/2 ceil-mode max-pool; torchvision's `features` indices continue
# after conv (0), ReLU (1) and pool (2), so the body starts at index 3.
V1_0 = (96, 7, ((16, 64), (16, 64), (32, 128), "M", (32, 128), (48, 192), (48, 192), (64, 256), "M", (64, 256)))
V1_1 = (64, 3, ((16, 64), (16, 64), "M", (32, 128), (32, 128), "M", (48, 192), (48, 192), (64, 256), (64, 256)))


@dataclasses.dataclass(frozen=True)
class SqueezeNetRow(VariantRow):
    stem_filters: int
    stem_kernel: int
    body: tuple  # Fire modules and "M" pools, as in V1_0 / V1_1
    bypass: str | None = None  # None, "simple" or "complex" (Section 6)


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


def _features(x, row: SqueezeNetRow):
    x = conv2d(x, row.stem_filters, row.stem_kernel, strides=2, padding=0, use_bias=True, name="features_0")
    x = activation(x, "relu", name="features_1")
    x = _ceil_max_pool(x, name="features_2")
    for index, item in enumerate(row.body, start=3):
        if item == "M":
            x = _ceil_max_pool(x, name=f"features_{index}")
        else:
            x = fire(x, *item, bypass=row.bypass, name=f"features_{index}")
    return x


def _head(x, classes, dropout_rate):
    x = layers.Dropout(dropout_rate, name="classifier_0")(x)
    x = conv2d(x, classes, 1, use_bias=True, name="classifier_1")
    x = activation(x, "relu", name="classifier_2")
    return layers.GlobalAveragePooling2D(name="classifier_3")(x)


def _build(row: SqueezeNetRow, spec, args):
    features = functools.partial(_features, row=row)
    return assemble(spec, args, features, functools.partial(_head, dropout_rate=args.dropout_rate))


_CSV = "shared/reference/architectures.csv"
# Complex bypass projections (1x1 conv with bias) on fire2/4/6/8: 96->128, 128->256, 256->384, 384->512.
_PROJECTIONS = sum(cin * cout + cout for cin, cout in ((96, 128), (128, 256), (256, 384), (384, 512)))

# The builder's docstring ends with the family option's meaning (every row's `doc` ends with it).
_DROPOUT_DOC = " `dropout_rate` is the dropout before the final 1x1 convolution."

# min_size: the last ceil-mode pool needs a 2x2 input: 21 (1.0) / 17 (1.1), as torchvision.
# fmt: off
VARIANTS = (
    SqueezeNetRow(*V1_0, name="squeezenet1_0", reference="torchvision:squeezenet1_0", params=1248424,
                  params_source=f"{_CSV} (torchvision 0.29.1)", mmacs=818.9, min_size=21,
                  doc="SqueezeNet 1.0 (Iandola et al. 2016, Table 1): 7x7/2 stem of 96 filters and eight Fire "
                  "modules." + _DROPOUT_DOC),
    SqueezeNetRow(*V1_1, name="squeezenet1_1", reference="torchvision:squeezenet1_1", params=1235496,
                  params_source=f"{_CSV} (torchvision 0.29.1)", mmacs=349.2, min_size=17,
                  doc="SqueezeNet 1.1 (the authors' repository): 3x3/2 stem of 64 filters and earlier pooling, "
                  "2.4x cheaper than 1.0 at the same accuracy." + _DROPOUT_DOC),
    SqueezeNetRow(*V1_0, "simple", name="squeezenet1_0_bypass", reference="paper:Table 3 / Figure 2 (simple bypass)",
                  params=1248424, params_source=f"{_CSV} (identity shortcuts add no parameters to squeezenet1_0)",
                  mmacs=None, min_size=21,
                  doc="SqueezeNet 1.0 with simple bypass (Iandola et al. 2016, Section 6, Figure 2 middle): identity "
                  "shortcuts around fire3, fire5, fire7 and fire9." + _DROPOUT_DOC),
    SqueezeNetRow(*V1_0, "complex", name="squeezenet1_0_complex_bypass",
                  reference="paper:Table 3 / Figure 2 (complex bypass)", params=1248424 + _PROJECTIONS,
                  params_source="derived: squeezenet1_0's 1,248,424 + 1x1 projections with bias on fire2/4/6/8 "
                  "(96*128+128 + 128*256+256 + 256*384+384 + 384*512+512 = 341,248)", mmacs=None, min_size=21,
                  doc="SqueezeNet 1.0 with complex bypass (Iandola et al. 2016, Section 6, Figure 2 right): the "
                  "simple bypass plus 1x1 convolution shortcuts around fire2, fire4, fire6 and fire8." + _DROPOUT_DOC),
)
# fmt: on


def _stages(row: SqueezeNetRow):
    # Feature stages: the last layer at each resolution (stem ReLU, then the Fire module before each pool,
    # then the last Fire module).
    before_pools = tuple(f"features_{index - 1}" for index, item in enumerate(row.body, start=3) if item == "M")
    return ("features_1", *before_pools, f"features_{len(row.body) + 2}")


register_family(
    VARIANTS,
    _build,
    options={"dropout_rate": 0.5},
    family="squeezenet",
    head_modules=("classifier",),
    paper=PAPER,
    default_size=224,
    stages=_stages,
)
