"""DenseNet-121/169/201 under keras.applications.densenet's names, with `preprocess_input`, `decode_predictions`.

Ours are torchvision's DenseNets: the same layers as keras.applications' (growth rate 32, bottleneck width
4 x 32) and the same input convention: [0, 255] RGB through `preprocess_input` (torchvision's normalization,
which is keras.applications' "torch" mode).

Example:
    >>> from keras_classics.applications.densenet import DenseNet121
    >>> DenseNet121(include_top=False, input_shape=(64, 64, 3), pooling="max").output.shape
    (None, 1024)
"""

from keras_classics.applications._build import build
from keras_classics.applications.imagenet_utils import decode_predictions, normalize
from keras_classics.torch_compat import IMAGENET_MEAN, IMAGENET_STD

__all__ = ["DenseNet121", "DenseNet169", "DenseNet201", "preprocess_input", "decode_predictions"]


def DenseNet121(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="densenet121",
):
    """DenseNet-121 (Huang et al. 2017) as torchvision's `densenet121`."""
    return build("densenet121", locals())


def DenseNet169(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="densenet169",
):
    """DenseNet-169 (Huang et al. 2017) as torchvision's `densenet169`."""
    return build("densenet169", locals())


def DenseNet201(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="densenet201",
):
    """DenseNet-201 (Huang et al. 2017) as torchvision's `densenet201`."""
    return build("densenet201", locals())


def preprocess_input(x, data_format=None):
    """[0, 255] RGB images (NumPy or tensor) to the torchvision normalization our DenseNets (keras.applications' "torch" mode) expect."""
    return normalize(x, IMAGENET_MEAN, IMAGENET_STD, data_format)
