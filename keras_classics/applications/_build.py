"""The one translation from a keras.applications function's arguments to the zoo builder of that network."""

from __future__ import annotations

from keras_classics.registry import model_info

# keras.applications' argument names that the zoo spells differently.
_RENAMED = {"dropout": "dropout_rate"}


def build(model_name: str, arguments: dict, **fixed_options):
    """The zoo's `model_name` built from a keras.applications-style call.

    Args:
        model_name: the registry name (`"resnet50"`).
        arguments: the calling function's arguments (its `locals()` on entry), keras.applications' names.
        **fixed_options: zoo options the keras.applications function implies (`include_preprocessing=True`).
    """
    options = {_RENAMED.get(key, key): value for key, value in arguments.items()}
    return model_info(model_name).builder(**options, **fixed_options)


def input_rows(input_shape, input_tensor, include_top: bool, default_size: int):
    """The input height keras.applications puts in a MobileNet's default name (None when unknown)."""
    if input_shape is not None:
        return tuple(input_shape)[0]
    if input_tensor is not None:
        return tuple(input_tensor.shape)[1]
    return default_size if include_top else None
