"""Callbacks `train` adds to `model.fit` beyond the run folder's checkpoint."""

from __future__ import annotations

import math

import keras


class TrainingDiverged(ValueError):
    """The loss became NaN or infinite: the run stopped, its last checkpoint is the last finite epoch."""


class StopOnDivergence(keras.callbacks.Callback):
    """Stops `fit` at the first step whose loss is not finite and remembers where (Keras' `TerminateOnNaN`
    prints a line and lets the caller go on to evaluate and export a NaN model; `train` raises instead).

    Example:
        >>> guard = StopOnDivergence()
        >>> guard.where is None
        True
    """

    def __init__(self):
        super().__init__()
        self.epoch = 0
        self.where = None  # (epoch, step, loss) of the first non-finite loss

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and not math.isfinite(float(loss)) and self.where is None:
            self.where = (self.epoch, batch, float(loss))
            self.model.stop_training = True

    def error(self, checkpoint_path: str, epochs_completed: int) -> TrainingDiverged:
        epoch, step, loss = self.where
        kept = (
            f"{checkpoint_path} still holds epoch {epochs_completed}, the last finite one"
            if epochs_completed
            else "no epoch had completed, so no checkpoint was written"
        )
        return TrainingDiverged(
            f"training diverged: the loss became {loss} at epoch {epoch + 1}, step {step + 1}; {kept}. "
            "Lower the learning rate (or choose another recipe) and start again"
        )
