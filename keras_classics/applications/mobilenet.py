"""MobileNet (V1) under keras.applications.mobilenet's names, with `preprocess_input` and `decode_predictions`.

Ours is timm's `mobilenetv1_100` (Howard et al. 2017; ReLU6 as TF-slim and Keras). With a width multiplier
other than 1 it rounds channels to multiples of 8 as timm does, where keras.applications truncates
`int(channels * alpha)` (the same numbers for the paper's 0.25/0.5/0.75). Inputs: [0, 255] RGB scaled to
[-1, 1] by `preprocess_input`, as in keras.applications.

Example:
    >>> from keras_classics.applications.mobilenet import MobileNet
    >>> model = MobileNet((128, 128, 3), 0.25, 1, 1e-3, False, None)  # keras.applications' positional order
    >>> model.name, model.output.shape
    ('mobilenet_0.25_128', (None, 4, 4, 256))
"""

from keras_classics.applications._build import build, input_rows
from keras_classics.applications.imagenet_utils import decode_predictions, normalize
from keras_classics.torch_compat import INCEPTION_MEAN, INCEPTION_STD

__all__ = ["MobileNet", "preprocess_input", "decode_predictions"]


def MobileNet(
    input_shape=None,
    alpha=1.0,
    depth_multiplier=1,
    dropout=1e-3,
    include_top=True,
    weights=None,
    input_tensor=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name=None,
):
    """MobileNet V1 as timm's `mobilenetv1_100`; `dropout` is the rate before the classifier.

    The default name is keras.applications': `mobilenet_{alpha:.2f}_{input rows}`.
    """
    if name is None:
        name = f"mobilenet_{alpha:0.2f}_{input_rows(input_shape, input_tensor, include_top, 224)}"
    return build("mobilenet_v1", locals())


def preprocess_input(x, data_format=None):
    """[0, 255] RGB images (NumPy or tensor) scaled to [-1, 1], as keras.applications' and our MobileNet expect."""
    return normalize(x, INCEPTION_MEAN, INCEPTION_STD, data_format)
