"""VGG-16 under keras.applications.vgg16's names, with its `preprocess_input` and `decode_predictions`.

Ours is torchvision's `vgg16`: the same convolutions and three dense layers as keras.applications', plus
torchvision's adaptive 7x7 average pool before the head (so the head fits any input size) and its two
dropout layers (rate `dropout_rate`, 0.5). Inputs: [0, 255] RGB through `preprocess_input`, which
normalizes as torchvision does; keras.applications' caffe-style BGR mean subtraction does not fit our weights.

Example:
    >>> from keras_classics.applications.vgg16 import VGG16
    >>> VGG16(include_top=False, input_shape=(64, 64, 3)).output.shape
    (None, 2, 2, 512)
"""

from keras_classics.applications._build import build
from keras_classics.applications.imagenet_utils import decode_predictions, normalize
from keras_classics.torch_compat import IMAGENET_MEAN, IMAGENET_STD

__all__ = ["VGG16", "preprocess_input", "decode_predictions"]


def VGG16(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="vgg16",
):
    """VGG-16 (Simonyan & Zisserman 2014) as torchvision's `vgg16`; see the module docstring."""
    return build("vgg16", locals())


def preprocess_input(x, data_format=None):
    """[0, 255] RGB images (NumPy or tensor) to the torchvision normalization our VGG-16 expect."""
    return normalize(x, IMAGENET_MEAN, IMAGENET_STD, data_format)
