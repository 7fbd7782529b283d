"""Training a registered model with `model.fit`: data, recipe, strategy, a run folder, resume.

`train(name, data)` builds the model under the right `tf.distribute` strategy (MirroredStrategy over every
local GPU, the default strategy on one device), feeds it with the `keras_classics.data` pipeline and the
recipe's augmentation, trains with the recipe's optimizer, schedule and decay (`training.recipes`,
`training.optim`), writes the run folder (`training.run_folder`) and reports held-out accuracy.

Resume: a run killed at any moment and started again with `resume=True` continues after its last completed
epoch: weights, optimizer state and schedule position come from `checkpoints/last.keras`, and each epoch's
data order and augmentation come from a seed derived from (seed, epoch), so the resumed epochs see the
batches the uninterrupted run would have seen.

Example:
    >>> from keras_classics.training import train
    >>> result = train("lenet5", epochs=1, run_dir="/tmp/runs/lenet5")  # doctest: +SKIP
    >>> 0.0 <= result.test_accuracy <= 1.0  # doctest: +SKIP
    True
"""

from __future__ import annotations

import dataclasses
import os
import warnings

import keras
import numpy as np
import tensorflow as tf

from keras_classics.data.tfds import PREFIX as TFDS_PREFIX
from keras_classics.io import file_in_the_way
from keras_classics.training import run_folder
from keras_classics.training.callbacks import StopOnDivergence
from keras_classics.training.distribute import (
    evaluate_across_workers,
    fit_across_workers,
    is_multi_worker,
    strategy_for_devices,
    worker_batch,
    worker_count,
    writes_files,
)
from keras_classics.training.hidden_mixing import METHODS as HIDDEN_MIXING_METHODS
from keras_classics.training.hidden_mixing import HiddenMixing
from keras_classics.training.memory import WontFitInMemory, check_batch_fits, describe_oom
from keras_classics.training.optim import (
    apply_coupled_l2,
    averaging_decay,
    build_optimizer,
    finalize_averaged_weights,
)
from keras_classics.training.recipes import Recipe, recipe, recipe_for
from keras_classics.training.warm_start import vgg_warm_start
from keras_classics.weights import load_trained

# Kept for callers of the first-cut API: (model, data set) -> recipe.
RECIPES = {("lenet5", "digits"): recipe("digits")}


@dataclasses.dataclass
class TrainResult:
    model: keras.Model
    history: dict
    test_accuracy: float
    export_path: str | None
    export_report: object = None  # export.SavedModelReport: what the export's check measured
    run_dir: str | None = None


def _is_positive_int(value) -> bool:
    # bool is an int subclass, and numpy integers are not ints: accept integral numbers, nothing else.
    return not isinstance(value, bool) and isinstance(value, (int, np.integer)) and value >= 1


def _positive_or_default(argument, value, default):
    if value is None:
        return default
    if not _is_positive_int(value):
        raise ValueError(f"{argument} must be a positive integer (or None for the recipe's {default}); got {value!r}")
    return int(value)


def _positive(argument, value, what="a positive integer"):
    if not _is_positive_int(value):
        raise ValueError(f"{argument} must be {what}; got {value!r}")
    return int(value)


def _check_output_dir(argument, path):
    """Raises ValueError if `path`, or the nearest part of it that exists, is not a folder."""
    blocker = file_in_the_way(path)
    if blocker is not None:
        raise ValueError(f"{argument} {os.fspath(path)!r} cannot be a folder: {blocker!r} is a file")


def _is_tfds(data) -> bool:
    return isinstance(data, str) and data.startswith(TFDS_PREFIX)


def _data_label(data) -> str:
    """The data set's part of the default run folder name: `digits`, `tfds-NAME`, or the image folder's name."""
    if _is_tfds(data):
        return data.replace(":", "-")
    if isinstance(data, (str, os.PathLike)) and data != "digits":
        return os.path.basename(os.path.normpath(data))
    return str(data)


def _data_setting(data):
    """How config.json records the data set: `digits`, `tfds:NAME`, or the image folder's absolute path."""
    if data == "digits" or _is_tfds(data) or not isinstance(data, (str, os.PathLike)):
        return data
    return os.path.abspath(os.fspath(data))


def _sources(data, seed, image_size):
    """(training source, held-out source): digits' fixed split, a TFDS set's train and held-out splits, or a
    folder's seeded fifth."""
    from keras_classics.data import digits_source, folder_source, split_source, tfds_source
    from keras_classics.data.tfds import held_out_split

    if data == "digits":
        return digits_source("training", size=image_size or 32), digits_source("test", size=image_size or 32)
    if _is_tfds(data):
        name = data.removeprefix(TFDS_PREFIX)
        training, held_out = tfds_source(name, "train"), held_out_split(name)
        return split_source(training, 0.2, seed) if held_out is None else (training, tfds_source(name, held_out))
    if isinstance(data, (str, os.PathLike)) and os.path.isdir(data):
        return folder_source(data, validation_split=0.2, subset="both", seed=seed)
    raise ValueError(
        f"unknown dataset {data!r}: give 'digits', an image folder (one sub-folder per class) or 'tfds:NAME'"
    )


def _to_channels(source, channels: int, name: str):
    """`source` with the model's channel count: grayscale arrays (the digits) for an RGB model have their one
    channel repeated, as torchvision's `Grayscale(num_output_channels=3)` does; other mismatches are errors."""
    if source.images is None or source.images.shape[-1] == channels:
        return source
    if source.images.shape[-1] == 1 and channels == 3:
        return dataclasses.replace(source, images=np.repeat(source.images, 3, axis=-1))
    raise ValueError(f"{name} takes {channels}-channel images; the data has {source.images.shape[-1]} channels")


def _pipelines(training, held_out, settings, epochs_from, epochs, batch_size=None, shard=None):
    """Training batches for epochs `epochs_from`..`epochs - 1`, each epoch seeded by (seed, epoch), and held-out
    batches; `batch_size` (default: the run's) and `shard` (`make_dataset`'s) serve one worker of several."""
    from keras_classics.data import make_dataset, preset

    size = settings["image_size"]
    train_transform, eval_transform = preset(settings["augmentation"], size=size)
    common = {"batch_size": batch_size or settings["batch_size"], "one_hot": _one_hot(settings), "shard": shard}
    if settings["augmentation"] == "small":  # the digits: the arrays are already the input size
        eval_transform = None
    epochs_data = None
    for epoch in range(epochs_from, epochs):
        seed = int(np.random.SeedSequence([settings["seed"], epoch]).generate_state(1)[0] % (2**31 - 1))
        one = make_dataset(
            training, transform=train_transform, shuffle=True, seed=seed, drop_remainder=True,
            reshuffle_each_iteration=False, **common,
        )
        epochs_data = one if epochs_data is None else epochs_data.concatenate(one)
    image_size = None if eval_transform is not None or held_out.paths is None else (size, size)
    evaluation = make_dataset(held_out, transform=eval_transform, image_size=image_size, seed=0, **common)
    return epochs_data, evaluation


PRECISIONS = ("float32", "mixed_float16", "mixed_bfloat16")


def _build_in(precision, builder, **kwargs):
    """Builds under a Keras dtype policy without leaving it set for the caller's later models."""
    before = keras.mixed_precision.global_policy()
    keras.mixed_precision.set_global_policy(precision)
    try:
        return builder(**kwargs)
    finally:
        keras.mixed_precision.set_global_policy(before)


def _build_with_aux_heads(spec, chosen, settings, precision, **kwargs):
    """The model, with its auxiliary classifiers where it has them and the recipe weights their loss
    (GoogLeNet 0.3, Inception-v3 0.4); `settings["aux_logits"]` records which. An input too small for the
    heads (Inception-v3's need 299) trains without them, with a warning."""
    settings["aux_logits"] = bool(spec.aux_modules) and chosen.aux_loss_weight > 0 and not settings["hidden_mixing"]
    if settings["aux_logits"]:
        try:
            return _build_in(precision, spec.builder, aux_logits=True, **kwargs)
        except ValueError as error:
            warnings.warn(f"{spec.name} trains without its auxiliary classifiers: {error}", stacklevel=3)
            settings["aux_logits"] = False
    return _build_in(precision, spec.builder, **kwargs)


def _validation_accuracy_key(model):
    """The log key of the main output's held-out accuracy: Keras prefixes the output's name when there are
    several (`val_predictions_accuracy` for GoogLeNet with its auxiliary heads)."""
    if len(model.outputs) == 1:
        return "val_accuracy"
    return f"val_{model.output_names[0]}_accuracy"


def _main_output(model):
    """The network as it is used after training: a model with auxiliary classifiers keeps only its main
    output (the papers discard the auxiliary heads at inference), sharing the trained layers."""
    if len(model.outputs) == 1:
        return model
    return keras.Model(model.input, model.outputs[0], name=model.name)


def _require_tensorboard():
    try:
        import tensorboard  # noqa: F401
    except ImportError:
        raise ImportError(
            "tensorboard=True writes TensorBoard logs, which needs the tensorboard package: "
            "pip install 'keras_classics[tensorboard]'"
        ) from None


def _kernel_init(asked, chosen, spec):
    """The initialisation scheme: the one asked for, else the recipe's where the family has it."""
    from keras_classics.models.initialization import PAPER_SCHEMES, resolve_scheme

    if asked is not None:
        resolve_scheme(asked, spec.family)  # a scheme the family lacks is an error when asked for
        return asked
    if chosen.kernel_init == "paper" and spec.family not in PAPER_SCHEMES:
        return None  # e.g. ZFNet under AlexNet's recipe: its paper states no scheme of its own
    return chosen.kernel_init


def _one_hot(settings) -> bool:
    """Labels as one-hot rows: label smoothing and mixing augmentations (mixup, cutmix) need them."""
    from keras_classics.data import preset

    train_transform, _ = preset(settings["augmentation"], size=settings["image_size"])
    return settings["label_smoothing"] > 0 or train_transform.mixes_labels or bool(settings.get("hidden_mixing"))


def _settings(data, spec, chosen, epochs, batch_size, image_size, seed):
    default_size = 32 if data == "digits" else (chosen.image_size or spec.default_size)
    return {
        "model": spec.name,
        "data": _data_setting(data),
        "recipe": dataclasses.asdict(chosen),
        "epochs": _positive_or_default("epochs", epochs, chosen.epochs),
        "batch_size": _positive_or_default("batch_size", batch_size, chosen.batch_size),
        "image_size": _positive_or_default("image_size", image_size, default_size),
        "augmentation": chosen.augmentation,
        "label_smoothing": chosen.label_smoothing,
        "seed": seed,
    }


def _compile(model, chosen, settings, steps_per_epoch, one_hot):
    optimizer = build_optimizer(chosen, settings["batch_size"], steps_per_epoch, settings["epochs"])  # the global batch
    apply_coupled_l2(model, chosen)
    loss = (
        keras.losses.CategoricalCrossentropy(label_smoothing=chosen.label_smoothing)
        if one_hot
        else keras.losses.SparseCategoricalCrossentropy()
    )
    outputs = len((model.model if isinstance(model, HiddenMixing) else model).outputs)
    model.compile(
        steps_per_execution=settings["steps_per_execution"],
        jit_compile=settings["jit_compile"],
        optimizer=optimizer,
        loss=[loss] * outputs if outputs > 1 else loss,
        loss_weights=[1.0] + [chosen.aux_loss_weight or 0.3] * (outputs - 1) if outputs > 1 else None,
        metrics=[["accuracy"]] + [[]] * (outputs - 1) if outputs > 1 else ["accuracy"],
    )


def train(
    name: str,
    dataset="digits",
    epochs: int | None = None,
    batch_size: int | None = None,
    export_dir: str | None = "saved_models",
    verbose: int | str = "auto",
    recipe_name: str | None = None,
    image_size: int | None = None,
    run_dir: str | None = None,
    resume: bool = False,
    seed: int | None = None,
    strategy: str = "auto",
    precision: str = "float32",
    check_memory: bool = True,
    early_stopping: int | None = None,
    tensorboard: bool = False,
    steps_per_execution: int = 1,
    jit_compile: bool = False,
    kernel_init: str | None = None,
    warm_start=None,
    hidden_mixing: str | None = None,
) -> TrainResult:
    """Trains registered model `name` on `dataset` ('digits', an image folder or 'tfds:NAME'); reports held-out
    accuracy.

    `epochs`, `batch_size` and `image_size` default (None) to the recipe's; otherwise they must be positive
    integers. The recipe defaults to the model family's paper (`digits` for the digits set). `run_dir`
    (default `runs/NAME-DATA`) receives the run folder; `resume=True` continues the run found there, with
    the recipe, epochs, batch size, input size and seed it was started with (each left as None is the run's;
    one stated differently is refused, since the checkpoint's schedule spans the run's own epochs). `seed`
    (default 0) seeds the held-out split, the initial weights and each epoch's data order.
    `strategy` is "auto", "mirrored", "multiworker" or "default" (`training.distribute`); `batch_size` is the
    global batch, split over the replicas. Under "multiworker" every worker runs the same call, each reads its
    own shard of the data, and only the chief writes the run folder and the export. `precision` is "float32",
    "mixed_float16" (GPUs with tensor cores; Keras scales the loss) or "mixed_bfloat16" (TPUs, recent CPUs):
    layers compute in half precision, weights and outputs stay float32. `export_dir=None` skips the SavedModel
    export. On the CPU, `check_memory` refuses a batch that would not fit in the available memory
    (`training.memory`) before the first step.
    `early_stopping=N` stops after N epochs without a better validation accuracy; `tensorboard=True` writes
    TensorBoard logs to RUN_DIR/logs (needs the `tensorboard` extra); `steps_per_execution` runs that many
    steps per call into TensorFlow (less Python overhead for small models) and `jit_compile` compiles the
    step with XLA; both apply to a new run (a resumed one keeps what its checkpoint was compiled with).
    `kernel_init` overrides the recipe's initialisation scheme (`keras_classics.models.initialization`);
    `warm_start` (a `.keras` file or run folder of a trained shallower VGG) starts a VGG as the paper did
    (`training.warm_start`). A recipe with `weight_averaging` keeps a moving average of the weights:
    validation, best.keras, the final evaluation and the export use it. `hidden_mixing` ("manifold_mixup",
    "patchup" or "puzzlemix") trains through `training.hidden_mixing.HiddenMixing` (one-hot labels; the
    checkpoints to resume hold the wrapper, best.keras and the export the network alone).

    Raises:
        ValueError: an unknown model, data set or recipe, a count below 1, an `export_dir` or `run_dir`
            that is (or lies under) a file, or `resume` with no run to resume; all checked before training.

    Example:
        >>> train("lenet5", epochs=0)
        Traceback (most recent call last):
        ...
        ValueError: epochs must be a positive integer (or None for the recipe's 30); got 0
    """
    from keras_classics.registry import model_info

    spec = model_info(name)
    run_dir = run_dir or os.path.join("runs", f"{spec.name}-{_data_label(dataset)}")
    files = run_folder.paths(run_dir)
    if resume:
        stated = {"data": _data_setting(dataset), "recipe": recipe_name, "epochs": epochs}
        stated |= {"batch_size": batch_size, "image_size": image_size, "seed": seed, "hidden_mixing": hidden_mixing}
        runs = run_folder.settings_to_resume(files, run_dir, stated)
        recipe_name, epochs, batch_size, image_size, seed, hidden_mixing = (
            runs[key] for key in ("recipe", "epochs", "batch_size", "image_size", "seed", "hidden_mixing")
        )
    seed = 0 if seed is None else seed
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}; got {precision!r}")
    distribution = strategy_for_devices(strategy)
    chosen = (
        recipe(recipe_name)
        if recipe_name
        else (recipe("digits") if dataset == "digits" else recipe_for(spec.name, spec.family))
    )
    settings = _settings(dataset, spec, chosen, epochs, batch_size, image_size, seed)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer; got {seed!r}")
    settings["precision"] = precision
    if hidden_mixing is not None and hidden_mixing not in HIDDEN_MIXING_METHODS:
        choices = ", ".join(HIDDEN_MIXING_METHODS)
        raise ValueError(f"hidden_mixing must be one of {choices} (or None); got {hidden_mixing!r}")
    settings["hidden_mixing"] = hidden_mixing
    settings["steps_per_execution"] = _positive("steps_per_execution", steps_per_execution)
    settings["jit_compile"] = bool(jit_compile)
    settings["kernel_init"] = _kernel_init(kernel_init, chosen, spec)
    if warm_start is not None:
        if spec.family != "vgg":
            raise ValueError(f"warm_start starts a VGG from a shallower trained one; {spec.name} is not a VGG")
        if not os.path.exists(warm_start):
            raise ValueError(f"warm_start: {os.fspath(warm_start)!r} does not exist (a .keras file or run folder)")
        settings["warm_start"] = os.path.abspath(os.fspath(warm_start))
    if early_stopping is not None:
        _positive("early_stopping", early_stopping, "a positive number of epochs (or None)")
    if tensorboard:
        _require_tensorboard()
    for argument, path in (("export_dir", export_dir), ("run_dir", run_dir)):
        if path is not None:
            _check_output_dir(argument, path)
    training, held_out = _sources(dataset, seed, settings["image_size"])
    training, held_out = (_to_channels(source, spec.channels, spec.name) for source in (training, held_out))
    state = run_folder.read_json(files["state"], {}) if resume else {}
    if resume and not any(os.path.exists(files[key]) for key in ("last", "previous")):
        raise ValueError(f"resume: no checkpoint to resume in {run_dir!r} (expected {files['last']})")
    keras.utils.set_random_seed(seed)
    multi_worker, writer = is_multi_worker(distribution), writes_files(distribution)
    batch = worker_batch(distribution, settings["batch_size"]) if multi_worker else settings["batch_size"]
    steps_per_epoch = (len(training) // worker_count(distribution)) // batch
    if steps_per_epoch < 1:
        raise ValueError(f"batch_size {settings['batch_size']} is larger than the {len(training)} training images")
    with distribution.scope():
        if resume:
            # weights, optimizer state and schedule position; the epoch is the checkpoint's own step count
            model, done = run_folder.load_resume_point(files, steps_per_epoch)
            apply_coupled_l2(model, chosen)  # variable regularizers are not part of a .keras file
        else:
            channels = training.images.shape[-1] if training.images is not None else 3
            model = _build_with_aux_heads(
                spec,
                chosen,
                settings,
                precision,
                input_shape=(settings["image_size"], settings["image_size"], channels),
                classes=len(training.class_names),
                include_preprocessing=True,
                kernel_init=settings["kernel_init"],
            )
            if warm_start is not None:
                settings["warm_started_layers"] = vgg_warm_start(model, load_trained(warm_start))
            if hidden_mixing:
                model = HiddenMixing(model, hidden_mixing, seed=seed)
            _compile(model, chosen, settings, steps_per_epoch, _one_hot(settings))
            done = 0
    network = model.model if isinstance(model, HiddenMixing) else model  # the zoo network being trained
    if check_memory and not tf.config.list_physical_devices("GPU"):  # GPUs raise their own error (below)
        check_batch_fits(network, settings["batch_size"])
    labels_for = _outputs_labels(len(network.outputs))

    def pipeline(which, shard=None):  # 0: training, 1: held out; `shard` for one worker of several
        return _pipelines(training, held_out, settings, done, settings["epochs"], batch, shard)[which].map(labels_for)

    if writer:  # one process writes the run folder: every one but a multi-worker cluster's non-chief workers
        os.makedirs(run_dir, exist_ok=True)
        run_folder.write_json(files["config"], settings)
        run_folder.write_json(files["classes"], list(training.class_names))
    rows = [row for row in run_folder.read_history(files["history"]) if int(row["epoch"]) < done]
    monitor = _validation_accuracy_key(network)
    checkpoint = run_folder.RunCheckpoint(
        run_dir, monitor, rows=rows, best=state.get("best"), writes=writer, network=network
    )
    divergence = StopOnDivergence()
    callbacks = [divergence, checkpoint]
    if chosen.schedule == "plateau":
        callbacks.append(keras.callbacks.ReduceLROnPlateau(monitor, mode="max", factor=0.1, patience=5))
    if early_stopping is not None:
        callbacks.append(keras.callbacks.EarlyStopping(monitor, patience=early_stopping, mode="max"))
    if tensorboard and writer:
        callbacks.append(keras.callbacks.TensorBoard(os.path.join(run_dir, "logs")))
    if averaging_decay(chosen, steps_per_epoch * settings["epochs"]):
        callbacks.append(keras.callbacks.SwapEMAWeights())  # validation measures the averaged weights
    fit_settings = {"epochs": settings["epochs"], "initial_epoch": done, "steps_per_epoch": steps_per_epoch}
    fit_settings |= {"callbacks": callbacks, "verbose": verbose}
    if done < settings["epochs"]:
        try:
            if multi_worker:  # Keras' fit cannot (keras-team/keras#20585); each worker reads its own shard
                shards = [lambda context, which=which: pipeline(which, _shard_of(context)) for which in (0, 1)]
                fit_across_workers(model, distribution, *shards, **fit_settings)
            else:
                # the pipeline shuffles, seeded per epoch
                model.fit(pipeline(0), validation_data=pipeline(1), shuffle=False, **fit_settings)
        except tf.errors.ResourceExhaustedError as error:
            raise WontFitInMemory(describe_oom(error, settings["batch_size"])) from None
    else:  # nothing left to train: put the average in place, as the end of `fit` would have
        finalize_averaged_weights(model)
    if divergence.where is not None:
        raise divergence.error(files["last"], int(run_folder.read_json(files["state"], {}).get("epochs_completed", 0)))
    if multi_worker:
        scores = evaluate_across_workers(model, distribution, lambda context: pipeline(1, _shard_of(context)))
    else:
        scores = model.evaluate(pipeline(1), verbose=0, return_dict=True)
    accuracy = float(next(v for k, v in scores.items() if k.endswith("accuracy")))
    model = _main_output(network)  # the checkpoints keep the auxiliary heads (and a mixing wrapper), to resume with
    export_path = report = None
    if writer:
        run_folder.plot_curves(checkpoint.rows, files["curves"])
    if export_dir is not None and writer:
        from keras_classics.export import export_saved_model

        sample = next(iter(pipeline(1)))[0][:8].numpy()
        report = export_saved_model(
            model, os.path.join(export_dir, spec.name), class_names=list(training.class_names), sample=sample
        )
        export_path = report.path
    history = {
        key: [row.get(key) for row in checkpoint.rows] for key in (checkpoint.rows[0] if checkpoint.rows else {})
    }
    return TrainResult(model, history, accuracy, export_path, report, run_dir)


def _shard_of(context):
    """(count, index) of this input pipeline among the workers', from `tf.distribute.InputContext`."""
    return context.num_input_pipelines, context.input_pipeline_id


def _outputs_labels(outputs):
    """Repeats the labels for every output (auxiliary classifiers train on the same labels)."""
    if outputs == 1:
        return lambda images, labels: (images, labels)
    return lambda images, labels: (images, tuple([labels] * outputs))


__all__ = ["PRECISIONS", "RECIPES", "Recipe", "TrainResult", "train"]
