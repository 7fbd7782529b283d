"""Per-layer tables: output shape, parameters, multiply-accumulates, activation memory, receptive field.

The receptive field follows the recurrence r_out = r_in + (k - 1) * d * j_in and j_out = j_in * s over
convolutions and pools (kernel k, dilation d, stride s), with `start`, the centre of the first output
unit's field in input pixels (the first pixel spans [0, 1)): start_out = start_in + ((k - 1) * d / 2 - p) * j_in,
p the padding before the first row. A layer joining branches takes its widest input's field.

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
        raise ValueError(
            f"layer {layer.name!r} has an unknown output size {out}; build the model with a fixed input_shape"
        )
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


def _kernel_stride_dilation(layer):
    """(k, s, d) of a layer that slides a window (convolutions, pools, custom layers that say so), or None."""
    window = getattr(layer, "kernel_size", None) or getattr(layer, "pool_size", None)
    if window is None or not hasattr(layer, "strides") or isinstance(layer, keras.layers.Dense):
        return None
    return pair(window)[0], pair(layer.strides)[0], pair(getattr(layer, "dilation_rate", 1))[0]


def _padding_before(layer, k, s, d, size_in, size_out):
    """Rows of padding before the first: 0 for "valid", the computed split for "same" (Keras puts the odd row
    after), a TorchPadding's amount; else inferred from the sizes like "same"."""
    torch_padding = getattr(layer, "_padding", None)
    if torch_padding is not None and hasattr(torch_padding, "amount"):
        return torch_padding.amount if torch_padding.explicit else 0
    if getattr(layer, "padding", None) == "valid":
        return 0
    if size_in is None or size_out is None:
        return 0
    return max((size_out - 1) * s + (k - 1) * d + 1 - size_in, 0) // 2


def _receptive(layer, fields):
    """(size, jump, start) of a layer's output's receptive field from its inputs' (square kernels/strides)."""
    sources = [fields.get(id(t)) for t in _inputs(layer)]
    sources = [s for s in sources if s is not None]
    if not sources:
        return (1, 1, 0.5)
    field, jump, start = max(sources)
    in_shape, out_shape = _shape(_inputs(layer)[0]), _shape(_outputs(layer)[0])
    if isinstance(layer, keras.layers.ZeroPadding2D):
        return (field, jump, start - layer.padding[0][0] * jump)
    window = _kernel_stride_dilation(layer)
    if window is not None and len(in_shape) == 3 and len(out_shape) == 3:
        k, s, d = window
        pad = _padding_before(layer, k, s, d, in_shape[0], out_shape[0])
        return (field + (k - 1) * d * jump, jump * s, start + ((k - 1) * d / 2 - pad) * jump)
    if isinstance(layer, (keras.layers.GlobalAveragePooling2D, keras.layers.GlobalMaxPooling2D, keras.layers.Flatten)):
        # Each output sees the union of every input position's field.
        side = in_shape[0] if len(in_shape) == 3 else None
        if side is None:
            return (math.inf, jump, start)
        return (field + (side - 1) * jump, jump, start + (side - 1) * jump / 2)
    return (field, jump, start)


def layer_table(model: keras.Model) -> pd.DataFrame:
    """One row per layer: name, type, output shape, params, MACs, activation memory, receptive field.

    `memory_bytes` is the output's size in its own dtype; `memory_float32`/`memory_float16` the same output
    in 4 and 2 bytes per value. `receptive_field`, `jump` and `start` are described in the module docstring.
    """
    fields = {id(t): (1, 1, 0.5) for t in model.inputs}
    rows = []
    for layer in model.layers:
        outputs = _outputs(layer)
        if isinstance(layer, keras.layers.InputLayer) or not outputs:
            continue
        field = _receptive(layer, fields)
        for tensor in outputs:
            fields[id(tensor)] = field
        shape = _shape(outputs[0])
        values = int(np.prod(shape)) if None not in shape else None
        rows.append(
            {
                "layer": layer.name,
                "type": type(layer).__name__,
                "output_shape": shape,
                "params": int(sum(np.prod(w.shape) for w in layer.weights)),
                "macs": layer_macs(layer),
                "memory_bytes": None if values is None else values * np.dtype(outputs[0].dtype).itemsize,
                "memory_float32": None if values is None else values * 4,
                "memory_float16": None if values is None else values * 2,
                "receptive_field": field[0],
                "jump": field[1],
                "start": field[2],
            }
        )
    return pd.DataFrame(rows)


def count_macs(model: keras.Model) -> int:
    """Total multiply-accumulates of one forward pass of one image."""
    return int(sum(layer_macs(layer) for layer in model.layers if not isinstance(layer, keras.layers.InputLayer)))
