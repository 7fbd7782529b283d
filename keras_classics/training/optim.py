"""A recipe's optimizer, learning-rate schedule and weight decay, built for a given batch and data size.

Coupled L2 decay (the papers') is set as an L2 regularizer on each decayed variable, so its gradient
`weight_decay * w` joins the loss gradient before momentum or RMSProp scaling, as in Caffe and PyTorch's
SGD; Keras' own `weight_decay` argument is the decoupled (AdamW) kind and serves `decoupled=True` recipes.

Example:
    >>> from keras_classics.training.optim import build_optimizer
    >>> from keras_classics.training.recipes import recipe
    >>> optimizer = build_optimizer(recipe("resnet"), global_batch=512, steps_per_epoch=100, epochs=90)
    >>> round(float(optimizer.learning_rate), 3), round(float(optimizer._get_current_learning_rate()), 3)
    (0.2, 0.2)
"""

from __future__ import annotations

import contextlib

import keras

# Variables the recipes with decay_norm_and_bias=False leave undecayed: BatchNorm/LayerNorm scales and
# offsets, and biases.
_NORM_AND_BIAS = ("bias", "gamma", "beta")


@keras.saving.register_keras_serializable(package="keras_classics")
class Warmup(keras.optimizers.schedules.LearningRateSchedule):
    """Linear warmup from 0 to `target` over `warmup_steps`, then `after` (counted from the warmup's end)."""

    def __init__(self, after, target: float, warmup_steps: int):
        self.after = after
        self.target = float(target)
        self.warmup_steps = int(warmup_steps)

    def __call__(self, step):
        step = keras.ops.cast(step, "float32")
        warm = self.target * (step + 1.0) / max(1, self.warmup_steps)
        later = self.after(keras.ops.maximum(step - self.warmup_steps, 0.0)) if callable(self.after) else self.after
        return keras.ops.where(step < self.warmup_steps, warm, later)

    def get_config(self):
        after = keras.saving.serialize_keras_object(self.after) if callable(self.after) else self.after
        return {"after": after, "target": self.target, "warmup_steps": self.warmup_steps}

    @classmethod
    def from_config(cls, config):
        after = config["after"]
        after = keras.saving.deserialize_keras_object(after) if isinstance(after, dict) else after
        return cls(after, config["target"], config["warmup_steps"])


def learning_rate_schedule(recipe, learning_rate: float, steps_per_epoch: int, epochs: int):
    """The recipe's schedule in steps; a float for "plateau" and "constant" (ReduceLROnPlateau adjusts it)."""
    schedules = keras.optimizers.schedules
    warmup = round(recipe.warmup_epochs * steps_per_epoch)
    remaining = max(1, epochs * steps_per_epoch - warmup)
    if recipe.schedule in ("plateau", "constant"):
        after = learning_rate
    elif recipe.schedule == "cosine":
        after = schedules.CosineDecay(learning_rate, remaining)
    elif recipe.schedule == "step":
        # Keras keeps values[i] while step <= boundaries[i]: epoch e's first step is e * steps_per_epoch.
        boundaries = [max(0, e * steps_per_epoch - warmup - 1) for e in recipe.step_epochs if e < epochs]
        after = (  # a run that ends before the first step keeps the rate (Keras' decay needs a boundary)
            schedules.PiecewiseConstantDecay(boundaries, [learning_rate * 0.1**i for i in range(len(boundaries) + 1)])
            if boundaries
            else learning_rate
        )
    elif recipe.schedule == "exponential":
        decay_steps = max(1, round(recipe.decay_epochs * steps_per_epoch))
        after = schedules.ExponentialDecay(learning_rate, decay_steps, recipe.decay_rate, staircase=True)
    else:
        raise ValueError(f"unknown schedule {recipe.schedule!r}; one of step, cosine, plateau, exponential, constant")
    return Warmup(after, learning_rate, warmup) if warmup else after


def averaging_decay(recipe, total_steps: int) -> float:
    """The decay of the recipe's weight average for a run of `total_steps`; 0.0 when it averages none.

    The papers' 0.9999 averages over about 10,000 steps, more than a short run has: the decay is capped
    at 1 - 10 / total_steps, so the average spans at most the last tenth of the run.

    Example:
        >>> from keras_classics.training.recipes import recipe
        >>> averaging_decay(recipe("inception_v3"), 1_000_000), averaging_decay(recipe("inception_v3"), 2_000)
        (0.9999, 0.995)
    """
    if not recipe.weight_averaging:
        return 0.0
    return min(recipe.weight_averaging, max(0.0, 1.0 - 10.0 / total_steps))


def spans_the_run(schedule: str, weight_averaging: float = 0.0) -> bool:
    """Whether an optimizer built by `build_optimizer` depends on the run's epoch count: a cosine or step
    schedule is laid out over it, and so is the weight average's decay (`averaging_decay`); a plateau,
    constant or exponential schedule is not, so such a run can be extended.

    Example:
        >>> spans_the_run("cosine"), spans_the_run("plateau"), spans_the_run("plateau", 0.9999)
        (True, False, True)
    """
    return schedule in ("cosine", "step") or bool(weight_averaging)


def build_optimizer(recipe, global_batch: int, steps_per_epoch: int, epochs: int):
    """The recipe's optimizer with its schedule, the learning rate scaled to `global_batch`.

    With `recipe.weight_averaging`, the optimizer keeps an exponential moving average of the trainable
    weights (Keras' `use_ema`); `fit` copies it into the model when training ends.
    """
    learning_rate = learning_rate_schedule(recipe, recipe.scaled_learning_rate(global_batch), steps_per_epoch, epochs)
    options = {"weight_decay": recipe.weight_decay} if recipe.decoupled and recipe.weight_decay else {}
    decay = averaging_decay(recipe, steps_per_epoch * epochs)
    if decay:
        options.update(use_ema=True, ema_momentum=decay)
    if recipe.optimizer == "sgd":
        optimizer = keras.optimizers.SGD(learning_rate, momentum=recipe.momentum, nesterov=recipe.nesterov, **options)
    elif recipe.optimizer == "rmsprop":
        optimizer = keras.optimizers.RMSprop(
            learning_rate, rho=recipe.rmsprop_rho, momentum=recipe.momentum, epsilon=recipe.rmsprop_epsilon, **options
        )
    elif recipe.optimizer == "adam":
        optimizer = keras.optimizers.Adam(learning_rate, **options)
    elif recipe.optimizer == "adamw":
        options["weight_decay"] = recipe.weight_decay if recipe.decoupled else 0.0
        optimizer = keras.optimizers.AdamW(learning_rate, **options)
    else:
        raise ValueError(f"unknown optimizer {recipe.optimizer!r}; one of sgd, rmsprop, adam, adamw")
    if (recipe.decoupled or recipe.optimizer == "adamw") and not recipe.decay_norm_and_bias:
        optimizer.exclude_from_weight_decay(var_names=list(_NORM_AND_BIAS))
    return optimizer


def decayed(variable, recipe) -> bool:
    """Whether coupled L2 applies to `variable` under `recipe`."""
    last = variable.path.split("/")[-1]
    return recipe.decay_norm_and_bias or not any(last.startswith(name) for name in _NORM_AND_BIAS)


def apply_coupled_l2(model, recipe) -> int:
    """Puts the recipe's coupled L2 decay on `model`'s trainable variables; returns how many were decayed.

    Does nothing for decoupled recipes (the optimizer decays) or a zero decay.
    """
    if recipe.decoupled or not recipe.weight_decay:
        return 0
    # L2(l) adds l * sum(w^2), whose gradient 2 l w must equal weight_decay * w.
    regularizer = keras.regularizers.L2(recipe.weight_decay / 2.0)
    count = 0
    for variable in model.trainable_variables:
        if decayed(variable, recipe):
            variable.regularizer = regularizer
            count += 1
    return count


def _averaging_optimizer(model):
    """The optimizer of `model` that keeps a weight average (inside a loss-scale wrapper), or None."""
    optimizer = getattr(model, "optimizer", None)
    optimizer = getattr(optimizer, "inner_optimizer", optimizer)
    if getattr(optimizer, "use_ema", False) and getattr(optimizer, "_model_variables_moving_average", None):
        return optimizer
    return None


@contextlib.contextmanager
def averaged_weights(model):
    """Inside the block, `model`'s trainable weights are the optimizer's moving average (if it keeps one).

    For saving or evaluating the averaged network mid-training; the training weights come back after.
    """
    optimizer = _averaging_optimizer(model)
    if optimizer is None:
        yield model
        return
    pairs = list(zip(optimizer._trainable_variables, optimizer._model_variables_moving_average))
    training = [keras.ops.convert_to_numpy(variable) for variable, _ in pairs]
    for variable, average in pairs:
        variable.assign(average)
    try:
        yield model
    finally:
        for (variable, _), value in zip(pairs, training):
            variable.assign(value)


def finalize_averaged_weights(model) -> bool:
    """Copies the optimizer's weight average into `model` for good, as `fit` does when it ends."""
    optimizer = _averaging_optimizer(model)
    if optimizer is not None:
        optimizer.finalize_variable_values(model.trainable_variables)
    return optimizer is not None
