"""Running a layer on a chosen device (AlexNet's two GPUs)."""

import keras
import tensorflow as tf


@keras.saving.register_keras_serializable(package="keras_classics")
class OnDevice(keras.layers.Wrapper):
    """Runs `layer` under `tf.device(device)`: its computation, and (TensorFlow colocates them) its gradients.

    Keras records no device when a functional model is built, so a layer that must run on one device of
    several says so itself. `keras_classics.models.two_towers` builds AlexNet's two GPU towers from these.

    Args:
        layer: the layer to run.
        device: a TensorFlow device name, `"/gpu:1"` or `"/cpu:0"`.

    Example:
        >>> import numpy as np, keras
        >>> layer = OnDevice(keras.layers.Dense(2, kernel_initializer="ones"), "/cpu:0")
        >>> layer(np.ones((1, 3), "float32")).numpy().tolist()
        [[3.0, 3.0]]
    """

    def __init__(self, layer, device, **kwargs):
        super().__init__(layer, **kwargs)
        self.device = str(device)

    def call(self, inputs, training=None):
        with tf.device(self.device):
            return self.layer(inputs, training=training)

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def get_config(self):
        return {**super().get_config(), "device": self.device}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        return super().from_config(dict(config), custom_objects)  # Keras' Wrapper pops "layer" from it
