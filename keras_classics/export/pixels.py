"""What an exported model takes: RGB pixels in [0, 255], whatever the Keras model's own input is.

Servers and phones hand over pixels; the normalization a network was trained with belongs inside the
exported graph, not in every client. A zoo model built with `include_preprocessing=True` (what `train`
builds) already has its `preprocessing` layer and is used as it is; one built without it gets its
registered mean and std (or the ones given) as a Keras `Rescaling` in front.

Example:
    >>> import numpy as np, keras_classics
    >>> from keras_classics.export.pixels import pixel_model
    >>> bare = keras_classics.lenet5()                    # takes normalized inputs
    >>> wrapped = pixel_model(bare)                        # takes [0, 255] pixels
    >>> x = np.full((1, 32, 32, 1), 255.0, "float32")
    >>> mean, std = keras_classics.model_info("lenet5").mean, keras_classics.model_info("lenet5").std
    >>> expected = bare((x / 255.0 - mean[0]) / std[0])
    >>> bool(np.allclose(wrapped(x), expected, atol=1e-6))
    True
"""

from __future__ import annotations

import keras

from keras_classics.blocks.preprocessing import normalize_pixels

PREPROCESSING_LAYER = "preprocessing"


PIXEL_NORMALIZATION_LAYER = "pixel_normalization"  # what `pixel_model` puts in front


def takes_pixels(model) -> bool:
    """Whether `model` normalizes [0, 255] pixels itself: it has the zoo's `preprocessing` layer, or
    `pixel_model`'s, at its top or inside a nested model (a transfer model's backbone)."""
    return any(
        layer.name in (PREPROCESSING_LAYER, PIXEL_NORMALIZATION_LAYER)
        or (isinstance(layer, keras.Model) and takes_pixels(layer))
        for layer in model.layers
    )


def pixel_model(model, mean=None, std=None):
    """Returns a model taking [0, 255] pixels that computes what `model` computes on normalized ones.

    Args:
        model: a Keras model with one image input.
        mean, std: per-channel statistics in [0, 1] units; default: the registered model of the same
            name's (a zoo model keeps its registered name).

    Raises:
        ValueError: the model has no `preprocessing` layer, no statistics were given and its name is not
            a registered model's, so how it expects its pixels is unknown.
    """
    model = in_float32(model)
    if takes_pixels(model) and mean is None and std is None:
        return model
    if mean is None or std is None:
        mean, std = registered_statistics(model)
    shape = tuple(model.inputs[0].shape[1:])
    if len(mean) != shape[-1] or len(std) != shape[-1]:
        raise ValueError(f"mean {tuple(mean)} and std {tuple(std)} need one value per input channel ({shape[-1]})")
    pixels = keras.Input(shape=shape, name="pixels")
    normalized = normalize_pixels(pixels, mean, std, name=PIXEL_NORMALIZATION_LAYER)
    return keras.Model(pixels, model(normalized), name=model.name)


def in_float32(model):
    """`model` when every layer computes in float32, else a float32 copy with the same weights.

    A model trained under mixed precision keeps float32 weights; exporting (and checking) it in float32 is
    exact and runs on every runtime, where half-precision kernels differ between CPUs, GPUs and phones.

    Example:
        >>> import keras, keras_classics
        >>> keras.mixed_precision.set_global_policy("mixed_bfloat16")
        >>> mixed = keras_classics.lenet5()
        >>> keras.mixed_precision.set_global_policy("float32")
        >>> in_float32(mixed).layers[1].compute_dtype, mixed.layers[1].compute_dtype
        ('float32', 'bfloat16')
    """
    if all(layer.dtype_policy.name == "float32" for layer in model.layers):
        return model
    copy = model.__class__.from_config(_float32_policies(model.get_config()))
    copy.set_weights(model.get_weights())
    return copy


def _float32_policies(config):
    if isinstance(config, dict):
        if config.get("class_name") == "DTypePolicy":
            return {**config, "config": {**config["config"], "name": "float32"}}
        return {key: _float32_policies(value) for key, value in config.items()}
    if isinstance(config, list):
        return [_float32_policies(value) for value in config]
    return config


def first_output(outputs):
    """The main output of a model call (a model with auxiliary heads returns a list; the first is the main one)."""
    return outputs[0] if isinstance(outputs, (list, tuple)) else outputs


def model_outputs(model, images, batch_size: int = 8):
    """`model`'s main output on `images`, `batch_size` at a time in a traced function.

    Not one eager call on the whole batch: eager Keras keeps the activations of every layer alive until
    the call returns (EfficientNet-B3 at 300x300: a 12.2 GiB peak for 32 images; EfficientNetV2-S at 384
    was killed at 15.7 GiB), where the traced function frees each one after its last use. Not `predict`
    either: it runs under the strategy the model was built in, and a multi-worker strategy's collectives
    would wait for workers that are not exporting.
    """
    import numpy as np
    import tensorflow as tf

    call = tf.function(lambda x: first_output(model(x, training=False)))
    return np.concatenate([call(images[i : i + batch_size]).numpy() for i in range(0, len(images), batch_size)])


def image_batch(images, shape, argument: str):
    """`images` as a float32 array, checked to be a non-empty batch of `shape` images (the error names `argument`)."""
    import numpy as np

    images = np.asarray(images, dtype="float32")
    if images.ndim != 1 + len(shape) or images.shape[1:] != tuple(shape) or len(images) == 0:
        raise ValueError(
            f"{argument} must be a non-empty batch of shape (N, {', '.join(map(str, shape))}); got {images.shape}"
        )
    return images


def registered_statistics(model):
    from keras_classics.registry import list_models, model_info

    if model.name not in list_models():
        raise ValueError(
            f"cannot tell how model {model.name!r} expects its pixels: it has no {PREPROCESSING_LAYER!r} layer "
            "and its name is not a registered model's; build it with include_preprocessing=True or pass "
            "mean= and std= (per channel, in [0, 1] units)"
        )
    spec = model_info(model.name)
    return spec.mean, spec.std
