"""Dense evaluation (VGG, Sec. 3.2): the fully connected head turned into convolutions, run on any input size.

The first fully connected layer reads an `h x w x c` feature map flattened; the same weights reshaped to an
`h x w` convolution with `c` input channels compute it at every `h x w` window of a larger map, and each
later fully connected layer becomes a 1x1 convolution. The result maps an image of any size (at least the
native one) to a class-score map; at the native size the map is 1x1 and equals the original output, and at
larger sizes its spatial average is VGG's dense evaluation. A globally pooled network already takes any size:
for those this is a no-op.

Example:
    >>> import numpy as np, keras_classics
    >>> from keras_classics.evaluation.dense import to_fully_convolutional
    >>> model = keras_classics.lenet5()
    >>> dense = to_fully_convolutional(model)
    >>> dense(np.zeros((1, 64, 64, 1), "float32")).shape  # a 9x9 map of 10 class scores
    TensorShape([1, 9, 9, 10])
"""

from __future__ import annotations

import keras
import numpy as np
from keras import layers

# Layers of keras_classics.blocks.pooling.adaptive_avg_pool: present only when the pool is not the identity.
_ADAPTIVE_POOL_PREFIX = "avgpool"


def has_dense_head(model) -> bool:
    """Whether `model` ends in a flatten and fully connected layers (AlexNet, ZFNet, VGG, LeNet-5)."""
    return any(isinstance(layer, layers.Flatten) for layer in model.layers)


def to_fully_convolutional(model):
    """A model computing `model`'s class scores at every native-size window of any larger input.

    Returns `model` itself when it has no fully connected head (its global pool already takes any size);
    otherwise a new model, input `(None, None, C)`, output `(N, h, w, classes)`, sharing the feature
    layers and holding the head's weights reshaped into convolutions.

    Raises:
        ValueError: the features are not a plain chain of layers, or the model was built at a size where
            its adaptive pool is not the identity (build it at its native size to convert it).
    """
    if not has_dense_head(model):
        return model
    flatten_at = next(i for i, layer in enumerate(model.layers) if isinstance(layer, layers.Flatten))
    body = [layer for layer in model.layers[:flatten_at] if not isinstance(layer, layers.InputLayer)]
    pooled = [layer.name for layer in body if layer.name.startswith(_ADAPTIVE_POOL_PREFIX)]
    if pooled:
        raise ValueError(
            f"{model.name} was built at a size where its adaptive pool averages ({', '.join(pooled)}); dense "
            "evaluation converts the head at the native size, where the pool is the identity: build the model "
            "with its default input_shape"
        )
    _check_chain(model, body)
    height, width = model.layers[flatten_at].input.shape[1:3]
    inputs = keras.Input((None, None, model.inputs[0].shape[-1]), name="image")
    x = inputs
    for layer in body:
        x = layer(x)
    first = True
    for layer in model.layers[flatten_at + 1 :]:
        if isinstance(layer, layers.Dropout):
            continue  # inference: the identity
        if isinstance(layer, layers.Dense):
            window = (height, width) if first else (1, 1)
            x = _dense_as_conv(layer, window, x.shape[-1])(x)
            first = False
        else:
            x = layer(x)  # activations act on the last axis: per location
    return keras.Model(inputs, x, name=f"{model.name}_dense")


def _check_chain(model, body):
    previous = model.inputs[0]
    for layer in body:
        if layer.input is not previous:
            raise ValueError(f"dense evaluation needs a plain chain of feature layers; {layer.name!r} is not one")
        previous = layer.output


def _dense_as_conv(dense, window, in_channels):
    kernel, *bias = dense.get_weights()
    conv = layers.Conv2D(
        dense.units,
        window,
        activation=dense.activation,
        use_bias=dense.use_bias,
        name=f"{dense.name}_as_conv",
        dtype=dense.dtype_policy,
    )
    conv.build((None, None, None, in_channels))
    # Flatten reads (h, w, c) in row-major order: the kernel rows are that order too.
    conv.set_weights([np.reshape(kernel, (*window, in_channels, dense.units)), *bias])
    return conv


def dense_predict(dense_model, images, batch_size: int = 8):
    """Class scores averaged over the score map (VGG's dense evaluation), `(N, classes)`."""
    scores = []
    for start in range(0, len(images), batch_size):
        score_map = np.asarray(dense_model(images[start : start + batch_size], training=False))
        scores.append(score_map.reshape(len(score_map), -1, score_map.shape[-1]).mean(axis=1))
    return np.concatenate(scores)
