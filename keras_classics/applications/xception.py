"""Xception under keras.applications.xception's names, with `preprocess_input` and `decode_predictions`.

Ours is timm's `legacy_xception` (Chollet's Keras network, ported). Inputs: [0, 255] RGB scaled to
[-1, 1] by `preprocess_input`, as in keras.applications.

Example:
    >>> from keras_classics.applications.xception import Xception
    >>> Xception(include_top=False, input_shape=(71, 71, 3)).output.shape
    (None, 3, 3, 2048)
"""

from keras_classics.applications._build import build
from keras_classics.applications.imagenet_utils import decode_predictions, normalize
from keras_classics.torch_compat import INCEPTION_MEAN, INCEPTION_STD

__all__ = ["Xception", "preprocess_input", "decode_predictions"]


def Xception(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="xception",
):
    """Xception (Chollet 2017) as timm's `legacy_xception`; see the module docstring."""
    return build("xception", locals())


def preprocess_input(x, data_format=None):
    """[0, 255] RGB images (NumPy or tensor) scaled to [-1, 1], as keras.applications' and our Xception expect."""
    return normalize(x, INCEPTION_MEAN, INCEPTION_STD, data_format)
