"""AlexNet's two GPUs as two devices (Krizhevsky et al. 2012, Sec. 3.2 and Fig. 2).

"The parallelization scheme that we employ essentially puts half of the kernels (or neurons) on each GPU,
with one additional trick: the GPUs communicate only in certain layers. This means that, for example, the
kernels of layer 3 take input from all kernel maps in layer 2. However, kernels in layer 4 take input only
from those kernel maps in layer 3 which reside on the same GPU."

`on_two_devices(model, devices)` rebuilds a one-device `alexnet_2gpu` as two towers, tower g on
`devices[g]`: each of its layers is wrapped in `OnDevice` and holds half of the one-device layer's kernels
or units (output channels [g C/2, (g+1) C/2), so the weights carry over and the outputs are the same). The
towers meet where the paper's GPUs do: conv1 (both see the image), conv3 and the fully connected layers
take both towers' maps; conv2, conv4, conv5, the response normalizations and the pools see their own.
The last layer (fc8, the 1000-way softmax) runs on the first device. `alexnet_2gpu(devices=[...])` builds
the model this way.

Example:
    >>> import numpy as np, keras_classics
    >>> one = keras_classics.alexnet_2gpu(input_shape=(67, 67, 3), classes=4)
    >>> two = on_two_devices(one, ["/cpu:0", "/cpu:0"])   # tests use two logical CPU devices
    >>> x = np.random.default_rng(0).uniform(0, 1, (1, 67, 67, 3)).astype("float32")
    >>> bool(np.allclose(one(x), two(x), atol=1e-6)), two.get_layer("features_3_b").device
    (True, '/cpu:0')
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

from keras_classics.layers import LocalResponseNormalization, OnDevice

TOWERS = ("a", "b")  # cuda-convnet's suffixes: conv1a on the first GPU, conv1b on the second


def check_devices(devices) -> list[str]:
    """Two device names this machine has, or ValueError naming what is wrong and the devices there are."""
    if isinstance(devices, str) or not isinstance(devices, (list, tuple)) or len(devices) != 2:
        raise ValueError(f"devices must be a list of two device names, e.g. ['/gpu:0', '/gpu:1']; got {devices!r}")
    present = tf.config.list_logical_devices()
    for device in devices:
        try:
            wanted = tf.DeviceSpec.from_string(str(device))
        except ValueError:
            wanted = None
        found = wanted is not None and any(
            tf.DeviceSpec.from_string(d.name).device_type.upper() == (wanted.device_type or "").upper()
            and tf.DeviceSpec.from_string(d.name).device_index == (wanted.device_index or 0)
            for d in present
        )
        if not found:
            names = ", ".join(d.name for d in present)
            raise ValueError(f"devices: {device!r} is not a device of this machine (it has {names})")
    return [str(d) for d in devices]


def _halves(weights):
    """The two towers' weights: the output channels (last axis) of every weight cut in two."""
    return [[w[..., g * w.shape[-1] // 2 : (g + 1) * w.shape[-1] // 2] for w in weights] for g in range(2)]


def _flatten_order(shape) -> np.ndarray:
    """Row order of the first dense layer's kernel when each tower flattens its own half of an (H, W, C)
    map: the one-device flatten numbers (h, w, c) as (h W + w) C + c, the towers' as their own halves in turn."""
    height, width, channels = shape[1:]
    index = np.arange(height * width * channels).reshape(height, width, channels)
    return np.concatenate([index[..., : channels // 2].ravel(), index[..., channels // 2 :].ravel()])


def _tower_copy(layer, name, **changes):
    return type(layer).from_config({**layer.get_config(), **changes, "name": name})


def _place(layer, device, inputs, weights=None):
    outputs = OnDevice(layer, device, name=layer.name)(inputs)
    if weights:
        layer.set_weights(weights)
    return outputs


def _both(towers, device, name):
    """Both towers' maps, gathered on `device`: where the paper's GPUs communicate."""
    return _place(keras.layers.Concatenate(axis=-1, name=name), device, list(towers))


def on_two_devices(model, devices) -> keras.Model:
    """`model` (a one-device `alexnet_2gpu`, with its head) as two towers on two devices; see the module."""
    devices = check_devices(devices)
    inputs = keras.Input(model.inputs[0].shape[1:], name="input")
    shared, towers, order = inputs, None, None
    body = model.layers[1:]
    last_dense = max(i for i, layer in enumerate(body) if isinstance(layer, keras.layers.Dense))
    for index, layer in enumerate(body):
        name, weights = layer.name, layer.get_weights()
        if index >= last_dense or (towers is None and not isinstance(layer, keras.layers.Conv2D)):
            # fc8 and the softmax after it, or preprocessing before conv1: one layer, on the first device
            if towers is not None:
                shared, towers = _both(towers, devices[0], f"{name}_inputs"), None
            shared = _place(_tower_copy(layer, name), devices[0], shared, weights)
            continue
        crosses, options, pieces = False, {}, [None, None]
        if isinstance(layer, keras.layers.Conv2D):  # conv1 and conv3 (one group) take both towers' maps
            crosses, options, pieces = layer.groups == 1, {"filters": layer.filters // 2, "groups": 1}, _halves(weights)
        elif isinstance(layer, keras.layers.Dense):
            if order is not None:  # the first dense layer after each tower flattened its own maps
                weights, order = [weights[0][order], *weights[1:]], None
            crosses, options, pieces = True, {"units": layer.units // 2}, _halves(weights)
        elif isinstance(layer, LocalResponseNormalization):
            options = {"groups": max(1, layer.groups // 2)}
        elif isinstance(layer, keras.layers.Flatten):
            order = _flatten_order(layer.input.shape)
        if towers is None:
            sources = [shared, shared]
        elif crosses:
            sources = [_both(towers, devices[g], f"{name}_inputs_{TOWERS[g]}") for g in range(2)]
        else:
            sources = towers
        towers = [
            _place(_tower_copy(layer, f"{name}_{TOWERS[g]}", **options), devices[g], sources[g], pieces[g])
            for g in range(2)
        ]
    return keras.Model(inputs, shared, name=model.name)
