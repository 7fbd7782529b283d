"""Transfer learning: the cached-feature head is the frozen-backbone head; fine-tuning opens what it says."""

import os

import keras
import numpy as np
import pytest
from zoo_helpers import write_colour_folder

import keras_classics
from keras_classics.data import folder_source, make_dataset
from keras_classics.data.presets import eval_transform
from keras_classics.reuse import transfer
from keras_classics.reuse.finetune import finetune

SIZE = 32


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """Three classes of 12 noisy pictures whose colour says the class, of varied sizes."""
    return write_colour_folder(tmp_path_factory.mktemp("three_colours"))


def _backbone():
    keras.utils.set_random_seed(1)
    return keras_classics.resnet18(input_shape=(SIZE, SIZE, 3), classes=5)


def test_the_cached_feature_head_learns_what_the_frozen_backbone_model_learns(folder, tmp_path):
    source = folder_source(folder)
    backbone = _backbone()
    cached, frozen = transfer.transfer_model(backbone, 3), transfer.transfer_model(backbone, 3)
    np.testing.assert_array_equal(cached.get_layer("transfer_head").kernel, frozen.get_layer("transfer_head").kernel)

    features, labels, from_cache = transfer.cached_features(cached, source, tmp_path / "cache", batch_size=8)
    assert not from_cache and features.shape == (36, 512)
    transfer.train_head_on_features(cached, features, labels, epochs=4, batch_size=8, shuffle=False)
    in_order = make_dataset(source, batch_size=8, transform=eval_transform(SIZE), shuffle=False, seed=0)
    transfer.train_on_images(frozen, in_order, epochs=4)

    # The same function learned: the same head weights (to float round-off), so the same predictions.
    head = cached.get_layer("transfer_head").kernel.numpy()
    assert np.abs(head - frozen.get_layer("transfer_head").kernel.numpy()).max() < 1e-4
    assert not np.allclose(head, transfer.transfer_model(backbone, 3).get_layer("transfer_head").kernel)  # it trained
    predictions = [m.predict(in_order.map(lambda x, y: x), verbose=0).argmax(1) for m in (cached, frozen)]
    np.testing.assert_array_equal(*predictions)
    # The backbone did not move: the frozen model's features are still the cached ones.
    still = transfer.backbone_of(frozen).predict(in_order.map(lambda x, y: x), verbose=0)
    np.testing.assert_allclose(still, features, atol=1e-4)


def test_a_second_run_reads_the_cache_and_changed_inputs_miss_it(folder, tmp_path):
    source = folder_source(folder)
    model = transfer.transfer_model(_backbone(), 3)
    first, _, _ = transfer.cached_features(model, source, tmp_path)
    again, labels, from_cache = transfer.cached_features(model, source, tmp_path)
    assert from_cache and len(os.listdir(tmp_path)) == 1
    np.testing.assert_array_equal(first, again)
    np.testing.assert_array_equal(labels, source.labels)
    other = transfer.transfer_model(keras_classics.resnet18(input_shape=(SIZE, SIZE, 3), classes=5), 3)
    assert not transfer.cached_features(other, source, tmp_path)[2]  # other weights: computed anew
    os.utime(source.paths[0], ns=(1, 1))
    assert not transfer.cached_features(model, source, tmp_path)[2]  # a file changed: computed anew
    assert len(os.listdir(tmp_path)) == 3


def test_fine_tuning_opens_the_last_stage_and_keeps_batchnorm_frozen(folder):
    model = transfer.transfer_model(_backbone(), 3)
    assert [w.path for w in model.trainable_weights] == ["transfer_head/kernel", "transfer_head/bias"]
    opened = transfer.unfreeze_last_stages(model, 1)
    assert opened and all(name.startswith("layer4") for name in opened), opened
    backbone = transfer.backbone_of(model)
    layers = {item.name: item for item in transfer._flat_layers(backbone)}
    watched = ("layer1_0_conv1", "layer4_1_conv2", "layer4_1_bn2")
    before = {name: [w.numpy().copy() for w in layers[name].weights] for name in watched}
    source = folder_source(folder)
    data = make_dataset(source, batch_size=12, transform=eval_transform(SIZE), shuffle=False, seed=0)
    transfer.train_on_images(model, data, epochs=1, learning_rate=1e-2)
    after = {name: [w.numpy() for w in layers[name].weights] for name in before}
    assert all(np.array_equal(a, b) for a, b in zip(before["layer1_0_conv1"], after["layer1_0_conv1"]))
    assert not np.array_equal(before["layer4_1_conv2"][0], after["layer4_1_conv2"][0])
    # BatchNorm: neither gamma/beta nor the moving statistics change (inference mode, frozen).
    assert all(np.array_equal(a, b) for a, b in zip(before["layer4_1_bn2"], after["layer4_1_bn2"]))


def test_misuse_is_named(folder):
    model = transfer.transfer_model(_backbone(), 3)
    with pytest.raises(ValueError, match="classes must be an integer >= 2"):
        transfer.transfer_model(_backbone(), 1)
    with pytest.raises(ValueError, match="stages must be an integer from 1 to 5"):
        transfer.unfreeze_last_stages(model, 9)
    with pytest.raises(ValueError, match="is not a transfer model"):
        transfer.backbone_of(_backbone())
    with pytest.raises(ValueError, match="give cache_dir or augment, not both"):
        finetune(_backbone(), folder, "unused", cache_dir="c", augment=True)


def test_finetune_writes_a_run_folder_that_evaluate_takes(folder, tmp_path, capsys):
    from keras_classics.cli import main

    run = tmp_path / "run"
    result = finetune(
        _backbone(), folder, run, epochs=3, batch_size=8, learning_rate=1e-2, cache_dir=tmp_path / "cache",
        fine_tune_epochs=1, fine_tune_stages=1,
    )  # fmt: skip
    assert result.opened_layers and not result.from_cache
    assert sorted(os.listdir(run)) == ["checkpoints", "class_names.json", "config.json", "curves.png", "history.csv"]
    with open(run / "history.csv") as file:
        assert len(file.readlines()) == 1 + 3 + 1  # header, the head's epochs, the fine-tuning epoch
    argv = ["evaluate", str(run), "--data", str(folder), "--output", str(tmp_path / "e.csv")]
    assert main([*argv, "--tta", "none,flip", "--confusion", str(tmp_path / "confusion.png")]) == 0
    out = capsys.readouterr().out
    assert "resnet18_transfer" in out and "confusion matrix (resnet18_transfer, " in out
    assert os.path.getsize(tmp_path / "confusion.png") > 1000
    # The CLI, second run: the features come from the cache.
    code = main([
        "finetune", str(run / "checkpoints" / "last.keras"), "--data", str(folder), "--output", str(tmp_path / "run2"),
        "--epochs", "1", "--batch-size", "8", "--cache", str(tmp_path / "cache2"),
    ])  # fmt: skip
    assert code == 0 and "held-out accuracy" in capsys.readouterr().out
