"""keras.applications' names for the zoo's networks: swap the import, keep the code.

For every network keras.applications and the zoo share, a function of the same name, signature, positional
order and defaults (except `weights`: None, or a local file; nothing is downloaded) and the same input
convention, returning our faithful network; and modules named like keras.applications' own
(`keras_classics.applications.resnet50.preprocess_input`, `...mobilenet_v2.decode_predictions`, ...).
Each module's `preprocess_input` maps [0, 255] RGB images to what *our* network of that name expects; where
that differs from keras.applications' (torchvision-normalized ResNets, VGGs and MobileNetV2), its docstring
and the README's table say so. Layer names are the reference implementation's (torchvision/timm), not Keras'.

Example:
    >>> import numpy as np
    >>> from keras_classics.applications import MobileNetV2, mobilenet_v2
    >>> model = MobileNetV2(input_shape=(96, 96, 3), alpha=0.35, weights=None)
    >>> scores = model.predict(mobilenet_v2.preprocess_input(np.zeros((1, 96, 96, 3))), verbose=0)
    >>> len(mobilenet_v2.decode_predictions(scores, top=3)[0])
    3
"""

from keras_classics.applications import (
    convnext,
    densenet,
    efficientnet,
    efficientnet_v2,
    imagenet_utils,
    inception_resnet_v2,
    inception_v3,
    mobilenet,
    mobilenet_v2,
    mobilenet_v3,
    nasnet,
    resnet,
    resnet50,
    resnet_v2,
    vgg16,
    vgg19,
    xception,
)
from keras_classics.applications.convnext import (
    ConvNeXtBase,
    ConvNeXtLarge,
    ConvNeXtSmall,
    ConvNeXtTiny,
    ConvNeXtXLarge,
)
from keras_classics.applications.densenet import DenseNet121, DenseNet169, DenseNet201
from keras_classics.applications.efficientnet import (
    EfficientNetB0,
    EfficientNetB1,
    EfficientNetB2,
    EfficientNetB3,
    EfficientNetB4,
    EfficientNetB5,
    EfficientNetB6,
    EfficientNetB7,
)
from keras_classics.applications.efficientnet_v2 import (
    EfficientNetV2B0,
    EfficientNetV2B1,
    EfficientNetV2B2,
    EfficientNetV2B3,
    EfficientNetV2L,
    EfficientNetV2M,
    EfficientNetV2S,
)
from keras_classics.applications.inception_resnet_v2 import InceptionResNetV2
from keras_classics.applications.inception_v3 import InceptionV3
from keras_classics.applications.mobilenet import MobileNet
from keras_classics.applications.mobilenet_v2 import MobileNetV2
from keras_classics.applications.mobilenet_v3 import MobileNetV3Large, MobileNetV3Small
from keras_classics.applications.nasnet import NASNetLarge, NASNetMobile
from keras_classics.applications.resnet import ResNet50, ResNet101, ResNet152
from keras_classics.applications.resnet_v2 import ResNet50V2, ResNet101V2, ResNet152V2
from keras_classics.applications.vgg16 import VGG16
from keras_classics.applications.vgg19 import VGG19
from keras_classics.applications.xception import Xception

# keras.applications' network and its registry name here, for the README table and the tests.
ZOO_NAMES = {
    "ConvNeXtTiny": "convnext_tiny",
    "ConvNeXtSmall": "convnext_small",
    "ConvNeXtBase": "convnext_base",
    "ConvNeXtLarge": "convnext_large",
    "ConvNeXtXLarge": "convnext_xlarge",
    "DenseNet121": "densenet121",
    "DenseNet169": "densenet169",
    "DenseNet201": "densenet201",
    **{f"EfficientNetB{i}": f"efficientnet_b{i}" for i in range(8)},
    **{f"EfficientNetV2B{i}": f"efficientnet_v2_b{i}" for i in range(4)},
    "EfficientNetV2S": "efficientnet_v2_s",
    "EfficientNetV2M": "efficientnet_v2_m",
    "EfficientNetV2L": "efficientnet_v2_l",
    "InceptionResNetV2": "inception_resnet_v2",
    "InceptionV3": "inception_v3",
    "MobileNet": "mobilenet_v1",
    "MobileNetV2": "mobilenet_v2",
    "MobileNetV3Large": "mobilenet_v3_large",
    "MobileNetV3Small": "mobilenet_v3_small",
    "NASNetMobile": "nasnet_mobile",
    "NASNetLarge": "nasnet_large",
    "ResNet50": "resnet50",
    "ResNet101": "resnet101",
    "ResNet152": "resnet152",
    "ResNet50V2": "resnet50_v2",
    "ResNet101V2": "resnet101_v2",
    "ResNet152V2": "resnet152_v2",
    "VGG16": "vgg16",
    "VGG19": "vgg19",
    "Xception": "xception",
}

__all__ = list(ZOO_NAMES) + [
    "convnext",
    "densenet",
    "efficientnet",
    "efficientnet_v2",
    "imagenet_utils",
    "inception_resnet_v2",
    "inception_v3",
    "mobilenet",
    "mobilenet_v2",
    "mobilenet_v3",
    "nasnet",
    "resnet",
    "resnet50",
    "resnet_v2",
    "vgg16",
    "vgg19",
    "xception",
]
