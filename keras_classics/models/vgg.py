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

import functools

from keras_classics.blocks.sequential import BN, DROPOUT, LRN, RELU, Plan, conv, linear, maxpool, stage_names
from keras_classics.models.alexnet import build_sequential
from keras_classics.models.builder import register_variant

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


# name: (config, batch norm, reference, params, mmacs); counts from shared/reference/architectures.csv.
VARIANTS = {
    "vgg11": ("A", False, "torchvision:vgg11", 132_863_336, 7609.1),
    "vgg11_bn": ("A", True, "torchvision:vgg11_bn", 132_868_840, 7609.1),
    "vgg11_lrn": ("A-LRN", False, "paper:Simonyan & Zisserman 2014 Table 1 (A-LRN)", 132_863_336, None),
    "vgg13": ("B", False, "torchvision:vgg13", 133_047_848, 11308.5),
    "vgg13_bn": ("B", True, "torchvision:vgg13_bn", 133_053_736, 11308.5),
    "vgg16_c": ("C", False, "paper:Simonyan & Zisserman 2014 Table 1 (C)", 133_638_952, None),
    "vgg16": ("D", False, "torchvision:vgg16", 138_357_544, 15470.3),
    "vgg16_bn": ("D", True, "torchvision:vgg16_bn", 138_365_992, 15470.3),
    "vgg19": ("E", False, "torchvision:vgg19", 143_667_240, 19632.1),
    "vgg19_bn": ("E", True, "torchvision:vgg19_bn", 143_678_248, 19632.1),
}

for _name, (_config, _bn, _reference, _params, _mmacs) in VARIANTS.items():
    _features = make_features(_config, _bn)
    _source = "torchvision 0.29.1" if _reference.startswith("torchvision") else "Table 1 layer sizes, our count"
    register_variant(
        _name,
        functools.partial(build_sequential, plan=Plan(_features, CLASSIFIER, pool_size=7)),
        options={"dropout_rate": 0.5},
        doc=f"VGG configuration {_config} of Simonyan & Zisserman 2014 Table 1"
        + (" with BatchNorm after every conv (torchvision)" if _bn else "")
        + ", in torchvision's layout (adaptive 7x7 average pool; any input side >= 32).",
        family="vgg",
        head_modules=("classifier",),
        paper=PAPER,
        reference=_reference,
        params=_params,
        params_source=f"shared/reference/architectures.csv ({_source})",
        default_size=224,
        min_size=32,
        mmacs=_mmacs,
        stages=stage_names(_features),
    )
