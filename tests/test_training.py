"""The main job: LeNet-5 trained on the embedded digits, and its SavedModel export."""

import dataclasses
import json

import keras
import numpy as np
import pytest
import tensorflow as tf

import keras_classics
from keras_classics.data import load_digits
from keras_classics.export import export_saved_model
from keras_classics.training import train


def test_digits_are_real_scans_split_reproducibly():
    (x_train, _y_train), (x_test, y_test) = load_digits()
    assert x_train.shape[1:] == (32, 32, 1) and len(x_train) + len(x_test) == 1797
    assert 0.0 <= x_train.min() and x_train.max() <= 1.0
    assert set(np.unique(y_test)) == set(range(10))
    (again, _), _ = load_digits()
    np.testing.assert_array_equal(again, x_train)
    with pytest.raises(ValueError, match="test_fraction"):
        load_digits(test_fraction=1.5)


@pytest.mark.slow
def test_lenet5_reaches_97_percent_and_exports(tmp_path):
    result = train("lenet5", export_dir=str(tmp_path), verbose=0)
    assert result.test_accuracy >= 0.97
    loaded = tf.saved_model.load(result.export_path)
    (_, _), (x_test, y_test) = load_digits()
    served = loaded.signatures["serving_default"](images=tf.constant(x_test * 255.0))["probabilities"].numpy()
    assert np.mean(served.argmax(-1) == y_test) == pytest.approx(result.test_accuracy, abs=1e-6)


def test_export_is_atomic_and_checked(tmp_path):
    model = keras_classics.lenet5()
    path = export_saved_model(model, tmp_path / "lenet5", version=3).path
    assert path.endswith("3") and (tmp_path / "lenet5" / "3" / "saved_model.pb").is_file()
    with pytest.raises(FileExistsError):
        export_saved_model(model, tmp_path / "lenet5", version=3, overwrite=False)
    with pytest.raises(ValueError, match="sample must be a non-empty batch of shape"):
        export_saved_model(model, tmp_path / "lenet5", version=4, sample=np.zeros((1, 8, 8, 1), "float32"))
    assert sorted(p.name for p in (tmp_path / "lenet5").iterdir()) == ["3"]  # nothing half-written left


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"epochs": 0}, "epochs must be a positive integer .*; got 0"),
        ({"epochs": -1}, "epochs must be a positive integer .*; got -1"),
        ({"epochs": 2.5}, "epochs must be a positive integer .*; got 2.5"),
        ({"batch_size": 0}, "batch_size must be a positive integer .*; got 0"),
    ],
)
def test_train_rejects_bad_counts_before_training(kwargs, message, tmp_path):
    with pytest.raises(ValueError, match=message):
        train("lenet5", export_dir=str(tmp_path), verbose=0, **kwargs)
    assert list(tmp_path.iterdir()) == []


def test_train_rejects_an_export_dir_that_is_a_file_before_training(tmp_path):
    (tmp_path / "a_file").write_text("")
    with pytest.raises(ValueError, match="export_dir .* is a file"):
        train("lenet5", epochs=1, export_dir=str(tmp_path / "a_file" / "models"), verbose=0)


# ----------------------------------------------------------------------------------------- recipes
def test_recipes_build_the_optimizer_schedule_and_decay_they_cite():
    import keras

    from keras_classics.training import build_optimizer, recipe

    alexnet = build_optimizer(recipe("alexnet"), global_batch=256, steps_per_epoch=10, epochs=90)
    assert isinstance(alexnet, keras.optimizers.SGD) and alexnet.momentum == 0.9
    assert float(alexnet.learning_rate) == pytest.approx(0.02)  # 0.01 at batch 128, scaled to 256
    resnet = build_optimizer(recipe("resnet"), global_batch=256, steps_per_epoch=10, epochs=90)
    schedule = resnet._learning_rate
    assert [round(float(schedule(step)), 6) for step in (0, 299, 300, 599, 600, 800)] == [
        0.1,
        0.1,
        0.01,
        0.01,
        0.001,
        0.0001,
    ]
    short = build_optimizer(recipe("resnet"), global_batch=256, steps_per_epoch=10, epochs=2)  # ends before 30
    assert float(short.learning_rate) == pytest.approx(0.1)  # a constant rate (it used to fail at the first step)
    googlenet = build_optimizer(recipe("googlenet"), global_batch=256, steps_per_epoch=10, epochs=120)
    assert float(googlenet._learning_rate(80)) == pytest.approx(0.1 * 0.96)  # -4% every 8 epochs
    inception = build_optimizer(recipe("inception_v3"), global_batch=1600, steps_per_epoch=10, epochs=100)
    assert isinstance(inception, keras.optimizers.RMSprop) and inception.epsilon == 1.0 and inception.rho == 0.9
    modern = build_optimizer(recipe("modern"), global_batch=512, steps_per_epoch=10, epochs=300)
    assert isinstance(modern, keras.optimizers.AdamW) and modern.weight_decay == 0.05
    warm = modern._learning_rate
    assert float(warm(24)) == pytest.approx(5e-4 * 25 / 50) and float(warm(50)) == pytest.approx(5e-4)
    with pytest.raises(ValueError, match="unknown recipe 'adam'; choose one of alexnet, vgg"):
        recipe("adam")


def test_coupled_l2_adds_decay_times_weight_to_the_gradient_and_skips_norms_and_biases():
    import keras

    from keras_classics.training import apply_coupled_l2, recipe

    inputs = keras.Input((4,))
    model = keras.Model(inputs, keras.layers.Dense(3)(keras.layers.BatchNormalization()(keras.layers.Dense(5)(inputs))))
    paper = dataclasses.replace(recipe("resnet"), weight_decay=0.01, decay_norm_and_bias=False)
    assert apply_coupled_l2(model, paper) == 2  # the two kernels; not the biases, gamma or beta
    kernels = [v for v in model.trainable_variables if v.path.endswith("kernel")]
    expected = 0.01 / 2 * sum(float((np.asarray(k) ** 2).sum()) for k in kernels)
    assert float(sum(model.losses)) == pytest.approx(expected, rel=1e-5)
    with tf.GradientTape() as tape:
        penalty = sum(model.losses)
    for kernel, gradient in zip(kernels, tape.gradient(penalty, [k.value for k in kernels])):
        np.testing.assert_allclose(gradient, 0.01 * np.asarray(kernel), rtol=1e-5)  # weight_decay * w


# ----------------------------------------------------------------------------------------- runs and resume
def test_a_run_folder_holds_config_history_curves_and_checkpoints(tmp_path):
    import json

    result = train("lenet5", epochs=2, run_dir=str(tmp_path / "run"), export_dir=None, verbose=0)
    run = tmp_path / "run"
    names = sorted(p.name for p in run.iterdir())
    assert names == ["checkpoints", "class_names.json", "config.json", "curves.png", "history.csv", "state.json"]
    config = json.loads((run / "config.json").read_text())
    assert config["recipe"]["name"] == "digits" and config["epochs"] == 2 and config["batch_size"] == 32
    assert json.loads((run / "class_names.json").read_text()) == [str(d) for d in range(10)]
    lines = (run / "history.csv").read_text().splitlines()
    assert lines[0].startswith("epoch,") and [line.split(",")[0] for line in lines[1:]] == ["0", "1"]
    assert sorted(p.name for p in (run / "checkpoints").iterdir()) == ["best.keras", "last.keras", "previous.keras"]
    assert (run / "curves.png").read_bytes()[:4] == b"\x89PNG"
    assert result.run_dir == str(run) and 0.0 < result.test_accuracy <= 1.0


def test_a_resumed_run_keeps_the_settings_it_started_with_and_refuses_others(tmp_path):
    run = tmp_path / "run"
    first = train("lenet5", epochs=2, batch_size=64, seed=3, run_dir=str(run), export_dir=None, verbose=0)
    (run / "checkpoints" / "last.keras").unlink()  # as if killed during the second epoch's checkpoint
    for stated, refused in (
        ({"epochs": 3}, "started with epochs 2, not 3; leave epochs out"),
        ({"batch_size": 32}, "started with batch_size 64, not 32"),
        ({"seed": 0}, "started with seed 3, not 0"),
        ({"recipe_name": "vgg"}, "started with recipe 'digits', not 'vgg'"),
        ({"dataset": str(tmp_path)}, "started with data 'digits', not"),
    ):
        with pytest.raises(ValueError, match=refused):
            train("lenet5", run_dir=str(run), export_dir=None, verbose=0, resume=True, **stated)
    resumed = train("lenet5", run_dir=str(run), export_dir=None, verbose=0, resume=True)  # each setting the run's
    config = json.loads((run / "config.json").read_text())
    assert (config["epochs"], config["batch_size"], config["seed"]) == (2, 64, 3)
    lines = (run / "history.csv").read_text().splitlines()
    assert [line.split(",")[0] for line in lines[1:]] == ["0", "1"]  # epoch 1 trained again, listed once
    assert resumed.test_accuracy == pytest.approx(first.test_accuracy, abs=0.05)


def test_a_run_whose_schedule_does_not_span_its_epochs_can_be_extended(tmp_path, monkeypatch):
    from keras_classics.training import recipes

    constant = dataclasses.replace(recipes.recipe("digits"), name="digits_constant", schedule="constant")
    monkeypatch.setitem(recipes.RECIPES, "digits_constant", constant)
    run = tmp_path / "run"
    train("lenet5", epochs=1, recipe_name="digits_constant", run_dir=str(run), export_dir=None, verbose=0)
    train("lenet5", epochs=2, run_dir=str(run), export_dir=None, verbose=0, resume=True)
    lines = (run / "history.csv").read_text().splitlines()
    assert [line.split(",")[0] for line in lines[1:]] == ["0", "1"]
    assert json.loads((run / "config.json").read_text())["epochs"] == 2


def test_an_rgb_model_trains_on_the_grayscale_digits(tmp_path):
    # the digits are one channel; an RGB network gets it repeated three times (it used to be refused)
    result = train(
        "squeezenet1_1", epochs=1, batch_size=64, image_size=48, run_dir=str(tmp_path / "run"), export_dir=None,
        verbose=0,
    )
    assert 0.0 < result.test_accuracy <= 1.0
    model = keras.models.load_model(tmp_path / "run" / "checkpoints" / "last.keras", compile=False)
    assert model.input_shape == (None, 48, 48, 3)


def test_training_on_an_image_folder(tmp_path, two_class_photos):
    import json

    result = train(
        "resnet18",
        dataset=str(two_class_photos),
        recipe_name="small_photos",
        epochs=2,
        batch_size=4,
        image_size=32,
        run_dir=str(tmp_path / "run"),
        export_dir=str(tmp_path / "export"),
        verbose=0,
    )
    assert json.loads((tmp_path / "run" / "class_names.json").read_text()) == ["dark", "light"]
    assert result.export_report.check_images == 4 and (tmp_path / "export" / "resnet18" / "1").is_dir()


def test_early_stopping_tensorboard_and_steps_per_execution(tmp_path, monkeypatch):
    import sys

    run = tmp_path / "run"
    result = train(
        "lenet5",
        epochs=30,
        early_stopping=1,
        tensorboard=True,
        steps_per_execution=4,
        run_dir=str(run),
        export_dir=None,
        verbose=0,
    )
    epochs = len(result.history["loss"])
    accuracies = result.history["val_accuracy"]
    # EarlyStopping(patience=1): it stopped at the first epoch that did not beat the best before it.
    assert epochs < 30 and accuracies[-1] <= max(accuracies[:-1])
    assert all(later > max(accuracies[:i]) for i, later in enumerate(accuracies[:-1]) if i)
    events = list((run / "logs").rglob("events.out.tfevents.*"))
    assert {p.parent.name for p in events} == {"train", "validation"}
    assert json.loads((run / "config.json").read_text())["steps_per_execution"] == 4
    with pytest.raises(ValueError, match="steps_per_execution must be a positive integer; got 0"):
        train("lenet5", steps_per_execution=0, export_dir=None)
    with pytest.raises(ValueError, match=r"early_stopping must be a positive number of epochs \(or None\); got -2"):
        train("lenet5", early_stopping=-2, export_dir=None)
    monkeypatch.setitem(sys.modules, "tensorboard", None)  # as if the extra were not installed
    with pytest.raises(ImportError, match=r"pip install 'keras_classics\[tensorboard\]'"):
        train("lenet5", tensorboard=True, export_dir=None)


def test_auxiliary_classifiers_train_with_the_recipes_loss_weight_and_are_dropped_after(tmp_path):
    result = train(
        "googlenet", epochs=1, batch_size=64, image_size=32, recipe_name="googlenet", run_dir=str(tmp_path / "run"),
        export_dir=str(tmp_path / "export"), verbose=0,
    )
    config = json.loads((tmp_path / "run" / "config.json").read_text())
    assert config["aux_logits"] is True
    # The checkpoint (what a resume continues) trains all three heads with GoogLeNet's weights 1, 0.3, 0.3.
    checkpoint = keras.models.load_model(tmp_path / "run" / "checkpoints" / "last.keras")
    assert len(checkpoint.outputs) == 3
    assert checkpoint.get_compile_config()["loss_weights"] == [1.0, 0.3, 0.3]
    assert {"aux1_predictions_loss", "aux2_predictions_loss"} <= set(result.history)
    # The main head's accuracy is what best.keras and the plateau/early-stopping callbacks watch.
    assert json.loads((tmp_path / "run" / "state.json").read_text())["monitor"] == "val_predictions_accuracy"
    assert (tmp_path / "run" / "checkpoints" / "best.keras").exists()
    # After training the network is used as the paper does: main output only, same trained layers.
    assert len(result.model.outputs) == 1
    x = np.random.default_rng(0).uniform(0, 255, (2, 32, 32, 3)).astype("float32")
    np.testing.assert_allclose(result.model(x), checkpoint(x)[0], atol=1e-5)
    served = tf.saved_model.load(result.export_path).signatures["serving_default"](images=tf.constant(x))
    assert served["probabilities"].shape == (2, 10)


def test_inception_v3_below_299_is_built_without_its_auxiliary_head_and_says_so():
    from keras_classics.training.recipes import recipe
    from keras_classics.training.train import _build_with_aux_heads

    settings = {"hidden_mixing": None}
    with pytest.warns(UserWarning, match="inception_v3 trains without its auxiliary classifiers: .*>= 299"):
        model = _build_with_aux_heads(
            keras_classics.model_info("inception_v3"), recipe("inception_v3"), settings, "float32",
            input_shape=(75, 75, 3), classes=2,
        )
    assert settings["aux_logits"] is False and len(model.outputs) == 1


def test_hidden_mixing_trains_through_the_wrapper_and_keeps_the_network_in_best_keras(tmp_path):
    from keras_classics.training import HiddenMixing

    run_dir = tmp_path / "run"
    first = train("lenet5", epochs=1, batch_size=64, run_dir=str(run_dir), export_dir=None, verbose=0,
                  hidden_mixing="manifold_mixup")
    assert json.loads((run_dir / "config.json").read_text())["hidden_mixing"] == "manifold_mixup"
    last = keras.models.load_model(run_dir / "checkpoints" / "last.keras")
    assert isinstance(last, HiddenMixing) and last.stages == ("input", "c1", "c3")  # resumable as trained
    best = keras.models.load_model(run_dir / "checkpoints" / "best.keras")
    assert not isinstance(best, HiddenMixing) and best.name == "lenet5"  # what users load and export
    assert not isinstance(first.model, HiddenMixing)
    # Resuming the finished run picks the method up from config.json and loads the wrapper's checkpoint.
    again = train("lenet5", run_dir=str(run_dir), resume=True, export_dir=None, verbose=0)
    for a, b in zip(first.model.get_weights(), again.model.get_weights()):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="hidden_mixing must be one of manifold_mixup, patchup, puzzlemix"):
        train("lenet5", epochs=1, run_dir=str(tmp_path / "other"), export_dir=None, hidden_mixing="mixup")
