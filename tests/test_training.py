"""The main job: LeNet-5 trained on the embedded digits, and its SavedModel export."""

import numpy as np
import pytest
import tensorflow as tf

from keras_classics.data import load_digits
from keras_classics.export import export_saved_model
from keras_classics.training import train
import keras_classics


def test_digits_are_real_scans_split_reproducibly():
    (x_train, y_train), (x_test, y_test) = load_digits()
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
    with pytest.raises(Exception):
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
