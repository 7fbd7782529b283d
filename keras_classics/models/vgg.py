"""VGG (Simonyan & Zisserman 2014, "Very Deep Convolutional Networks for Large-Scale Image Recognition",
Table 1, configurations A to E), in torchvision 0.29.1's layout.

`features` is torchvision's `make_layers`: every conv is followed by a ReLU (and, in the `_bn` variants, a
BatchNorm in between), and every block by a 2x2/2 max-pool; then an adaptive 7x7 average pool, a flatten
and `classifier` fc 4096 -> ReLU -> dropout -> fc 4096 -> ReLU -> dropout -> fc classes. Layer names are
torchvision's (`features_0`, `features_1`, ..., `classifier_0/3/6`), so its state dicts import by name.
The two configurations torchvision lacks use the same numbering:

- `vgg11_lrn` (A-LRN): LRN after the first conv's ReLU, with AlexNet's constants (Section 2.3; the paper
  found it does not help);
- `vgg16_c` (C): 16 layers whose third conv in blocks 3 to 5 is 1x1 (an extra non-linearity, Section 2.3).

The adaptive pool makes the classifier work at any input side >= 32 (torchvision's minimum), exactly as
torchvision: identity at 224 (7x7 maps), overlapping or repeated bins elsewhere.
"""

import dataclasses

from keras_classics.blocks.sequential import BN, DROPOUT, LRN, RELU, Plan, conv, linear, maxpool
from keras_classics.models.alexnet import build_sequential, sequential_stages
from keras_classics.models.variant_table import VariantRow, register_family

PAPER = "Simonyan & Zisserman 2014, Very Deep Convolutional Networks for Large-Scale Image Recognition"

# Table 1, one row per configuration: conv widths per block ("M" ends a block with a max-pool), as
# torchvision's `cfgs`; (width, 1) is a 1x1 conv, "LRN" a local response normalization.
CONFIGS = {
    "A": [64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],  # 11 weight layers
    "A-LRN": [64, "LRN", "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],  # 11, LRN after conv1
    "B": [64, 64, "M", 128, 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],  # 13
    "C": [64, 64, "M", 128, 128, "M", 256, 256, (256, 1), "M", 512, 512, (512, 1), "M", 512, 512, (512, 1), "M"],
    "D": [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"],  # 16
    "E": [64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M", 512, 512, 512, 512, "M"],
}

CLASSIFIER = (linear(4096), RELU, DROPOUT, linear(4096), RELU, DROPOUT, linear())


def make_features(config, batch_norm=False):
    """torchvision's `make_layers`: conv [-> BN] -> ReLU per width, a 2x2/2 max-pool per "M"."""
    modules = []
    for entry in CONFIGS[config]:
        if entry == "M":
            modules.append(maxpool(2, 2))
        elif entry == "LRN":
            modules.append(LRN)
        else:
            width, kernel = entry if isinstance(entry, tuple) else (entry, 3)
            modules += [conv(width, kernel)] + ([BN] if batch_norm else []) + [RELU]
    return tuple(modules)


@dataclasses.dataclass(frozen=True)
class VGGRow(VariantRow):
    config: str  # Table 1's configuration, a key of CONFIGS
    batch_norm: bool = False  # torchvision's `_bn` variants

    @property
    def plan(self) -> Plan:
        """What `build_sequential` builds: the features, the adaptive 7x7 average pool and the classifier."""
        return Plan(make_features(self.config, self.batch_norm), CLASSIFIER, pool_size=7)


BATCH_NORM = True
CSV = "shared/reference/architectures.csv"
TORCHVISION_CSV = f"{CSV} (torchvision 0.29.1)"
PAPER_CSV = f"{CSV} (Table 1 layer sizes, our count)"

# fmt: off
VARIANTS = (
    VGGRow("A", name="vgg11", reference="torchvision:vgg11", params=132_863_336, params_source=TORCHVISION_CSV,
           mmacs=7609.1),
    VGGRow("A", BATCH_NORM, name="vgg11_bn", reference="torchvision:vgg11_bn", params=132_868_840,
           params_source=TORCHVISION_CSV, mmacs=7609.1),
    VGGRow("A-LRN", name="vgg11_lrn", reference="paper:Simonyan & Zisserman 2014 Table 1 (A-LRN)", params=132_863_336,
           params_source=PAPER_CSV, mmacs=None),
    VGGRow("B", name="vgg13", reference="torchvision:vgg13", params=133_047_848, params_source=TORCHVISION_CSV,
           mmacs=11308.5),
    VGGRow("B", BATCH_NORM, name="vgg13_bn", reference="torchvision:vgg13_bn", params=133_053_736,
           params_source=TORCHVISION_CSV, mmacs=11308.5),
    VGGRow("C", name="vgg16_c", reference="paper:Simonyan & Zisserman 2014 Table 1 (C)", params=133_638_952,
           params_source=PAPER_CSV, mmacs=None),
    VGGRow("D", name="vgg16", reference="torchvision:vgg16", params=138_357_544, params_source=TORCHVISION_CSV,
           mmacs=15470.3),
    VGGRow("D", BATCH_NORM, name="vgg16_bn", reference="torchvision:vgg16_bn", params=138_365_992,
           params_source=TORCHVISION_CSV, mmacs=15470.3),
    VGGRow("E", name="vgg19", reference="torchvision:vgg19", params=143_667_240, params_source=TORCHVISION_CSV,
           mmacs=19632.1),
    VGGRow("E", BATCH_NORM, name="vgg19_bn", reference="torchvision:vgg19_bn", params=143_678_248,
           params_source=TORCHVISION_CSV, mmacs=19632.1),
)
# fmt: on


def _doc(row: VGGRow) -> str:
    return (
        f"VGG configuration {row.config} of Simonyan & Zisserman 2014 Table 1"
        + (" with BatchNorm after every conv (torchvision)" if row.batch_norm else "")
        + ", in torchvision's layout (adaptive 7x7 average pool; any input side >= 32)."
    )


register_family(
    VARIANTS,
    build_sequential,
    options={"dropout_rate": 0.5},
    doc=_doc,
    family="vgg",
    head_modules=("classifier",),
    paper=PAPER,
    default_size=224,
    min_size=32,
    stages=sequential_stages,
)
