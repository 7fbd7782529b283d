"""EfficientNetV2-B0 to B3 and S/M/L under keras.applications.efficientnet_v2's names, with `preprocess_input`
and `decode_predictions`.

As in keras.applications every model takes [0, 255] RGB pixels and, with `include_preprocessing=True` (the
default), normalizes them in the graph; `preprocess_input` returns its input unchanged. B0-B3 are timm's
`tf_efficientnetv2_b0..b3`, the same network as keras.applications' (TensorFlow "same" padding, the authors'
layout and counts), and normalize with the ImageNet mean and std as keras.applications' B models do. S/M/L are
torchvision's `efficientnet_v2_s/m/l` (Tan & Le 2021), the network keras.applications' also follows (the same
stages and counts) with PyTorch's symmetric padding, and scale the pixels to [-1, 1] (torchvision's mean and std
0.5: x / 127.5 - 1, where Keras computes x / 128 - 1).

Example:
    >>> from keras_classics.applications.efficientnet_v2 import EfficientNetV2B0, EfficientNetV2S
    >>> EfficientNetV2S(include_top=False, input_shape=(64, 64, 3)).output.shape
    (None, 2, 2, 1280)
    >>> EfficientNetV2B0(input_shape=(64, 64, 3), classes=10).output.shape
    (None, 10)
"""

from keras_classics.applications._build import build
from keras_classics.applications.imagenet_utils import decode_predictions

__all__ = [
    "EfficientNetV2B0",
    "EfficientNetV2B1",
    "EfficientNetV2B2",
    "EfficientNetV2B3",
    "EfficientNetV2S",
    "EfficientNetV2M",
    "EfficientNetV2L",
    "preprocess_input",
    "decode_predictions",
]


def EfficientNetV2B0(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    include_preprocessing=True,
    name="efficientnetv2-b0",
):
    """EfficientNetV2-B0 (Tan & Le 2021) as timm's `tf_efficientnetv2_b0`; see the module docstring."""
    return build("efficientnet_v2_b0", locals())


def EfficientNetV2B1(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    include_preprocessing=True,
    name="efficientnetv2-b1",
):
    """EfficientNetV2-B1 (Tan & Le 2021) as timm's `tf_efficientnetv2_b1`; see the module docstring."""
    return build("efficientnet_v2_b1", locals())


def EfficientNetV2B2(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    include_preprocessing=True,
    name="efficientnetv2-b2",
):
    """EfficientNetV2-B2 (Tan & Le 2021) as timm's `tf_efficientnetv2_b2`; see the module docstring."""
    return build("efficientnet_v2_b2", locals())


def EfficientNetV2B3(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    include_preprocessing=True,
    name="efficientnetv2-b3",
):
    """EfficientNetV2-B3 (Tan & Le 2021) as timm's `tf_efficientnetv2_b3`; see the module docstring."""
    return build("efficientnet_v2_b3", locals())


def EfficientNetV2S(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    include_preprocessing=True,
    name="efficientnetv2-s",
):
    """EfficientNetV2-S (Tan & Le 2021) as torchvision's `efficientnet_v2_s`; see the module docstring."""
    return build("efficientnet_v2_s", locals())


def EfficientNetV2M(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    include_preprocessing=True,
    name="efficientnetv2-m",
):
    """EfficientNetV2-M (Tan & Le 2021) as torchvision's `efficientnet_v2_m`; see the module docstring."""
    return build("efficientnet_v2_m", locals())


def EfficientNetV2L(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    include_preprocessing=True,
    name="efficientnetv2-l",
):
    """EfficientNetV2-L (Tan & Le 2021) as torchvision's `efficientnet_v2_l`; see the module docstring."""
    return build("efficientnet_v2_l", locals())


def preprocess_input(x, data_format=None):
    """Returns `x` unchanged: these models scale [0, 255] pixels themselves (as keras.applications')."""
    return x
