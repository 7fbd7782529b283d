"""MobileNetV2 under keras.applications.mobilenet_v2's names, with `preprocess_input` and `decode_predictions`.

Ours is torchvision's `mobilenet_v2` (Sandler et al. 2018; the same layers and width rounding as
keras.applications', plus a dropout of `dropout_rate` 0.2 before the classifier). Inputs: [0, 255] RGB through
`preprocess_input`, which normalizes as torchvision does; keras.applications' scaling to [-1, 1] does not fit
our weights.

Example:
    >>> from keras_classics.applications.mobilenet_v2 import MobileNetV2
    >>> model = MobileNetV2((96, 96, 3), 0.5, False, None)  # keras.applications' positional order
    >>> model.name, model.output.shape
    ('mobilenetv2_0.50_96', (None, 3, 3, 1280))
"""

from keras_classics.applications._build import build, input_rows
from keras_classics.applications.imagenet_utils import decode_predictions, normalize
from keras_classics.torch_compat import IMAGENET_MEAN, IMAGENET_STD

__all__ = ["MobileNetV2", "preprocess_input", "decode_predictions"]


def MobileNetV2(
    input_shape=None,
    alpha=1.0,
    include_top=True,
    weights=None,
    input_tensor=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name=None,
):
    """MobileNet V2 as torchvision's `mobilenet_v2`; the default name is keras.applications'
    `mobilenetv2_{alpha:.2f}_{input rows}`."""
    if name is None:
        name = f"mobilenetv2_{alpha:0.2f}_{input_rows(input_shape, input_tensor, include_top, 224)}"
    return build("mobilenet_v2", locals())


def preprocess_input(x, data_format=None):
    """[0, 255] RGB images (NumPy or tensor) to the torchvision normalization our MobileNetV2 expects."""
    return normalize(x, IMAGENET_MEAN, IMAGENET_STD, data_format)
