"""Inception v3 under keras.applications.inception_v3's names, with `preprocess_input` and `decode_predictions`.

Ours is torchvision's `inception_v3` (its BN layers have a learned scale where keras.applications' have
none; `aux_logits` is off, as in keras.applications). Inputs: [0, 255] RGB scaled to [-1, 1] by
`preprocess_input`, as in keras.applications.

Example:
    >>> from keras_classics.applications.inception_v3 import InceptionV3
    >>> InceptionV3(include_top=False, input_shape=(75, 75, 3)).output.shape
    (None, 1, 1, 2048)
"""

from keras_classics.applications._build import build
from keras_classics.applications.imagenet_utils import decode_predictions, normalize
from keras_classics.torch_compat import INCEPTION_MEAN, INCEPTION_STD

__all__ = ["InceptionV3", "preprocess_input", "decode_predictions"]


def InceptionV3(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="inception_v3",
):
    """Inception v3 (Szegedy et al. 2015) as torchvision's `inception_v3`; see the module docstring."""
    return build("inception_v3", locals())


def preprocess_input(x, data_format=None):
    """[0, 255] RGB images (NumPy or tensor) scaled to [-1, 1], as keras.applications' and our Inception v3 expect."""
    return normalize(x, INCEPTION_MEAN, INCEPTION_STD, data_format)
