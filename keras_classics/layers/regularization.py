"""Stochastic depth (drop path)."""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_classics")
class DropPath(keras.layers.Layer):
    """Stochastic depth: in training, zeroes a residual branch for a random subset of whole samples.

    Each sample's branch is dropped with probability `rate` and the kept ones are scaled by
    `1 / (1 - rate)`, so the expected output equals the input; at inference the layer is the identity.
    Put it on the residual branch, before the addition. Equal to timm's `DropPath` and torchvision's
    `StochasticDepth(mode="row")`.

    Args:
        rate: probability of dropping a sample's branch, in [0, 1).
        seed: seed of the layer's `keras.random.SeedGenerator`, for reproducible masks.

    Example:
        >>> import numpy as np
        >>> layer = DropPath(0.5, seed=1)
        >>> x = np.ones((4, 3), "float32")
        >>> bool((layer(x, training=False).numpy() == x).all())
        True
        >>> sorted(set(layer(x, training=True).numpy().ravel().tolist())) in ([0.0], [2.0], [0.0, 2.0])
        True

    Reference:
        Huang, Sun, Liu, Sedra and Weinberger, "Deep Networks with Stochastic Depth", ECCV 2016.
    """

    def __init__(self, rate=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not 0.0 <= rate < 1.0:
            raise ValueError(f"rate must be in [0, 1); got {rate!r}")
        self.rate = float(rate)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs, training=None):
        x = ops.cast(inputs, self.compute_dtype)
        if not training or self.rate == 0.0:
            return x
        keep = 1.0 - self.rate
        shape = (ops.shape(x)[0],) + (1,) * (len(x.shape) - 1)
        noise = keras.random.uniform(shape, dtype="float32", seed=self.seed_generator)
        mask = ops.floor(noise + keep) / keep
        return x * ops.cast(mask, x.dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}
