"""Per-layer tables: output shape, parameters, multiply-accumulates, activation memory, receptive field.

MACs are counted the way papers count "FLOPs" for CNNs (one multiply-add = one MAC): convolutions,
depthwise convolutions and dense layers. Elementwise work (BN, activations, adds, pooling) is not
counted, as in the papers' tables. A custom layer adds its own by defining `count_macs(input_shape)`.

Example:
    >>> import keras_classics
    >>> from keras_classics.analysis import layer_table, count_macs
    >>> table = layer_table(keras_classics.lenet5())
    >>> int(table["macs"].sum()) == count_macs(keras_classics.lenet5())
    True
"""

from __future__ import annotations

import math

import keras
import numpy as np
import pandas as pd

from keras_classics.torch_compat import pair


def _shape(tensor):
    return tuple(tensor.shape[1:])


def _inputs(layer):
    node = layer._inbound_nodes[0] if layer._inbound_nodes else None
    return list(node.input_tensors) if node is not None else []


def _outputs(layer):
    node = layer._inbound_nodes[0] if layer._inbound_nodes else None
    return list(node.output_tensors) if node is not None else []


def layer_macs(layer) -> int:
    """Multiply-accumulates of one layer's first call (0 for layers that do no multiply-adds)."""
    inputs, outputs = _inputs(layer), _outputs(layer)
    if not outputs:
        return 0
    out = _shape(outputs[0])
    if None in out:
        raise ValueError(f"layer {layer.name!r} has an unknown output size {out}; build the model with a fixed input_shape")
    counter = getattr(layer, "count_macs", None)
    if counter is not None:
        return int(counter(_shape(inputs[0])))
    L = keras.layers
    if isinstance(layer, L.DepthwiseConv2D):
        kh, kw = pair(layer.kernel_size)
        return int(np.prod(out[:-1]) * kh * kw * out[-1])
    if isinstance(layer, (L.Conv2D, L.Conv1D)):
        kernel = layer.kernel.shape  # (..., in / groups, out)
        return int(np.prod(out[:-1]) * np.prod(kernel[:-1]) * out[-1])
    if isinstance(layer, L.Dense):
        return int(np.prod(out[:-1], dtype=np.int64) * layer.kernel.shape[0] * layer.kernel.shape[1])
    return 0


def _receptive(layer, fields):
    """(receptive field, jump) of a layer's output from those of its inputs (square kernels/strides)."""
    sources = [fields.get(id(t)) for t in _inputs(layer)]
    sources = [s for s in sources if s is not None]
    if not sources:
        return (1, 1)
    field, jump = max(sources)
    L = keras.layers
    if isinstance(layer, (L.Conv2D, L.DepthwiseConv2D, L.MaxPooling2D, L.AveragePooling2D)):
        kernel = pair(getattr(layer, "kernel_size", None) or layer.pool_size)[0]
        stride = pair(layer.strides)[0]
        dilation = pair(getattr(layer, "dilation_rate", 1))[0]
        return (field + (kernel - 1) * dilation * jump, jump * stride)
    if isinstance(layer, (L.GlobalAveragePooling2D, L.GlobalMaxPooling2D, L.Flatten)):
        # Each output sees the union of every input position's field.
        side = _shape(_inputs(layer)[0])[0] if len(_shape(_inputs(layer)[0])) == 3 else None
        return (field + (side - 1) * jump, jump) if side else (math.inf, jump)
    return (field, jump)


def layer_table(model: keras.Model) -> pd.DataFrame:
    """One row per layer: name, type, output shape, params, MACs, output memory (bytes), receptive field."""
    fields = {id(t): (1, 1) for t in model.inputs}
    rows = []
    for layer in model.layers:
        outputs = _outputs(layer)
        if isinstance(layer, keras.layers.InputLayer) or not outputs:
            continue
        field = _receptive(layer, fields)
        for tensor in outputs:
            fields[id(tensor)] = field
        shape = _shape(outputs[0])
        itemsize = np.dtype(outputs[0].dtype).itemsize
        rows.append(
            {
                "layer": layer.name,
                "type": type(layer).__name__,
                "output_shape": shape,
                "params": int(sum(np.prod(w.shape) for w in layer.weights)),
                "macs": layer_macs(layer),
                "memory_bytes": int(np.prod(shape)) * itemsize if None not in shape else None,
                "receptive_field": field[0],
            }
        )
    return pd.DataFrame(rows)


def count_macs(model: keras.Model) -> int:
    """Total multiply-accumulates of one forward pass of one image."""
    return int(sum(layer_macs(layer) for layer in model.layers if not isinstance(layer, keras.layers.InputLayer)))
