"""AlexNet (Krizhevsky, Sutskever & Hinton 2012, "ImageNet Classification with Deep Convolutional Neural
Networks", Section 3 and Fig. 2), and `build_sequential`, the plain sequential CNN builder that ZFNet and
VGG reuse.

Three variants:

- `alexnet`: the paper's network as one tower: conv 96@11x11/4 -> ReLU -> LRN -> overlapping max-pool
  3x3/2 -> conv 256@5x5 -> ReLU -> LRN -> pool -> conv 384, 384, 256 @3x3 -> pool -> fc 4096, 4096,
  classes on 227x227 inputs (6x6x256 into fc6). LRN uses the paper's constants k=2, n=5, alpha=1e-4,
  beta=0.75 (Section 3.3).
- `alexnet_2gpu`: the same with the paper's two-GPU split: conv2, conv4 and conv5 only see the kernel maps
  of their own GPU (Fig. 2), i.e. `groups=2`, and each GPU's response normalization only its own maps
  (`LocalResponseNormalization(groups=2)`); 60,965,224 parameters, the "60 million" of the abstract.
- `alexnet_torchvision`: torchvision's `alexnet` (64-192-384-256-256 kernels after Krizhevsky's "One weird
  trick", 2014; no LRN; an adaptive 6x6 average pool before the classifier), which its weights fit.

Every network here is a PyTorch `nn.Sequential` in spirit: `features` (convs, ReLUs, LRNs, pools), an
optional adaptive average pool, a flatten and a `classifier`, put together by `build_sequential`. A variant
is a `SequentialRow` whose `Plan` lists module descriptors (`conv(96, 11, 4, 0)`, `RELU`, `LRN`,
`maxpool(3, 2)`, ...; defined with `apply_sequential` in `keras_classics.blocks.sequential`), and the Keras
layer of module `i` is named `features_i` / `classifier_i` exactly as torchvision numbers its `Sequential`,
so a reference state dict (`features.0.weight`, `classifier.1.bias`) imports by name. The adaptive pool is
`keras_classics.blocks.pooling.adaptive_avg_pool`. The paper variants have no code reference; they
use the same numbering, as if written with `nn.LocalResponseNorm(5, alpha=5e-4, beta=0.75, k=2)` (PyTorch
divides alpha by n).

Dropout: the classifier follows torchvision's order (dropout before fc6 and fc7); the paper drops the
outputs of fc6 and fc7 (Section 4.2), which gives the same network at inference.
"""

from __future__ import annotations

import dataclasses

from keras import layers

from keras_classics.blocks.pooling import adaptive_avg_pool
from keras_classics.blocks.sequential import (
    DROPOUT,
    RELU,
    Plan,
    apply_sequential,
    conv,
    linear,
    lrn,
    maxpool,
    stage_names,
)
from keras_classics.models.builder import assemble
from keras_classics.models.variant_table import VariantRow, register_family

PAPER = "Krizhevsky, Sutskever & Hinton 2012, ImageNet Classification with Deep Convolutional Neural Networks"


@dataclasses.dataclass(frozen=True)
class SequentialRow(VariantRow):
    plan: Plan  # the `features` and `classifier` module lists and the adaptive pool's side


def build_sequential(row, spec, args):
    """The builder every AlexNet, ZFNet and VGG variant shares: features, [adaptive pool], flatten, classifier.

    `row.plan` is the variant's `Plan` (a `SequentialRow`'s field, a `VGGRow`'s property).
    """
    plan = row.plan

    def features(x):
        return apply_sequential(x, plan.features, "features")

    def head(x, classes):
        if plan.pool_size:
            x = adaptive_avg_pool(x, plan.pool_size)
        x = layers.Flatten(name="flatten")(x)  # the importer reorders the next Dense from torch's (C, H, W)
        return apply_sequential(x, plan.classifier, "classifier", args.dropout_rate, classes)

    # The classifier's input size follows the image size, so it needs a known one; the features do not.
    return assemble(spec, args, features, head, fixed_size=args.include_top)


def sequential_stages(row) -> tuple[str, ...]:
    """The feature stages of a `build_sequential` network: the last layer at each resolution."""
    return stage_names(row.plan.features)


# ----------------------------------------------------------------------------------------- variants
# Dropout before fc6 and fc7 (torchvision's order); fc8 has `classes` units.
ALEXNET_CLASSIFIER = (DROPOUT, linear(4096), RELU, DROPOUT, linear(4096), RELU, linear())


def paper_features(groups):
    """Krizhevsky et al. 2012 Fig. 2 and Section 3.5; `groups=2` keeps conv2, conv4 and conv5 on one GPU."""
    return (
        conv(96, 11, 4, 0), RELU, lrn(groups), maxpool(3, 2),  # 227 -> 55 -> 27; each GPU normalizes its maps
        conv(256, 5, groups=groups), RELU, lrn(groups), maxpool(3, 2),  # 27 -> 13
        conv(384, 3), RELU,  # conv3 sees both GPUs' maps
        conv(384, 3, groups=groups), RELU,
        conv(256, 3, groups=groups), RELU, maxpool(3, 2),  # 13 -> 6
    )  # fmt: skip


TORCHVISION_FEATURES = (
    conv(64, 11, 4, 2), RELU, maxpool(3, 2),
    conv(192, 5), RELU, maxpool(3, 2),
    conv(384, 3), RELU,
    conv(256, 3), RELU,
    conv(256, 3), RELU, maxpool(3, 2),
)  # fmt: skip

CSV = "shared/reference/architectures.csv"

# min_size: the smallest side at which pool5 sees 3x3.
# fmt: off
VARIANTS = (
    SequentialRow(Plan(paper_features(groups=1), ALEXNET_CLASSIFIER), name="alexnet",
                  reference="paper:Krizhevsky et al. 2012 Fig. 2 (one tower)", params=62_378_344,
                  params_source=f"{CSV} (paper Fig. 2 as one tower, our count)", mmacs=None, default_size=227,
                  min_size=67,
                  doc="AlexNet as one tower: the paper's layer sizes (Fig. 2) without the two-GPU split, with LRN."),
    SequentialRow(Plan(TORCHVISION_FEATURES, ALEXNET_CLASSIFIER, pool_size=6), name="alexnet_torchvision",
                  reference="torchvision:alexnet", params=61_100_840,
                  params_source=f"{CSV} (torchvision 0.29.1 alexnet)", mmacs=714.2, default_size=224, min_size=63,
                  doc="torchvision's AlexNet (64-192-384-256-256 kernels, no LRN, adaptive 6x6 average pool): its "
                  "weights import by name; any input side >= 63 works."),
)

# Built by `build_two_gpu`, which takes the `devices` option.
TWO_GPU_VARIANTS = (
    SequentialRow(Plan(paper_features(groups=2), ALEXNET_CLASSIFIER), name="alexnet_2gpu",
                  reference="paper:Krizhevsky et al. 2012 Fig. 2 (two GPUs)", params=60_965_224,
                  params_source=f"{CSV} (paper Fig. 2 with groups=2 on conv2/4/5, our count)", mmacs=None,
                  default_size=227, min_size=67,
                  doc="AlexNet as trained on two GPUs: conv2, conv4 and conv5 are grouped convolutions (groups=2) "
                  "and each GPU's response normalization sees its own maps; `devices=[first, second]` puts each "
                  "tower on its device."),
)
# fmt: on


def build_two_gpu(row, spec, args):
    """`alexnet_2gpu`: one device, or with `devices=[first, second]` one tower on each (`models.two_towers`)."""
    if args.devices is not None:
        from keras_classics.models.two_towers import check_devices, on_two_devices

        check_devices(args.devices)  # before building
        if not args.include_top:
            raise ValueError("devices: the two-tower AlexNet is built with its classifier (include_top=True)")
        return on_two_devices(build_sequential(row, spec, args), args.devices)
    return build_sequential(row, spec, args)


# The facts every AlexNet states once, for both tables.
FAMILY_FACTS = {"family": "alexnet", "paper": PAPER, "head_modules": ("classifier",), "stages": sequential_stages}

register_family(VARIANTS, build_sequential, options={"dropout_rate": 0.5}, **FAMILY_FACTS)
register_family(TWO_GPU_VARIANTS, build_two_gpu, options={"dropout_rate": 0.5, "devices": None}, **FAMILY_FACTS)
