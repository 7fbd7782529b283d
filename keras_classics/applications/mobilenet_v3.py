"""MobileNetV3 Small and Large under keras.applications.mobilenet_v3's names, with `preprocess_input` and
`decode_predictions`.

Ours are torchvision's `mobilenet_v3_small`/`_large` (Howard et al. 2019), `minimalistic=True` as the paper
and keras.applications define it. At alpha 1 the layers are keras.applications'; with another alpha,
torchvision also scales the stem and the classifier's hidden layer (Keras keeps 16 and, below 1, 1024/1280).
As in keras.applications the model takes [0, 255] RGB pixels and (with `include_preprocessing=True`, the
default) normalizes them in the graph, here with torchvision's ImageNet mean and std; `preprocess_input`
returns its input unchanged.

Example:
    >>> from keras_classics.applications.mobilenet_v3 import MobileNetV3Small
    >>> model = MobileNetV3Small((64, 64, 3), 1.0, True, False, None)  # keras.applications' positional order
    >>> model.name, model.output.shape
    ('MobileNetV3Small', (None, 2, 2, 576))
"""

from keras_classics.applications._build import build
from keras_classics.applications.imagenet_utils import decode_predictions

__all__ = ["MobileNetV3Small", "MobileNetV3Large", "preprocess_input", "decode_predictions"]


def MobileNetV3Small(
    input_shape=None,
    alpha=1.0,
    minimalistic=False,
    include_top=True,
    weights=None,
    input_tensor=None,
    classes=1000,
    pooling=None,
    dropout_rate=0.2,
    classifier_activation="softmax",
    include_preprocessing=True,
    name="MobileNetV3Small",
):
    """MobileNet V3-Small as torchvision's `mobilenet_v3_small`; see the module docstring."""
    return build("mobilenet_v3_small", locals())


def MobileNetV3Large(
    input_shape=None,
    alpha=1.0,
    minimalistic=False,
    include_top=True,
    weights=None,
    input_tensor=None,
    classes=1000,
    pooling=None,
    dropout_rate=0.2,
    classifier_activation="softmax",
    include_preprocessing=True,
    name="MobileNetV3Large",
):
    """MobileNet V3-Large as torchvision's `mobilenet_v3_large`; see the module docstring."""
    return build("mobilenet_v3_large", locals())


def preprocess_input(x, data_format=None):
    """Returns `x` unchanged: these models normalize [0, 255] pixels themselves (as keras.applications')."""
    return x
