"""ResNet-50/101/152 under keras.applications.resnet's names, with its `preprocess_input` and `decode_predictions`.

Ours are torchvision's ResNets, "v1.5": the stride-2 convolution of each downsampling block is its 3x3
conv, where keras.applications' (the original v1) strides the first 1x1 conv; both have the same output
shapes and 25.6M/44.5M/60.2M parameters, and our convs have no bias where Keras' do.
Inputs: [0, 255] RGB through `preprocess_input`, which normalizes as torchvision does ((x / 255 - mean) / std);
keras.applications' caffe-style BGR mean subtraction does not fit these networks' weights.

Example:
    >>> import numpy as np
    >>> from keras_classics.applications.resnet import ResNet50, preprocess_input
    >>> model = ResNet50(include_top=False, input_shape=(64, 64, 3), pooling="avg")
    >>> model(preprocess_input(np.full((1, 64, 64, 3), 128.0, "float32"))).shape
    TensorShape([1, 2048])
"""

from keras_classics.applications._build import build
from keras_classics.applications.imagenet_utils import decode_predictions, normalize
from keras_classics.torch_compat import IMAGENET_MEAN, IMAGENET_STD

__all__ = ["ResNet50", "ResNet101", "ResNet152", "preprocess_input", "decode_predictions"]


def ResNet50(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="resnet50",
):
    """ResNet-50 (He et al. 2015) as torchvision's `resnet50` (v1.5); see the module docstring."""
    return build("resnet50", locals())


def ResNet101(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="resnet101",
):
    """ResNet-101 (He et al. 2015) as torchvision's `resnet101` (v1.5); see the module docstring."""
    return build("resnet101", locals())


def ResNet152(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="resnet152",
):
    """ResNet-152 (He et al. 2015) as torchvision's `resnet152` (v1.5); see the module docstring."""
    return build("resnet152", locals())


def preprocess_input(x, data_format=None):
    """[0, 255] RGB images (NumPy or tensor) to the torchvision normalization our ResNets expect."""
    return normalize(x, IMAGENET_MEAN, IMAGENET_STD, data_format)
