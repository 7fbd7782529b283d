"""Importing PyTorch reference state dicts (torchvision, timm) into keras_classics models.

The models name their layers after the reference's module paths with `.` -> `_` (torchvision
`layer1.0.conv1` is the Keras layer `layer1_0_conv1`), so the import is a mechanical mapping:

1. each reference key `path.to.module.param` is resolved to a Keras layer: the layer named
   `path_to_module`, or a sublayer inside a composite layer (`layer1_0_se` holds `fc1`), or, for a bare
   parameter such as ViT's `cls_token`, the one-weight layer named after the whole key;
2. the array is converted to the Keras layout (conv OIHW -> HWIO, depthwise, dense transpose, the
   NCHW -> NHWC order of a dense layer that follows a Flatten, BatchNorm statistics, Conv1D);
3. every Keras weight must receive exactly one array and every array must be used, with matching
   shapes; otherwise nothing is assigned and a `ValueError` lists what is missing, unused or mismatched.

The only reference keys that may go unused are those of parts the model was built without:
auxiliary classifiers when `aux_logits=False`, and, when `include_top=False`, those that map onto the
layers the registered model has only with its top (found by building both and comparing).

Example:
    >>> import numpy as np, keras_classics
    >>> from keras_classics.weights.reference import load_reference_weights
    >>> model = keras_classics.lenet5()
    >>> state = {"c1.weight": np.zeros((6, 1, 5, 5), "float32"), ...}  # doctest: +SKIP
    >>> load_reference_weights(model, state)  # doctest: +SKIP
"""

from __future__ import annotations

import functools
import logging
import os
from typing import Mapping

import keras
import numpy as np

log = logging.getLogger(__name__)

# Auxiliary-classifier subtrees, which a model built with aux_logits=False lacks.
AUX_SUBTREES = ("aux1", "aux2", "AuxLogits")
IGNORED_PARAMS = ("num_batches_tracked",)


# ----------------------------------------------------------------------------------------- reading
def read_state_dict(source) -> dict[str, np.ndarray]:
    """Reads a reference state dict from `.safetensors`, `.npz`, `.pth`/`.pt`, or a mapping."""
    if isinstance(source, Mapping):
        return {str(k): _to_numpy(v) for k, v in source.items()}
    path = os.fspath(source)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"weights file not found: {path!r}")
    lower = path.lower()
    if lower.endswith(".safetensors"):
        try:
            from safetensors.numpy import load_file
        except ImportError as error:
            raise ImportError(f"reading {path!r} needs safetensors: pip install safetensors") from error
        return _guarded(path, lambda: dict(load_file(path)))
    if lower.endswith(".npz"):
        return _guarded(path, lambda: _read_npz(path))
    if lower.endswith((".pth", ".pt")):
        return _read_torch(path)
    raise ValueError(f"unsupported reference weights file {path!r}; use .safetensors, .npz, .pth or .pt")


def _guarded(path, read):
    try:
        return read()
    except ImportError:
        raise
    except Exception as error:  # each format fails in its own way on a corrupted file
        raise ValueError(f"could not read weights file {path!r} (corrupted or not a state dict): {error}") from error


def _read_npz(path):
    with np.load(path, allow_pickle=False) as archive:
        return {k: archive[k] for k in archive.files}


def _read_torch(path):
    try:
        import torch
    except ImportError as error:
        raise ImportError(
            f"reading the PyTorch file {path!r} needs torch (pip install torch), "
            "or convert it to .safetensors first"
        ) from error
    state = _guarded(path, lambda: torch.load(path, map_location="cpu", weights_only=True))
    for key in ("state_dict", "model", "model_state_dict"):
        if isinstance(state, dict) and isinstance(state.get(key), dict):
            state = state[key]
    if not isinstance(state, dict):
        raise ValueError(f"{path!r} holds a {type(state).__name__}, not a state dict")
    return {k: _to_numpy(v) for k, v in state.items()}


def _to_numpy(value):
    if hasattr(value, "detach"):  # a torch tensor
        value = value.detach().cpu().float().numpy() if value.is_floating_point() else value.cpu().numpy()
    return np.asarray(value)


# ------------------------------------------------------------------------------------ conversion
def _flatten_input_shape(layer):
    """(H, W, C) of the Flatten that feeds `layer` (through dropouts/activations), else None."""
    node = layer._inbound_nodes[0] if layer._inbound_nodes else None
    while node is not None and node.input_tensors:
        producer = node.input_tensors[0]._keras_history.operation
        if isinstance(producer, keras.layers.Flatten):
            shape = producer._inbound_nodes[0].input_tensors[0].shape
            return tuple(shape[1:]) if len(shape) == 4 else None
        if not isinstance(producer, (keras.layers.Dropout, keras.layers.Activation, keras.layers.ReLU)):
            return None
        node = producer._inbound_nodes[0] if producer._inbound_nodes else None
    return None


def _dense_kernel(layer, weight):
    shape = _flatten_input_shape(layer)
    if shape is not None and None not in shape and weight.shape[1] == int(np.prod(shape)):
        height, width, channels = shape
        # PyTorch flattens (C, H, W); Keras flattens (H, W, C).
        weight = weight.reshape(-1, channels, height, width).transpose(0, 2, 3, 1).reshape(weight.shape[0], -1)
    return weight.T


def _layer_targets(layer, params: dict[str, np.ndarray]):
    """[(keras variable, array, reference key suffix)] for one layer's reference parameters."""
    custom = getattr(layer, "reference_weight_map", None)
    if custom is not None:
        return custom(params)
    L = keras.layers
    out = []

    def put(variable, array, key):
        out.append((variable, array, key))

    if isinstance(layer, L.DepthwiseConv2D):
        w = params.get("weight")
        if w is not None:
            channels, multiplier = layer.kernel.shape[2], layer.kernel.shape[3]
            w = w.reshape(channels, multiplier, *w.shape[2:]).transpose(2, 3, 0, 1)
            put(layer.kernel, w, "weight")
        if "bias" in params:
            put(layer.bias, params["bias"], "bias")
    elif isinstance(layer, (L.Conv2D, L.Conv1D)):
        w = params.get("weight")
        if w is not None:
            axes = (2, 3, 1, 0) if w.ndim == 4 else (2, 1, 0)
            put(layer.kernel, w.transpose(axes), "weight")
        if "bias" in params:
            put(layer.bias, params["bias"], "bias")
    elif isinstance(layer, L.Dense):
        if "weight" in params:
            put(layer.kernel, _dense_kernel(layer, params["weight"]), "weight")
        if "bias" in params:
            put(layer.bias, params["bias"], "bias")
    elif isinstance(layer, L.BatchNormalization):
        names = {"weight": "gamma", "bias": "beta", "running_mean": "moving_mean", "running_var": "moving_variance"}
        for key, attr in names.items():
            if key in params:
                put(getattr(layer, attr), params[key], key)
    elif isinstance(layer, L.LayerNormalization):
        if "weight" in params:
            put(layer.gamma, params["weight"], "weight")
        if "bias" in params:
            put(layer.beta, params["bias"], "bias")
    else:
        # A one-weight layer named after a bare parameter (ViT's `cls_token`, `pos_embed`).
        weights = layer.weights
        if len(params) == 1 and len(weights) == 1:
            (key, array), = params.items()
            resample = getattr(layer, "resample_reference", None)
            if resample is not None and tuple(array.shape) != tuple(weights[0].shape):
                array = resample(array, tuple(weights[0].shape))
            put(weights[0], array, key)
    return out


# ----------------------------------------------------------------------------------- resolution
def _sublayer(layer, path: list[str]):
    """Walks `path` (reference submodule names) down the sublayers of a composite layer.

    A composite layer may rename reference submodules through a `reference_aliases` dict
    (`{"primary_conv.0": "primary_conv"}`); otherwise `a.b` looks for the attribute `a_b`.
    """
    aliases = getattr(layer, "reference_aliases", {})
    for length in range(len(path), 0, -1):
        name = ".".join(path[:length])
        child = getattr(layer, aliases.get(name, name.replace(".", "_")), None)
        if not isinstance(child, keras.layers.Layer):
            continue
        if length == len(path):
            return child
        found = _sublayer(child, path[length:])
        if found is not None:
            return found
    return None


def _resolve(index: dict[str, keras.layers.Layer], module: str):
    """The Keras layer for a reference module path, or None."""
    parts = module.split(".") if module else []
    for cut in range(len(parts), 0, -1):
        layer = index.get("_".join(parts[:cut]))
        if layer is None:
            continue
        if cut == len(parts):
            return layer
        found = _sublayer(layer, parts[cut:])
        if found is not None:
            return found
    return None


def _all_layers(model):
    index = {}
    for layer in model._flatten_layers(include_self=False, recursive=False):
        index[layer.name] = layer
        if isinstance(layer, keras.Model):
            index.update(_all_layers(layer))
    return index


def plan_import(model: keras.Model, state: dict[str, np.ndarray], head_layers=frozenset()):
    """Matches a reference state dict to the model's weights; raises listing every problem.

    `head_layers` names the classifier layers of the full model when `model` was built without them
    (include_top=False): reference keys that map onto them are skipped rather than reported.
    """
    index = _all_layers(model)
    modules: dict[str, dict[str, np.ndarray]] = {}
    for key, array in state.items():
        module, _, param = key.rpartition(".")
        if param in IGNORED_PARAMS:
            continue
        modules.setdefault(module, {})[param] = array

    assignments, unused, mismatched, skipped = {}, [], [], []
    for module, params in modules.items():
        layer = _resolve(index, module)
        targets = _layer_targets(layer, params) if layer is not None else []
        if layer is None and not module:
            targets = []
            for param, array in params.items():
                bare = index.get(param.replace(".", "_"))
                if bare is not None:
                    targets += _layer_targets(bare, {param: array})
        if layer is None and module:
            whole = index.get(f"{module}.{next(iter(params))}".replace(".", "_"))
            if whole is not None and len(params) == 1:
                targets = _layer_targets(whole, params)
        used = {suffix for _, _, suffix in targets}
        for variable, array, suffix in targets:
            if tuple(variable.shape) != tuple(array.shape):
                mismatched.append(f"{_join(module, suffix)}: reference {tuple(array.shape)} vs {variable.path} {tuple(variable.shape)}")
            elif id(variable) in assignments:
                mismatched.append(f"{_join(module, suffix)}: {variable.path} assigned twice")
            else:
                assignments[id(variable)] = (variable, array)
        for param in params:
            if param not in used:
                key = _join(module, param)
                optional = _is_aux(index, module) or _in_head(key, head_layers)
                (skipped if optional else unused).append(key)

    missing = [w.path for w in model.weights if id(w) not in assignments and not _is_state(w)]
    if unused or mismatched or missing:
        raise ValueError(_report(model, unused, mismatched, missing))
    if skipped:
        log.warning(
            "%s: skipped %d reference weights of parts the model was built without (%s)",
            model.name, len(skipped), ", ".join(sorted({k.split(".")[0] for k in skipped})),
        )
    return list(assignments.values()), skipped


def _is_state(variable):
    # Non-trainable bookkeeping such as DropPath seeds; BN statistics are matched like any weight.
    return "seed_generator" in variable.path


def _join(module, param):
    return f"{module}.{param}" if module else param


def _is_aux(index, module):
    """An auxiliary-classifier key whose classifier the model was built without (aux_logits=False)."""
    top = module.split(".")[0]
    return top in AUX_SUBTREES and not any(name == top or name.startswith(top + "_") for name in index)


def _in_head(key, head_layers):
    parts = key.split(".")[:-1]
    return any("_".join(parts[:cut]) in head_layers for cut in range(1, len(parts) + 1))


@functools.lru_cache(maxsize=8)
def head_layer_names(name: str) -> frozenset:
    """Names of the layers a registered model has with include_top=True and lacks without it."""
    from keras_classics.registry import model_info

    spec = model_info(name)
    size = (spec.default_size, spec.default_size, spec.channels)
    full = {layer.name for layer in spec.builder(input_shape=size).layers}
    return frozenset(full - {layer.name for layer in spec.builder(include_top=False, input_shape=size).layers})


def _report(model, unused, mismatched, missing):
    lines = [f"reference weights do not fit model {model.name!r}; nothing was loaded."]
    for title, items in (("shape mismatches", mismatched), ("unused reference keys", unused), ("Keras weights with no reference value", missing)):
        if items:
            shown = "\n    ".join(items[:25]) + (f"\n    ... and {len(items) - 25} more" if len(items) > 25 else "")
            lines.append(f"  {len(items)} {title}:\n    {shown}")
    return "\n".join(lines)


def load_reference_weights(model: keras.Model, source, spec=None) -> list[str]:
    """Loads a reference state dict (path or mapping) into `model`, all or nothing.

    `spec` (default: the registered model named `model.name`) tells which layers form the classifier, so
    that a model built with include_top=False skips only those keys.

    Returns the reference keys that were skipped because the model was built without their part.
    """
    state = read_state_dict(source)
    head_layers = frozenset()
    if "predictions" not in _all_layers(model):  # built with include_top=False
        from keras_classics.registry import list_models

        name = spec.name if spec is not None else model.name
        if name in list_models():
            head_layers = head_layer_names(name)
    assignments, skipped = plan_import(model, state, head_layers)
    for variable, array in assignments:
        variable.assign(array.astype(variable.dtype))
    return skipped
