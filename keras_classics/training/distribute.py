"""Distribution: which `tf.distribute` strategy trains, and multi-worker training behind `train`'s one call.

- "auto": `MirroredStrategy` over every local GPU when there are several, else the default strategy.
- "mirrored": `MirroredStrategy` over every GPU, or, with none, every logical CPU device (how tests run it).
- "multiworker": `MultiWorkerMirroredStrategy`, the cluster read from the `TF_CONFIG` environment variable.
  Every worker runs the same command; the chief (task "chief", else worker 0) alone writes files.
- "default": no distribution.

Keras 3.15's own `model.fit` fails under `MultiWorkerMirroredStrategy` (keras-team/keras#20585: it reduces
the first input batch across workers to build the model, and reduces scalar metrics over an axis 0 they do
not have). `fit_across_workers` is the replacement `train` uses there: the same Keras `train_step` and
`test_step`, run by `strategy.run` in a `tf.function`, with Keras callbacks and progress bar, and logs that
are means over all replicas, so every worker's callbacks decide alike (stop, reduce the learning rate).

Each worker reads its own shard of the data (`worker_shard`): the examples are shuffled with the same seed
on every worker, then dealt out, so no two workers see the same example in an epoch.

Example:
    >>> import tensorflow as tf
    >>> from keras_classics.training.distribute import strategy_for_devices, writes_files
    >>> writes_files(strategy_for_devices("default"))
    True
"""

from __future__ import annotations

import json
import os

import keras
import tensorflow as tf

STRATEGIES = ("auto", "mirrored", "multiworker", "default")

_TF_CONFIG_EXAMPLE = (
    'TF_CONFIG=\'{"cluster": {"worker": ["host1:12345", "host2:12345"]}, "task": {"type": "worker", "index": 0}}\''
)


def strategy_for_devices(kind: str = "auto"):
    """The `tf.distribute` strategy for `kind` (see the module docstring)."""
    if kind not in STRATEGIES:
        raise ValueError(f"strategy must be one of {', '.join(STRATEGIES)}; got {kind!r}")
    if kind == "multiworker":
        check_cluster_config(os.environ.get("TF_CONFIG"))
        return tf.distribute.MultiWorkerMirroredStrategy()
    gpus = tf.config.list_logical_devices("GPU")
    if kind == "mirrored":
        devices = gpus or tf.config.list_logical_devices("CPU")
        return tf.distribute.MirroredStrategy([device.name for device in devices])
    if kind == "auto" and len(gpus) > 1:
        return tf.distribute.MirroredStrategy()
    return tf.distribute.get_strategy()


def check_cluster_config(text):
    """Raises ValueError naming what is wrong with a `TF_CONFIG` value (unset, not JSON, no task, ...).

    Example:
        >>> check_cluster_config('{"cluster": {"worker": ["localhost:2222"]}, "task": {"type": "ps", "index": 0}}')
        Traceback (most recent call last):
        ...
        ValueError: TF_CONFIG: task type 'ps' is not in the cluster (it has: worker)
    """
    if not text:
        raise ValueError(
            f"strategy 'multiworker' reads the cluster from TF_CONFIG, which is not set; e.g. {_TF_CONFIG_EXAMPLE}"
        )
    try:
        config = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"TF_CONFIG is not JSON ({error}); e.g. {_TF_CONFIG_EXAMPLE}") from None
    cluster, task = config.get("cluster"), config.get("task")
    if not isinstance(cluster, dict) or not cluster:
        raise ValueError(f"TF_CONFIG has no 'cluster' of worker addresses; e.g. {_TF_CONFIG_EXAMPLE}")
    if not isinstance(task, dict) or "type" not in task or "index" not in task:
        raise ValueError(f"TF_CONFIG has no 'task' with a 'type' and an 'index'; e.g. {_TF_CONFIG_EXAMPLE}")
    if task["type"] not in cluster:
        raise ValueError(f"TF_CONFIG: task type {task['type']!r} is not in the cluster (it has: {', '.join(cluster)})")
    members = cluster[task["type"]]
    if not isinstance(task["index"], int) or not 0 <= task["index"] < len(members):
        raise ValueError(f"TF_CONFIG: task index {task['index']!r} is not one of the {len(members)} {task['type']}s")


def is_multi_worker(strategy) -> bool:
    """True for a `MultiWorkerMirroredStrategy` (even with one worker: it still needs `fit_across_workers`)."""
    return isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy)


def writes_files(strategy) -> bool:
    """Whether this process writes the run folder, checkpoints and exports: every process but the
    non-chief workers of a multi-worker cluster."""
    return bool(strategy.extended.should_checkpoint)


def worker_count(strategy) -> int:
    """How many processes read their own share of the data (1 unless multi-worker)."""
    if not is_multi_worker(strategy):
        return 1
    return strategy.num_replicas_in_sync // max(1, len(strategy.extended.worker_devices))


def worker_batch(strategy, global_batch: int) -> int:
    """This worker's share of `global_batch`; the global batch must divide evenly among the replicas."""
    replicas = strategy.num_replicas_in_sync
    if global_batch % replicas:
        raise ValueError(f"batch_size {global_batch} does not divide among the {replicas} replicas of the strategy")
    return global_batch // worker_count(strategy)


def _mean_over_replicas(strategy, per_replica: dict) -> dict:
    return {key: strategy.reduce("MEAN", value, axis=None) for key, value in per_replica.items()}


def _build_for(model, strategy, element_spec):
    """Creates the compiled loss's, metrics' and optimizer's variables before the first step, as `fit` does,
    from the data's shapes (taking a batch would consume it). Keras keeps this step private."""
    with strategy.scope():
        model._symbolic_build(data_batch=element_spec)
        if model.optimizer is not None and not model.optimizer.built:
            model.optimizer.build(model.trainable_variables)


def fit_across_workers(
    model,
    strategy,
    train_fn,
    validation_fn=None,
    *,
    epochs,
    initial_epoch=0,
    steps_per_epoch,
    callbacks=(),
    verbose="auto",
):
    """`model.fit` for `MultiWorkerMirroredStrategy`; returns the `History`.

    `train_fn` and `validation_fn` take a `tf.distribute.InputContext` and return this worker's
    `tf.data.Dataset` (its shard, batched at its share of the global batch), as
    `strategy.distribute_datasets_from_function` wants. `train_fn`'s data must hold at least
    `(epochs - initial_epoch) * steps_per_epoch` batches on every worker: the workers step together.
    """
    training = strategy.distribute_datasets_from_function(train_fn)
    _build_for(model, strategy, train_fn(tf.distribute.InputContext()).element_spec)

    @tf.function
    def train_step(iterator):
        return _mean_over_replicas(strategy, strategy.run(model.train_step, args=(next(iterator),)))

    verbose = 1 if verbose == "auto" else verbose
    callback_list = keras.callbacks.CallbackList(
        list(callbacks),
        add_history=True,
        add_progbar=bool(verbose),
        model=model,
        verbose=verbose,
        epochs=epochs,
        steps=steps_per_epoch,
    )
    model.stop_training = False
    callback_list.on_train_begin()
    batches = iter(training)
    logs = {}
    for epoch in range(initial_epoch, epochs):
        model.reset_metrics()
        callback_list.on_epoch_begin(epoch)
        for step in range(steps_per_epoch):
            callback_list.on_train_batch_begin(step)
            logs = {key: float(value) for key, value in train_step(batches).items()}
            callback_list.on_train_batch_end(step, logs)
            if model.stop_training:
                break
        epoch_logs = dict(logs)
        if validation_fn is not None and not model.stop_training:
            scores = evaluate_across_workers(model, strategy, validation_fn, callback_list)
            epoch_logs |= {f"val_{key}": value for key, value in scores.items()}
        callback_list.on_epoch_end(epoch, epoch_logs)
        if model.stop_training:
            break
    callback_list.on_train_end(logs)
    return model.history


def evaluate_across_workers(model, strategy, data_fn, callback_list=None) -> dict:
    """`model.evaluate(..., return_dict=True)` for `MultiWorkerMirroredStrategy`: every worker evaluates its
    shard; the metrics, kept per replica and summed on reading, then cover every worker's examples.

    The shards may differ in length by a batch, so the steps exchange nothing: only the final reading of
    the metrics does, once on every worker.
    """
    data = strategy.distribute_datasets_from_function(data_fn)
    _build_for(model, strategy, data_fn(tf.distribute.InputContext()).element_spec)

    @tf.function
    def test_step(batch):
        strategy.run(model.test_step, args=(batch,))

    model.reset_metrics()
    if callback_list is not None:
        callback_list.on_test_begin()
    for batch in data:
        test_step(batch)
    scores = {key: float(value) for key, value in model.get_metrics_result().items()}
    if callback_list is not None:
        callback_list.on_test_end(scores)
    return scores


__all__ = [
    "STRATEGIES",
    "check_cluster_config",
    "evaluate_across_workers",
    "fit_across_workers",
    "is_multi_worker",
    "strategy_for_devices",
    "worker_batch",
    "worker_count",
    "writes_files",
]
