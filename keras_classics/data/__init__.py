"""Data sets and tf.data pipelines."""

from keras_classics.data.digits import load_digits

__all__ = ["load_digits"]
