"""In-graph input normalization, so a model can take raw [0, 255] pixels."""

import keras
from keras import ops

from keras_classics.torch_compat import IMAGENET_MEAN, IMAGENET_STD


@keras.saving.register_keras_serializable(package="keras_classics")
class Normalize(keras.layers.Layer):
    """Maps raw pixels in [0, 255] to `(x / 255 - mean) / std`, per channel.

    Builders add it as their first layer when `include_preprocessing=True`, with the mean and std that
    the reference weights were trained with (`ModelSpec.mean`, `ModelSpec.std`).

    Args:
        mean: per-channel means of [0, 1] pixels (one value broadcasts to every channel).
        std: per-channel standard deviations of [0, 1] pixels.

    Example:
        >>> import numpy as np
        >>> layer = Normalize(mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5))
        >>> float(layer(np.full((1, 2, 2, 3), 255.0, "float32"))[0, 0, 0, 0])
        1.0
    """

    def __init__(self, mean=IMAGENET_MEAN, std=IMAGENET_STD, **kwargs):
        super().__init__(**kwargs)
        if len(mean) != len(std):
            raise ValueError(f"mean and std must have the same length; got {len(mean)} and {len(std)}")
        if any(s <= 0 for s in std):
            raise ValueError(f"std must be positive; got {tuple(std)}")
        self.mean = tuple(float(m) for m in mean)
        self.std = tuple(float(s) for s in std)

    def build(self, input_shape):
        channels = input_shape[-1]
        if len(self.mean) not in (1, channels):
            raise ValueError(
                f"Normalize has {len(self.mean)} means and stds but the input has {channels} channels"
            )

    def call(self, inputs):
        scale = ops.convert_to_tensor([1.0 / (255.0 * s) for s in self.std], dtype=self.compute_dtype)
        offset = ops.convert_to_tensor([-m / s for m, s in zip(self.mean, self.std)], dtype=self.compute_dtype)
        return ops.cast(inputs, self.compute_dtype) * scale + offset

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "mean": self.mean, "std": self.std}
