"""Stochastic depth (drop path) from Keras' own `Dropout`, so a model that uses it stays built-in only.

Huang et al. 2016 ("Deep Networks with Stochastic Depth"): in training, a residual branch is zeroed for a
random subset of whole samples and kept ones are scaled by `1 / (1 - rate)`; at inference it is the
identity. That is `keras.layers.Dropout` with a mask of one value per sample (`noise_shape` of
`(None, 1, ..., 1)`), equal to timm's `DropPath` and torchvision's `StochasticDepth(mode="row")`.

Example:
    >>> import numpy as np, keras
    >>> from keras_classics.blocks.regularization import drop_path
    >>> x = keras.Input((4, 4, 8))
    >>> layer = drop_path(x, 0.5, name="block1_drop_path")._keras_history.operation
    >>> type(layer).__name__, layer.noise_shape
    ('Dropout', (None, 1, 1, 1))
"""

from __future__ import annotations

from keras import layers


def drop_path(x, rate: float, name: str, seed=None):
    """`x` with its whole sample dropped with probability `rate` in training (a `Dropout` named `name`)."""
    if not 0.0 <= rate < 1.0:
        raise ValueError(f"drop path rate must be in [0, 1); got {rate!r}")
    noise_shape = (None,) + (1,) * (len(x.shape) - 1)
    return layers.Dropout(rate, noise_shape=noise_shape, seed=seed, name=name)(x)
