"""EfficientNetV2-S/M/L under keras.applications.efficientnet_v2's names, with `preprocess_input` and
`decode_predictions`.

Ours are torchvision's `efficientnet_v2_s/m/l` (Tan & Le 2021), the network keras.applications' also follows
(the same stages and counts). As in keras.applications the model takes [0, 255] RGB pixels and, with
`include_preprocessing=True` (the default), scales them to [-1, 1] in the graph (torchvision's mean and std
0.5: x / 127.5 - 1, where Keras computes x / 128 - 1); `preprocess_input` returns its input unchanged.
keras.applications' EfficientNetV2B0-B3 are not in the zoo yet.

Example:
    >>> from keras_classics.applications.efficientnet_v2 import EfficientNetV2S
    >>> EfficientNetV2S(include_top=False, input_shape=(64, 64, 3)).output.shape
    (None, 2, 2, 1280)
"""

from keras_classics.applications._build import build
from keras_classics.applications.imagenet_utils import decode_predictions

__all__ = ["EfficientNetV2S", "EfficientNetV2M", "EfficientNetV2L", "preprocess_input", "decode_predictions"]


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
