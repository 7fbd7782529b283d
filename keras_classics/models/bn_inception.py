"""BN-Inception, registered as "inception_v2" (Ioffe & Szegedy 2015, "Batch Normalization: Accelerating Deep
Network Training by Reducing Internal Covariate Shift", Appendix Fig. 5): GoogLeNet with BN throughout,
each 5x5 replaced by two 3x3, three 28x28 modules, stride-2 modules 3c/4e. No reference implementation;
layer names follow torchvision's GoogLeNet, whose stem it shares.
"""

from __future__ import annotations

from keras_classics.models.googlenet import GOOGLENET_STEM
from keras_classics.models.inception_common import INCEPTION_FACTS, InceptionRow, build, classic
from keras_classics.models.variant_table import register_family

def _bn_inception_layers(args):
    # BN-Inception Fig. 5: #1x1, #3x3 reduce, #3x3, double #3x3 reduce, double #3x3, pool (+proj).
    # 3c and 4e have stride 2, no 1x1 branch and a pass-through max pool ("max + pass through").
    def module(c1, r3, c3, rd, cd, pool, proj, strides=1):
        return classic((c1, r3, c3, rd, cd, 2, proj), pool, strides)

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


# fmt: off
VARIANTS = (
    InceptionRow(
        _bn_inception_layers, "fc", name="inception_v2",
        paper="Ioffe & Szegedy 2015, Batch Normalization: Accelerating Deep Network Training by Reducing Internal "
        "Covariate Shift",
        reference="paper:Ioffe & Szegedy 2015 Appendix Fig. 5", params=11285224,
        params_source="our count of Fig. 5 (no reference pins one): bias-free convs + BN gamma/beta, "
        "fc 1024 x 1000 + 1000; no auxiliary classifiers",
        doc="BN-Inception (Inception-v2), Ioffe & Szegedy 2015 Appendix Fig. 5: GoogLeNet's stem, BatchNorm "
        "(eps 1e-3) after every conv, each 5x5 as two 3x3, modules 3c and 4e reduce the grid with stride 2 "
        "and a pass-through max pool. No dropout (Sec. 4.2.1 removes it).",
    ),
)
# fmt: on

register_family(
    VARIANTS,
    build,
    options={"dropout_rate": 0.0},
    default_size=224,
    min_size=7,
    stages=("conv1_relu", "conv3_relu", "inception3b", "inception4d", "inception5b"),
    **INCEPTION_FACTS,
)
