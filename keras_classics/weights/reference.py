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

This module knows no model by name: what it must know about a model, the model declares (the protocol).

A family declares, in its `ModelSpec` (facts of its `register_family` call or rows):
    head_modules: the reference module paths of the classifier: `("fc",)` for torchvision's ResNet,
        `("conv_head", "classifier")` for timm's GhostNet. A model built with `include_top=False` lacks them.
    aux_modules: the reference module paths of auxiliary classifiers: `("aux1", "aux2")` for GoogLeNet.
        A model built with `aux_logits=False` lacks them.
    A key belongs to a declared module when the module is one of the key's leading path segments,
    compared in Keras form (`.` -> `_`): `heads.head.weight` belongs to `heads`, `classifier.1.bias` to
    `classifier`. Keys of a declared module that the model was built without (it has no weighted layer
    named after the module or inside it) are skipped and returned; any other unused key is an error.
    A model that is not registered, and has no spec passed, is imported strictly.

A layer may define (looked up with `getattr`; all optional):
    reference_weight_map(params) -> [(variable, array, param), ...]
        Replaces the built-in conversion for the layer a reference module resolves to. `params` maps
        that module's parameter names (`"in_proj_weight"`) to NumPy arrays in the reference layout; each
        result entry is a Keras variable of the layer, its array already in the Keras layout, and the
        parameter name it consumed. Parameters left out of the result are reported as unused.
    resample_reference(array, shape) -> array
        Called on a one-weight layer (a bare parameter such as `pos_embed`) when the reference array's
        shape differs from the weight's `shape`; returns the array fitted to `shape` (ViT's position
        embedding resampled to another patch grid) or raises `ValueError`.
    reference_aliases: dict[str, str]
        On a composite layer: a reference submodule path relative to the layer (`"out_proj"`) -> the
        attribute holding the matching sublayer (`"proj"`). Without an alias `a.b` looks for `a_b`.

Example:
    >>> import keras_classics
    >>> from keras_classics.weights.reference import load_reference_weights
    >>> full = keras_classics.lenet5()
    >>> state = {}  # lenet5's weights as PyTorch stores them
    >>> for layer in full.layers:
    ...     if layer.weights:
    ...         kernel, bias = (w.numpy() for w in layer.weights)
    ...         state[f"{layer.name}.weight"] = kernel.transpose(3, 2, 0, 1) if kernel.ndim == 4 else kernel.T
    ...         state[f"{layer.name}.bias"] = bias
    >>> keras_classics.model_info("lenet5").head_modules
    ('f6', 'output')
    >>> load_reference_weights(keras_classics.lenet5(include_top=False), state)
    ['f6.weight', 'f6.bias', 'output.weight', 'output.bias']
"""

from __future__ import annotations

import logging
import os
from typing import Mapping

import keras
import numpy as np

log = logging.getLogger(__name__)

IGNORED_PARAMS = ("num_batches_tracked",)


# ------------------------------------------------------------------------------------ the Keras graph
# The few places that read the graph a functional model was built from; Keras has public accessors for
# all of it but a symbolic tensor's producer.
def _layer_index(model: keras.Model) -> dict[str, keras.layers.Layer]:
    """Every layer of `model` by name, looking inside nested models: the one walk of the layer tree."""
    index = {}
    for layer in model.layers:
        index[layer.name] = layer
        if isinstance(layer, keras.Model):
            index.update(_layer_index(layer))
    return index


def _first_input(layer):
    """The first input tensor of `layer`'s first call, or None for a layer never called symbolically."""
    try:
        inputs = layer.input
    except (AttributeError, ValueError):  # Keras raises these for a layer without inbound nodes
        return None
    flat = keras.tree.flatten(inputs)
    return flat[0] if flat else None


def _producer(tensor):
    """The layer whose output `tensor` is, or None."""
    # Keras 3 records a KerasTensor's producer only in the private `_keras_history` (no public accessor).
    history = getattr(tensor, "_keras_history", None)
    return history.operation if history is not None else None


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
    tensor = _first_input(layer)
    while tensor is not None:
        producer = _producer(tensor)
        if isinstance(producer, keras.layers.Flatten):
            shape = _first_input(producer).shape
            return tuple(shape[1:]) if len(shape) == 4 else None
        if not isinstance(producer, (keras.layers.Dropout, keras.layers.Activation, keras.layers.ReLU)):
            return None
        tensor = _first_input(producer)
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


# ---------------------------------------------------------------------------- declared modules
def _keras_form(path: str) -> str:
    return path.replace(".", "_")


def _declared_module(module: str, declared) -> str | None:
    """The declared module (`spec.head_modules`/`aux_modules` entry) that reference `module` lies in, or None."""
    parts = module.split(".") if module else []
    prefixes = {"_".join(parts[:cut]) for cut in range(1, len(parts) + 1)}
    return next((d for d in declared if _keras_form(d) in prefixes), None)


def _absent_modules(index, declared) -> frozenset:
    """The declared modules the model was built without: no weighted layer is named after one or lies in it."""
    weighted = [name for name, layer in index.items() if layer.weights]
    return frozenset(
        d for d in declared
        if not any(name == _keras_form(d) or name.startswith(_keras_form(d) + "_") for name in weighted)
    )


def plan_import(model: keras.Model, state: dict[str, np.ndarray], optional_modules=()):
    """Matches a reference state dict to the model's weights; raises listing every problem.

    `optional_modules` are reference module paths the model may have been built without (a spec's
    `head_modules + aux_modules`): keys of the ones it lacks are skipped rather than reported.

    Returns:
        `([(variable, array), ...], skipped keys)`.
    """
    index = _layer_index(model)
    absent = _absent_modules(index, optional_modules)
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
        optional = _declared_module(module, absent) is not None
        for param in params:
            if param not in used:
                (skipped if optional else unused).append(_join(module, param))

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
    # Non-trainable bookkeeping such as a Dropout's seed state; BN statistics are matched like any weight.
    return "seed_generator" in variable.path


def _join(module, param):
    return f"{module}.{param}" if module else param


def _report(model, unused, mismatched, missing):
    lines = [f"reference weights do not fit model {model.name!r}; nothing was loaded."]
    for title, items in (("shape mismatches", mismatched), ("unused reference keys", unused), ("Keras weights with no reference value", missing)):
        if items:
            shown = "\n    ".join(items[:25]) + (f"\n    ... and {len(items) - 25} more" if len(items) > 25 else "")
            lines.append(f"  {len(items)} {title}:\n    {shown}")
    return "\n".join(lines)


def load_reference_weights(model: keras.Model, source, spec=None) -> list[str]:
    """Loads a reference state dict (path or mapping) into `model`, all or nothing.

    `spec` (default: the registered model named `model.name`, if any) declares the classifier and
    auxiliary modules (`head_modules`, `aux_modules`): keys of those the model was built without are
    skipped. Without a spec every key must be used.

    Returns the reference keys that were skipped because the model was built without their part.
    """
    if spec is None:
        from keras_classics.registry import list_models, model_info

        spec = model_info(model.name) if model.name in list_models() else None
    optional = tuple(spec.head_modules) + tuple(spec.aux_modules) if spec is not None else ()
    assignments, skipped = plan_import(model, read_state_dict(source), optional)
    for variable, array in assignments:
        variable.assign(array.astype(variable.dtype))
    return skipped
