"""Training: recipes, strategy selection and `train` (the `keras-classics train` command)."""

from keras_classics.training.losses import aux_loss_weights
from keras_classics.training.train import RECIPES, Recipe, TrainResult, strategy_for_devices, train

__all__ = ["RECIPES", "Recipe", "TrainResult", "aux_loss_weights", "strategy_for_devices", "train"]
