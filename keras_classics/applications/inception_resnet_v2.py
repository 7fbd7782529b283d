"""Inception-ResNet-v2 under keras.applications.inception_resnet_v2's names, with `preprocess_input` and
`decode_predictions`.

Ours is timm's `inception_resnet_v2` (the TF-slim network keras.applications also follows; our BN layers
have a learned scale, Keras' have none). Inputs: [0, 255] RGB scaled to [-1, 1] by `preprocess_input`.

Example:
    >>> from keras_classics.applications.inception_resnet_v2 import InceptionResNetV2
    >>> InceptionResNetV2(include_top=False, input_shape=(75, 75, 3), pooling="avg").output.shape  # doctest: +SKIP
    (None, 1536)
"""

from keras_classics.applications._build import build
from keras_classics.applications.imagenet_utils import decode_predictions, normalize
from keras_classics.torch_compat import INCEPTION_MEAN, INCEPTION_STD

__all__ = ["InceptionResNetV2", "preprocess_input", "decode_predictions"]


def InceptionResNetV2(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="inception_resnet_v2",
):
    """Inception-ResNet-v2 (Szegedy et al. 2016) as timm's `inception_resnet_v2`; see the module docstring."""
    return build("inception_resnet_v2", locals())


def preprocess_input(x, data_format=None):
    """[0, 255] RGB images (NumPy or tensor) scaled to [-1, 1], as keras.applications' and our Inception-ResNet-v2 expect."""
    return normalize(x, INCEPTION_MEAN, INCEPTION_STD, data_format)
