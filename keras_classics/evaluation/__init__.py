"""Evaluation: accuracy with each paper's test-time augmentation, ensembles, dense (fully convolutional) heads."""

from keras_classics.evaluation.dense import dense_predict, has_dense_head, to_fully_convolutional
from keras_classics.evaluation.evaluate import evaluate, predict_tta
from keras_classics.evaluation.tta import METHODS, multi_crop, multi_scale, ten_crop, views

__all__ = [
    "METHODS",
    "dense_predict",
    "evaluate",
    "has_dense_head",
    "multi_crop",
    "multi_scale",
    "predict_tta",
    "ten_crop",
    "to_fully_convolutional",
    "views",
]
