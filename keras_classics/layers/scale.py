"""Layer scale (Touvron et al. 2021, "Going deeper with Image Transformers"; ConvNeXt's `gamma`).

A learned per-channel multiplier, initialized small (ConvNeXt: 1e-6) so that each residual branch starts
near the identity. Keras has no built-in layer for a learned per-channel scale without a shift.

Example:
    >>> import numpy as np
    >>> from keras_classics.layers import LayerScale
    >>> layer = LayerScale(init_value=0.5)
    >>> layer(np.ones((1, 2, 2, 3), "float32"))[0, 0, 0].numpy().tolist()
    [0.5, 0.5, 0.5]
"""

from __future__ import annotations

import keras
import numpy as np


@keras.saving.register_keras_serializable(package="keras_classics")
class LayerScale(keras.layers.Layer):
    """`x * gamma` with one learned `gamma` per channel (the last axis)."""

    def __init__(self, init_value: float = 1e-6, **kwargs):
        super().__init__(**kwargs)
        self.init_value = float(init_value)

    def build(self, input_shape):
        self.gamma = self.add_weight(
            name="gamma",
            shape=(input_shape[-1],),
            initializer=keras.initializers.Constant(self.init_value),
        )

    def call(self, inputs):
        return inputs * keras.ops.cast(self.gamma, inputs.dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def reference_weight_map(self, params):
        """PyTorch keeps the scale as one (C, 1, 1) parameter (torchvision's `layer_scale`) or (C,) (timm's)."""
        return [(self.gamma, np.reshape(array, (-1,)), name) for name, array in params.items()]

    def get_config(self):
        return {**super().get_config(), "init_value": self.init_value}
