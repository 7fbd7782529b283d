"""NASNet-A Mobile and Large under keras.applications.nasnet's names, with `preprocess_input` and
`decode_predictions`.

`NASNetMobile` is keras.applications' own network (the same layers, padding and BatchNorm momentum; its
weights map one to one); `NASNetLarge` is timm's `nasnetalarge`, which differs from keras.applications' only
at the border of the strided max-pools (TensorFlow's "SAME": the padding is ignored, where keras.applications
pads with zeros). Layer names are timm's. Inputs: [0, 255] RGB scaled to [-1, 1] by `preprocess_input`, as in
keras.applications. Both need a fixed input size: without `input_shape`, `include_top=False` builds for the
default size (224 or 331) where keras.applications leaves the size open.

Example:
    >>> from keras_classics.applications.nasnet import NASNetMobile
    >>> NASNetMobile(include_top=False, input_shape=(96, 96, 3)).output.shape
    (None, 3, 3, 1056)
"""

from keras_classics.applications._build import build
from keras_classics.applications.imagenet_utils import decode_predictions, normalize
from keras_classics.torch_compat import INCEPTION_MEAN, INCEPTION_STD

__all__ = ["NASNetMobile", "NASNetLarge", "preprocess_input", "decode_predictions"]


def NASNetMobile(
    input_shape=None,
    include_top=True,
    weights=None,
    input_tensor=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="nasnet_mobile",
):
    """NASNet-A 4 @ 1056 (Zoph et al. 2018) as keras.applications' NASNetMobile; see the module docstring."""
    return build("nasnet_mobile", locals())


def NASNetLarge(
    input_shape=None,
    include_top=True,
    weights=None,
    input_tensor=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="nasnet_large",
):
    """NASNet-A 6 @ 4032 (Zoph et al. 2018) as timm's `nasnetalarge`; see the module docstring."""
    return build("nasnet_large", locals())


def preprocess_input(x, data_format=None):
    """[0, 255] RGB images (NumPy or tensor) scaled to [-1, 1], as keras.applications' and our NASNets expect."""
    return normalize(x, INCEPTION_MEAN, INCEPTION_STD, data_format)
