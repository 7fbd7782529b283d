"""Hard sigmoid and hard swish, the piecewise-linear activations of MobileNetV3, as functions.

The models use Keras' own `Activation("hard_sigmoid")` and `Activation("hard_silu")`, which compute the
same (so their `.keras` files need no custom objects); these functions serve the composite layers
(`SqueezeExcite`'s gate) and users, and are registered, so `Dense(..., activation=hard_swish)` saves and
loads by name.
"""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_classics")
def hard_sigmoid(x):
    """`relu6(x + 3) / 6`: 0 below -3, 1 above 3, `x / 6 + 0.5` between.

    This is the definition of MobileNetV3 (Howard et al. 2019) and of PyTorch's `F.hardsigmoid`, used by
    torchvision and timm. Keras 2's `hard_sigmoid` was `clip(0.2 * x + 0.5, 0, 1)`, a different slope:
    weights trained with one do not carry over to the other. (Keras 3 switched to the definition here.)

    Example:
        >>> [float(v) for v in hard_sigmoid(keras.ops.convert_to_tensor([-4.0, 0.0, 1.5, 4.0]))]
        [0.0, 0.5, 0.75, 1.0]
    """
    x = ops.convert_to_tensor(x)
    return ops.relu6(x + ops.cast(3.0, x.dtype)) / ops.cast(6.0, x.dtype)


@keras.saving.register_keras_serializable(package="keras_classics")
def hard_swish(x):
    """`x * relu6(x + 3) / 6`, MobileNetV3's cheap swish (Howard et al. 2019; PyTorch `F.hardswish`).

    Example:
        >>> [float(v) for v in hard_swish(keras.ops.convert_to_tensor([-4.0, 0.0, 1.5, 4.0]))]
        [-0.0, 0.0, 1.125, 4.0]
    """
    x = ops.convert_to_tensor(x)
    return x * hard_sigmoid(x)
