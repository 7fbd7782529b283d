"""Training: the papers' recipes, optimizers with coupled or decoupled decay, run folders, resumable `train`
on one device, several (MirroredStrategy) or several machines (multi-worker), and hidden-feature mixing."""

from keras_classics.training.callbacks import StopOnDivergence, TrainingDiverged
from keras_classics.training.hidden_mixing import HiddenMixing, split_model
from keras_classics.training.losses import aux_loss_weights
from keras_classics.training.optim import apply_coupled_l2, build_optimizer, learning_rate_schedule
from keras_classics.training.recipes import RECIPES as NAMED_RECIPES
from keras_classics.training.recipes import Recipe, recipe, recipe_for
from keras_classics.training.distribute import strategy_for_devices
from keras_classics.training.train import RECIPES, TrainResult, train

__all__ = [
    "HiddenMixing",
    "NAMED_RECIPES",
    "RECIPES",
    "Recipe",
    "StopOnDivergence",
    "TrainResult",
    "TrainingDiverged",
    "apply_coupled_l2",
    "aux_loss_weights",
    "build_optimizer",
    "learning_rate_schedule",
    "recipe",
    "recipe_for",
    "split_model",
    "strategy_for_devices",
    "train",
]
