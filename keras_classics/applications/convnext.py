"""ConvNeXt Tiny to XLarge under keras.applications.convnext's names, with `preprocess_input` and
`decode_predictions`.

Ours are torchvision's `convnext_*` (Liu et al. 2022) and, for XLarge, which torchvision lacks, timm's
`convnext_xlarge`: the network keras.applications' ConvNeXt also follows (the same layers and counts). As in
keras.applications the model takes [0, 255] RGB pixels and, with `include_preprocessing=True` (the default),
normalizes them in the graph with the ImageNet mean and std; `preprocess_input` returns its input unchanged.

Example:
    >>> from keras_classics.applications.convnext import ConvNeXtTiny
    >>> ConvNeXtTiny(include_top=False, input_shape=(64, 64, 3)).output.shape  # doctest: +SKIP
    (None, 2, 2, 768)
"""

from keras_classics.applications._build import build
from keras_classics.applications.imagenet_utils import decode_predictions

__all__ = [
    "ConvNeXtTiny", "ConvNeXtSmall", "ConvNeXtBase", "ConvNeXtLarge", "ConvNeXtXLarge", "preprocess_input",
    "decode_predictions",
]  # fmt: skip


def ConvNeXtTiny(
    include_top=True,
    include_preprocessing=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="convnext_tiny",
):
    """ConvNeXt-T (Liu et al. 2022) as torchvision's `convnext_tiny`; see the module docstring."""
    return build("convnext_tiny", locals())


def ConvNeXtSmall(
    include_top=True,
    include_preprocessing=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="convnext_small",
):
    """ConvNeXt-S (Liu et al. 2022) as torchvision's `convnext_small`; see the module docstring."""
    return build("convnext_small", locals())


def ConvNeXtBase(
    include_top=True,
    include_preprocessing=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="convnext_base",
):
    """ConvNeXt-B (Liu et al. 2022) as torchvision's `convnext_base`; see the module docstring."""
    return build("convnext_base", locals())


def ConvNeXtLarge(
    include_top=True,
    include_preprocessing=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="convnext_large",
):
    """ConvNeXt-L (Liu et al. 2022) as torchvision's `convnext_large`; see the module docstring."""
    return build("convnext_large", locals())


def ConvNeXtXLarge(
    include_top=True,
    include_preprocessing=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="convnext_xlarge",
):
    """ConvNeXt-XL (Liu et al. 2022) as timm's `convnext_xlarge`; see the module docstring."""
    return build("convnext_xlarge", locals())


def preprocess_input(x, data_format=None):
    """Returns `x` unchanged: these models normalize [0, 255] pixels themselves (as keras.applications')."""
    return x
