"""Numerics (issue 13, item 4): mixed precision for one model of each family, a diverging run stopped clearly.

The whole zoo under both policies is `benchmarks/mixed_precision.py` (results in benchmarks/results/).
"""

import dataclasses
import json
import re

import keras
import numpy as np
import pytest
from zoo_helpers import ONE_PER_FAMILY, small_size

import keras_classics
from keras_classics.training import TrainingDiverged, recipes, train

# Each family under one half-precision policy, alternating, at its smallest input: float16 is emulated on
# the CPU and slow to trace, so both policies for every model is the sweep's job, not the suite's.
POLICY_CASES = [
    pytest.param(name, ("mixed_float16", "mixed_bfloat16")[i % 2], id=f"{name}-{('float16', 'bfloat16')[i % 2]}")
    for i, name in enumerate(ONE_PER_FAMILY)
]


@pytest.mark.slow
@pytest.mark.parametrize("name,policy", POLICY_CASES)
def test_a_training_step_in_half_precision_is_finite_with_float32_outputs(name, policy):
    family_name, options = name.split(":")[0], dict(ONE_PER_FAMILY[name])
    spec = keras_classics.model_info(family_name)
    options.pop("input_shape", None)
    side = max(small_size(spec), 32)
    keras.mixed_precision.set_global_policy(policy)
    try:
        model = keras_classics.create_model(
            family_name, input_shape=(side, side, spec.channels), classes=5, classifier_activation=None, **options
        )
    finally:
        keras.mixed_precision.set_global_policy("float32")
    half = policy.removeprefix("mixed_")
    assert {layer.compute_dtype for layer in model.layers if layer.weights} == {half}, "every layer computes in half"
    assert all(output.dtype == "float32" for output in model.outputs)
    outputs = len(model.outputs)
    model.compile(optimizer="sgd", loss=[keras.losses.SparseCategoricalCrossentropy(from_logits=True)] * outputs)
    images = np.random.default_rng(0).uniform(0, 1, (2, side, side, spec.channels)).astype("float32")
    loss = np.ravel(model.train_on_batch(images, [np.array([0, 1])] * outputs))[0]
    assert np.isfinite(loss) and loss > 0
    if policy == "mixed_float16":  # Keras wraps the optimizer in dynamic loss scaling
        assert isinstance(model.optimizer, keras.optimizers.LossScaleOptimizer)


def test_a_diverging_run_stops_with_the_step_and_keeps_the_last_finite_checkpoint(tmp_path, monkeypatch):
    explosive = dataclasses.replace(recipes.recipe("digits"), name="explosive", learning_rate=1e38)
    monkeypatch.setitem(recipes.RECIPES, "explosive", explosive)
    run = tmp_path / "run"
    with pytest.raises(TrainingDiverged, match=r"loss became (nan|inf) at epoch 1, step \d+; no epoch had completed"):
        train(
            "lenet5", epochs=3, recipe_name="explosive", run_dir=str(run), export_dir=str(tmp_path / "out"), verbose=0
        )
    assert not (run / "checkpoints").exists() and not (run / "state.json").exists()
    assert not (tmp_path / "out").exists(), "a diverged model is not exported"


def test_train_in_mixed_precision_exports_a_float32_model_and_restores_the_policy(tmp_path):
    result = train(
        "lenet5",
        epochs=1,
        precision="mixed_bfloat16",
        run_dir=str(tmp_path / "run"),
        export_dir=str(tmp_path / "out"),
        verbose=0,
    )
    assert keras.mixed_precision.global_policy().name == "float32", "the caller's policy is left as it was"
    assert json.loads((tmp_path / "run" / "config.json").read_text())["precision"] == "mixed_bfloat16"
    assert {layer.compute_dtype for layer in result.model.layers if layer.weights} == {"bfloat16"}
    # The export is checked in float32 against a float32 copy of the trained weights: exact, not bf16-close.
    assert result.export_report.max_difference <= 1e-5
    with pytest.raises(
        ValueError, match=r"precision must be one of float32, mixed_float16, mixed_bfloat16; got 'half'"
    ):
        train("lenet5", epochs=1, precision="half", export_dir=None)


def test_a_batch_that_cannot_fit_is_refused_before_training_with_the_largest_that_would(tmp_path, monkeypatch):
    from keras_classics.training import memory

    # 1 GiB for the runtime, LeNet-5's weights and optimizer state, and room for about 280 digits.
    monkeypatch.setattr(memory, "available_bytes", lambda: int(1.01 * memory.GIB))
    run = tmp_path / "run"
    with pytest.raises(
        memory.WontFitInMemory, match=r"batch size 1000 needs about .*use a batch size of at most (\d+)"
    ) as refused:
        train("lenet5", epochs=1, batch_size=1000, run_dir=str(run), export_dir=None, verbose=0)
    largest = int(re.search(r"at most (\d+)", str(refused.value)).group(1))
    assert 100 < largest < 1000
    assert not run.exists(), "nothing is written before the check"
    train("lenet5", epochs=1, batch_size=largest, run_dir=str(run), export_dir=None, verbose=0)  # and that one runs
