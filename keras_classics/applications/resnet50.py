"""keras.applications.resnet50's names: ResNet-50, its `preprocess_input` and `decode_predictions`.

Example:
    >>> from keras_classics.applications import resnet50
    >>> resnet50.ResNet50 is resnet50.resnet.ResNet50
    True
"""

from keras_classics.applications import resnet
from keras_classics.applications.resnet import ResNet50, decode_predictions, preprocess_input

__all__ = ["ResNet50", "preprocess_input", "decode_predictions"]
