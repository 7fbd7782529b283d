"""EfficientNet-B0 to B7 under keras.applications.efficientnet's names, with `preprocess_input` and
`decode_predictions`.

Ours are torchvision's EfficientNets (the TF reference network, as keras.applications'). As in
keras.applications the model takes [0, 255] RGB pixels and normalizes them in the graph (torchvision's
ImageNet mean and std, a Keras `Rescaling` layer), so `preprocess_input` returns its input unchanged.

Example:
    >>> import numpy as np
    >>> from keras_classics.applications.efficientnet import EfficientNetB0, preprocess_input
    >>> model = EfficientNetB0(include_top=False, input_shape=(32, 32, 3))
    >>> model.layers[1].name, model(preprocess_input(np.full((1, 32, 32, 3), 255.0))).shape
    ('preprocessing', TensorShape([1, 1, 1, 1280]))
"""

from keras_classics.applications._build import build
from keras_classics.applications.imagenet_utils import decode_predictions

__all__ = ["EfficientNetB0", "EfficientNetB1", "EfficientNetB2", "EfficientNetB3", "EfficientNetB4", "EfficientNetB5", "EfficientNetB6", "EfficientNetB7", "preprocess_input", "decode_predictions"]


def EfficientNetB0(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="efficientnetb0",
):
    """EfficientNet-B0 (Tan & Le 2019) as torchvision's `efficientnet_b0`, normalizing [0, 255] pixels in the graph."""
    return build("efficientnet_b0", locals(), include_preprocessing=True)


def EfficientNetB1(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="efficientnetb1",
):
    """EfficientNet-B1 (Tan & Le 2019) as torchvision's `efficientnet_b1`, normalizing [0, 255] pixels in the graph."""
    return build("efficientnet_b1", locals(), include_preprocessing=True)


def EfficientNetB2(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="efficientnetb2",
):
    """EfficientNet-B2 (Tan & Le 2019) as torchvision's `efficientnet_b2`, normalizing [0, 255] pixels in the graph."""
    return build("efficientnet_b2", locals(), include_preprocessing=True)


def EfficientNetB3(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="efficientnetb3",
):
    """EfficientNet-B3 (Tan & Le 2019) as torchvision's `efficientnet_b3`, normalizing [0, 255] pixels in the graph."""
    return build("efficientnet_b3", locals(), include_preprocessing=True)


def EfficientNetB4(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="efficientnetb4",
):
    """EfficientNet-B4 (Tan & Le 2019) as torchvision's `efficientnet_b4`, normalizing [0, 255] pixels in the graph."""
    return build("efficientnet_b4", locals(), include_preprocessing=True)


def EfficientNetB5(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="efficientnetb5",
):
    """EfficientNet-B5 (Tan & Le 2019) as torchvision's `efficientnet_b5`, normalizing [0, 255] pixels in the graph."""
    return build("efficientnet_b5", locals(), include_preprocessing=True)


def EfficientNetB6(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="efficientnetb6",
):
    """EfficientNet-B6 (Tan & Le 2019) as torchvision's `efficientnet_b6`, normalizing [0, 255] pixels in the graph."""
    return build("efficientnet_b6", locals(), include_preprocessing=True)


def EfficientNetB7(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="efficientnetb7",
):
    """EfficientNet-B7 (Tan & Le 2019) as torchvision's `efficientnet_b7`, normalizing [0, 255] pixels in the graph."""
    return build("efficientnet_b7", locals(), include_preprocessing=True)


def preprocess_input(x, data_format=None):
    """Returns `x` unchanged: these models normalize [0, 255] pixels themselves (as keras.applications')."""
    return x
