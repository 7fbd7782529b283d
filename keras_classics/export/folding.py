"""Folding BatchNormalization into the layer before it, for inference.

At inference a BatchNormalization is a fixed per-channel affine map, `y = (x - mean) * s + beta` with
`s = gamma / sqrt(variance + epsilon)`. When `x` is the output of a convolution or Dense layer used by
nothing else, the map can be moved into that layer's weights: `kernel * s` (per output channel) and
`(bias - mean) * s + beta`. Keras 3 computes BatchNormalization at inference as separate element-wise
ops over every activation (keras.applications' models too), so a folded copy does the same arithmetic
with one pass less over each feature map. In the default benchmark run of 2026-12-07 (2 CPU cores,
`benchmarks/results/inference.csv`, column `ours_folded_vs_ours`) the folded copies took a median 0.82 of
the unfolded time over 23 networks (0.48-1.04): ResNet-50 0.82, MobileNetV2 0.56 / 0.49 at batch 1 / 32.
The TFLite converter folds these itself (the same ops either way), so `export_tflite` gains nothing from
it; a SavedModel does.

The folded copy is for predicting and exporting, not for training: it has no batch statistics to
update. Layer names are kept (each folded BatchNormalization becomes an `Identity` of the same name),
so feature-stage names, `get_layer` and the per-layer tables work on it unchanged. It works on any
functional or Sequential Keras model, keras.applications' included; nested models are folded too.

Example:
    >>> import numpy as np, keras_classics
    >>> from keras_classics.export import fold_batch_norm
    >>> model = keras_classics.mobilenet_v2(input_shape=(32, 32, 3), classes=10)
    >>> folded = fold_batch_norm(model)
    >>> x = np.random.default_rng(0).uniform(-1, 1, (2, 32, 32, 3)).astype("float32")
    >>> bool(np.allclose(folded(x), model(x, training=False), atol=1e-5))
    True
    >>> len(foldable_pairs(model))  # every BatchNormalization of MobileNetV2 follows a convolution
    52
"""

from __future__ import annotations

import collections

import keras
import numpy as np

# Layers whose kernel's last axis is the output channel; DepthwiseConv2D is handled on its own.
_KERNEL_LAST_AXIS_OUT = (keras.layers.Conv1D, keras.layers.Conv2D, keras.layers.Conv3D, keras.layers.Dense)


def fold_batch_norm(model):
    """A copy of `model` for inference with each foldable BatchNormalization folded into its producer.

    A BatchNormalization is folded when it normalizes the last axis and its input is the output of a
    Conv1D/2D/3D (grouped ones included), DepthwiseConv2D or Dense layer with no activation whose output
    nothing else uses. The others (after an addition, a concatenation or an activation, as in pre-activation
    ResNets and DenseNets) stay as they are. `foldable_pairs(model)` lists what will be folded.

    Args:
        model: a built functional or Sequential Keras model. It is not changed.

    Returns:
        A new model with the same name, inputs, outputs and layer names; its outputs equal `model`'s in
        inference mode up to float32 rounding.

    Raises:
        TypeError: `model` is a subclassed model, whose graph cannot be rewritten.
        ValueError: `model` is not built.
    """
    _check_graph(model)
    producers = {id(producer): bn for producer, bn in _foldable_layers(model)}
    folded_norms = {id(bn) for bn in producers.values()}
    clones = {}
    stand_ins = set()  # the Identity layers that replace folded BatchNormalizations

    def clone(layer):
        if isinstance(layer, keras.Model):
            copy = fold_batch_norm(layer)
        elif id(layer) in folded_norms:
            copy = keras.layers.Identity(name=layer.name, dtype=layer.dtype_policy.name)
            stand_ins.add(id(copy))
        elif id(layer) in producers:
            copy = layer.__class__.from_config({**layer.get_config(), "use_bias": True})
        else:
            copy = layer.__class__.from_config(layer.get_config())
        clones[id(layer)] = (layer, copy)
        return copy

    def call(layer, *args, **kwargs):
        if id(layer) in stand_ins:
            return layer(args[0])  # a folded BatchNormalization's `training` and `mask` mean nothing now
        return layer(*args, **kwargs)

    if isinstance(model, keras.Sequential):  # calls each layer on its input alone
        folded = keras.models.clone_model(model, clone_function=clone)
    else:
        folded = keras.models.clone_model(model, clone_function=clone, call_function=call)
    for layer, copy in clones.values():
        if isinstance(layer, keras.Model) or id(layer) in folded_norms or not isinstance(layer, keras.layers.Layer):
            continue  # a nested model came back folded, with its weights; an Identity or an op (ops.split) has none
        if id(layer) in producers:
            copy.set_weights(_folded_weights(layer, producers[id(layer)]))
        else:
            copy.set_weights(layer.get_weights())
    return folded


def foldable_pairs(model) -> list[tuple[str, str]]:
    """The `(producer, batch_norm)` layer names that `fold_batch_norm` folds, in graph order; a nested
    model's are written `nested_model/layer`.

    Example:
        >>> import keras
        >>> inputs = keras.Input((8, 8, 3))
        >>> x = keras.layers.Conv2D(4, 3, use_bias=False, name="conv")(inputs)
        >>> y = keras.layers.BatchNormalization(name="bn")(x)
        >>> z = keras.layers.BatchNormalization(name="bn_after_add")(keras.layers.Add()([y, y]))
        >>> foldable_pairs(keras.Model(inputs, z))
        [('conv', 'bn')]
    """
    _check_graph(model)
    pairs = [(producer.name, norm.name) for producer, norm in _foldable_layers(model)]
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            pairs += [(f"{layer.name}/{a}", f"{layer.name}/{b}") for a, b in foldable_pairs(layer)]
    return pairs


def _foldable_layers(model) -> list:
    """The `(producer, batch_norm)` layers of `model`'s own graph that fold, in graph order."""
    if isinstance(model, keras.Sequential):
        layers = model.layers
        candidates = zip(layers, layers[1:])
        return [(a, b) for a, b in candidates if _is_producer(a) and _is_last_axis_norm(b, b.input)]
    nodes = [node for depth in sorted(model._nodes_by_depth, reverse=True) for node in model._nodes_by_depth[depth]]
    calls = collections.Counter(id(node.operation) for node in nodes)
    # how often each tensor is read: by a layer call or as a model output
    readers = [tensor for node in nodes for tensor in node.input_tensors] + list(model.outputs)
    uses = collections.Counter(_key(tensor) for tensor in readers)
    pairs = []
    for node in nodes:
        norm = node.operation
        if calls[id(norm)] != 1 or len(node.input_tensors) != 1:
            continue
        tensor = node.input_tensors[0]
        if not _is_last_axis_norm(norm, tensor):
            continue
        producer = tensor._keras_history.operation
        if _is_producer(producer) and calls[id(producer)] == 1 and uses[_key(tensor)] == 1:
            pairs.append((producer, norm))
    return pairs


def _check_graph(model):
    rewritable = isinstance(model, keras.Sequential) or hasattr(model, "_nodes_by_depth")
    if not isinstance(model, keras.Model) or not rewritable:
        raise TypeError(
            "fold_batch_norm needs a functional or Sequential Keras model, whose layer graph it can rewrite; "
            f"got {type(model).__name__}"
        )
    if not model.built:
        raise ValueError(f"model {model.name!r} is not built yet; call it on data or build it first")


def _key(tensor):
    history = tensor._keras_history
    return id(history.operation), history.node_index, history.tensor_index


def _is_producer(layer) -> bool:
    linear = getattr(layer, "activation", None) in (None, keras.activations.linear)
    return isinstance(layer, (*_KERNEL_LAST_AXIS_OUT, keras.layers.DepthwiseConv2D)) and linear


def _is_last_axis_norm(layer, tensor) -> bool:
    """`layer` is a BatchNormalization normalizing the last axis of `tensor`, its input."""
    if not isinstance(layer, keras.layers.BatchNormalization) or not layer.built:
        return False
    return layer.axis in (-1, len(tensor.shape) - 1)


def _folded_weights(producer, norm) -> list[np.ndarray]:
    """The producer's kernel and bias with `norm`'s inference map moved into them (computed in float64)."""
    variance = np.asarray(norm.moving_variance, dtype="float64")
    scale = 1.0 / np.sqrt(variance + norm.epsilon)
    if norm.scale:
        scale = scale * np.asarray(norm.gamma, dtype="float64")
    shift = -np.asarray(norm.moving_mean, dtype="float64") * scale
    if norm.center:
        shift = shift + np.asarray(norm.beta, dtype="float64")
    kernel = np.asarray(producer.kernel, dtype="float64")
    if isinstance(producer, keras.layers.DepthwiseConv2D):  # (kh, kw, in, multiplier): out = in * multiplier + m
        kernel = kernel * scale.reshape(kernel.shape[-2:])
    else:
        kernel = kernel * scale
    bias = shift
    if producer.use_bias:
        bias = bias + np.asarray(producer.bias, dtype="float64") * scale
    dtype = producer.kernel.dtype
    return [kernel.astype(dtype), bias.astype(dtype)]
