"""The model families. Importing a family module registers its variants."""

import importlib

FAMILY_MODULES = (
    "lenet",
    "alexnet",
    "zfnet",
    "vgg",
    "resnet",
    "wide_resnet",
    "googlenet",
    "bn_inception",
    "inception_v3",
    "inception_v4",
    "densenet",
    "squeezenet",
    "xception",
    "nasnet",
    "mobilenet",
    "shufflenet",
    "efficientnet",
    "effnet",
    "ghostnet",
    "hardnet",
    "resnest",
    "convnext",
    "resnet_v2",
    "efficientnet_v2",
    "vit",
)

for _module in FAMILY_MODULES:
    importlib.import_module(f"keras_classics.models.{_module}")
