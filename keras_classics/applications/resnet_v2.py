"""ResNet-50/101/152 v2 under keras.applications.resnet_v2's names, with `preprocess_input` and
`decode_predictions`.

Ours are timm's `resnetv2_50/101/152` (He et al. 2016, "Identity Mappings": full pre-activation
bottlenecks), the network keras.applications' ResNet50V2 also builds, but with bias-free convs (Keras' have
biases: 25,568,360 trainable against 25,549,352 for the 50) and a 1x1-conv classifier as timm's. Inputs:
[0, 255] RGB scaled to [-1, 1] by `preprocess_input`, as in keras.applications.

Example:
    >>> from keras_classics.applications.resnet_v2 import ResNet50V2
    >>> ResNet50V2(include_top=False, input_shape=(64, 64, 3), pooling="avg").output.shape
    (None, 2048)
"""

from keras_classics.applications._build import build
from keras_classics.applications.imagenet_utils import decode_predictions, normalize
from keras_classics.torch_compat import INCEPTION_MEAN, INCEPTION_STD

__all__ = ["ResNet50V2", "ResNet101V2", "ResNet152V2", "preprocess_input", "decode_predictions"]


def ResNet50V2(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="resnet50v2",
):
    """ResNet-50 v2 (He et al. 2016) as timm's `resnetv2_50`; see the module docstring."""
    return build("resnet50_v2", locals())


def ResNet101V2(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="resnet101v2",
):
    """ResNet-101 v2 (He et al. 2016) as timm's `resnetv2_101`; see the module docstring."""
    return build("resnet101_v2", locals())


def ResNet152V2(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="resnet152v2",
):
    """ResNet-152 v2 (He et al. 2016) as timm's `resnetv2_152`; see the module docstring."""
    return build("resnet152_v2", locals())


def preprocess_input(x, data_format=None):
    """[0, 255] RGB images (NumPy or tensor) scaled to [-1, 1], as keras.applications' and our ResNet v2 expect."""
    return normalize(x, INCEPTION_MEAN, INCEPTION_STD, data_format)
