"""VGG's warm start (Simonyan & Zisserman 2015, Sec. 3.1): a deep configuration begins from a trained shallow one.

"To circumvent this problem, we began with training the configuration A, shallow enough to be trained with
random initialisation. Then, when training deeper architectures, we initialised the first four convolutional
layers and the last three fully-connected layers with the layers of net A (the intermediate layers were
initialised randomly)."

Net A's first four convolutions are conv1_1, conv2_1, conv3_1 and conv3_2 (Table 1: one conv in each of the
first two blocks); each goes to the layer of the same block and position in the deeper net, which has the
same shape (conv1_1 of D is 3 -> 64 like A's, its conv1_2 has no counterpart in A). The three fully connected
layers are copied whole. BatchNorm layers (the `_bn` variants) are not copied: the paper had none.

Example:
    >>> import keras_classics
    >>> from keras_classics.training.warm_start import vgg_warm_start
    >>> a = keras_classics.vgg11(include_top=False, input_shape=(32, 32, 3))
    >>> d = keras_classics.vgg16(include_top=False, input_shape=(32, 32, 3))
    >>> vgg_warm_start(d, a)   # with include_top=True, also 'fc6', 'fc7', 'fc8'
    ['conv1_1', 'conv2_1', 'conv3_1', 'conv3_2']
"""

from __future__ import annotations

import keras

FULLY_CONNECTED = ("fc6", "fc7", "fc8")
VGG_KERNELS = ((3, 3), (1, 1))  # Table 1: 3x3 convolutions, and configuration C's 1x1


def vgg_layers(model) -> dict:
    """The paper's names of a VGG's weight layers: {"conv1_1": layer, ..., "fc6": ..., "fc8": ...}.

    Convolutions are numbered by block (a max-pool ends a block) and position, dense layers fc6 to fc8.
    """
    named, block, position, dense = {}, 1, 0, 0
    for layer in model.layers:
        if isinstance(layer, keras.layers.Conv2D):
            position += 1
            named[f"conv{block}_{position}"] = layer
        elif "Pool" in type(layer).__name__ and position:
            block, position = block + 1, 0
        elif isinstance(layer, keras.layers.Dense):
            named[FULLY_CONNECTED[dense] if dense < len(FULLY_CONNECTED) else f"fc{6 + dense}"] = layer
            dense += 1
    return named


def vgg_warm_start(deep, shallow, convolutions: int = 4) -> list[str]:
    """Copy `shallow`'s first `convolutions` conv layers and its fully connected layers into `deep`.

    Returns the paper's names of the layers copied; the rest of `deep` keeps its own initialisation.

    Raises:
        ValueError: a model that is not a VGG (no conv1_1), or a layer whose shapes differ between the two
            (other input sizes or class counts), named with both shapes.
    """
    theirs, ours = vgg_layers(shallow), vgg_layers(deep)
    for model, named in ((shallow, theirs), (deep, ours)):
        kernels = {name: tuple(layer.kernel_size) for name, layer in named.items() if name.startswith("conv")}
        odd = next((f"{name} has a {k[0]}x{k[1]} kernel" for name, k in kernels.items() if k not in VGG_KERNELS), None)
        if not kernels or odd:
            raise ValueError(
                f"vgg_warm_start copies between VGG networks; {model.name!r} is not one ({odd or 'no convs'})"
            )
    shallow_convs = [name for name in theirs if name.startswith("conv")][:convolutions]
    fully_connected = [name for name in theirs if name.startswith("fc")]
    copied = []
    for name in shallow_convs + fully_connected:
        if name not in ours:
            raise ValueError(f"{deep.name!r} has no layer {name} to take {shallow.name!r}'s")
        source, target = theirs[name], ours[name]
        shapes = [tuple(w.shape) for w in source.weights], [tuple(w.shape) for w in target.weights]
        if shapes[0] != shapes[1]:
            raise ValueError(
                f"{name}: {shallow.name!r} has weights {shapes[0]} but {deep.name!r} {shapes[1]} "
                "(build both for the same input size and classes)"
            )
        target.set_weights(source.get_weights())
        copied.append(name)
    return copied
