"""The `keras-classics` command."""

import numpy as np

import keras_classics
from keras_classics.cli import main


def test_list_prints_the_zoo_table(capsys):
    assert main(["list", "lenet*"]) == 0
    out = capsys.readouterr().out
    assert "name" in out and "MMACs" in out and "lenet5" in out and "61,706" in out


def test_summary_prints_totals(capsys):
    assert main(["summary", "lenet5"]) == 0
    out = capsys.readouterr().out
    assert "61,706 trainable parameters" in out and "MMACs" in out


def test_unknown_model_is_a_clear_error(capsys):
    assert main(["summary", "lenet4"]) == 2
    assert "did you mean lenet5" in capsys.readouterr().err


def test_convert_weights_writes_a_loadable_keras_file(tmp_path, capsys):
    source = keras_classics.lenet5()
    state = {}
    for layer in source.layers:
        if layer.weights:
            kernel, bias = (w.numpy() for w in layer.weights)
            state[f"{layer.name}.weight"] = kernel.transpose(3, 2, 0, 1) if kernel.ndim == 4 else kernel.T
            state[f"{layer.name}.bias"] = bias
    np.savez(tmp_path / "lenet5.npz", **state)
    destination = tmp_path / "lenet5.weights.h5"
    assert main(["convert-weights", "lenet5", str(tmp_path / "lenet5.npz"), str(destination)]) == 0
    assert "[3/3]" in capsys.readouterr().out
    images = np.random.default_rng(0).uniform(size=(2, 32, 32, 1)).astype("float32")
    np.testing.assert_allclose(keras_classics.lenet5(weights=str(destination))(images), source(images), atol=1e-6)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lenet5.npz", "lenet5.weights.h5"]
