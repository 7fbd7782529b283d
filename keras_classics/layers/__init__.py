"""Custom layers. Importing this package registers each of them for `keras.models.load_model`."""

from keras_classics.layers.conv import GroupConv2D
from keras_classics.layers.preprocessing import Normalize

__all__ = ["GroupConv2D", "Normalize"]
