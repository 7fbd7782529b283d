"""Multi-worker training: two worker processes on localhost, the cluster in TF_CONFIG."""

import csv
import pathlib
import subprocess
import sys

import numpy as np
import pytest

from keras_classics.data import digits_source, make_dataset
from keras_classics.training import train
from keras_classics.training.distribute import check_cluster_config
from keras_classics.training.run_folder import RunCheckpoint
from keras_classics.weights import load_keras_file

EXAMPLE = pathlib.Path(__file__).resolve().parents[1] / "examples" / "train_two_workers.py"


def test_two_localhost_workers_train_identical_weights_and_only_the_chief_writes(tmp_path):
    run_dir = tmp_path / "run"
    done = subprocess.run(
        [sys.executable, str(EXAMPLE), "--epochs", "1", "--run-dir", str(run_dir)],
        capture_output=True,
        text=True,
        timeout=400,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    reports = {}
    for line in done.stdout.splitlines():
        if line.startswith("worker ") and "weights" in line:
            worker = int(line.split()[1].rstrip(":"))
            reports[worker] = (float(line.split("accuracy ")[1].split(",")[0]), line.rsplit(" ", 1)[1])
    assert sorted(reports) == [0, 1]
    assert reports[0][1] == reports[1][1]  # bit-identical weights after the epoch
    assert reports[0][0] == reports[1][0]  # the held-out accuracy covers both shards on both workers

    # One writer: one export version, one history row for the one epoch, and the chief's checkpoint.
    assert sorted(p.name for p in (run_dir / "export" / "lenet5").iterdir()) == ["1"]
    with open(run_dir / "history.csv") as file:
        assert [row["epoch"] for row in csv.DictReader(file)] == ["0"]
    assert (run_dir / "curves.png").stat().st_size > 0

    # The accuracy both printed is the checkpoint's on every held-out digit, evaluated in one process.
    model = load_keras_file(run_dir / "checkpoints" / "last.keras")
    held_out = digits_source("test", size=32)
    predicted = np.asarray(model.predict(held_out.images.astype("float32"), verbose=0)).argmax(-1)
    assert abs(float(np.mean(predicted == held_out.labels)) - reports[0][0]) < 1e-4


def test_workers_read_disjoint_shards_that_cover_the_data():
    images = np.arange(20, dtype="uint8").reshape(20, 1, 1, 1)  # each image's pixel is its index
    labels = np.zeros(20, "int64")
    seen = []
    for index in range(2):
        batches = make_dataset((images, labels), batch_size=4, shuffle=True, seed=7, shard=(2, index))
        seen.append([int(x) for batch, _ in batches for x in batch.numpy().ravel()])
    assert len(seen[0]) == len(seen[1]) == 10
    assert sorted(seen[0] + seen[1]) == list(range(20))
    assert seen[0] != sorted(seen[0])  # shuffled before being dealt out


def test_a_bad_shard_is_refused():
    with pytest.raises(ValueError, match=r"shard must be \(count, index\)"):
        make_dataset((np.zeros((4, 2, 2, 1), "uint8"), np.zeros(4, "int64")), shard=(2, 2))


@pytest.mark.parametrize(
    "config, message",
    [
        (None, "reads the cluster from TF_CONFIG, which is not set"),
        ("{cluster", "TF_CONFIG is not JSON"),
        ('{"task": {"type": "worker", "index": 0}}', "no 'cluster'"),
        ('{"cluster": {"worker": ["localhost:1"]}}', "no 'task'"),
        ('{"cluster": {"worker": ["localhost:1"]}, "task": {"type": "worker", "index": 3}}', "index 3 is not one of"),
    ],
)
def test_a_bad_cluster_config_is_refused_naming_the_problem(config, message):
    with pytest.raises(ValueError, match=message):
        check_cluster_config(config)


def test_multiworker_without_tf_config_fails_before_training(monkeypatch, tmp_path):
    monkeypatch.delenv("TF_CONFIG", raising=False)
    with pytest.raises(ValueError, match="TF_CONFIG, which is not set"):
        train("lenet5", epochs=1, strategy="multiworker", run_dir=str(tmp_path / "run"), export_dir=None)
    assert not (tmp_path / "run").exists()


def test_a_non_chief_checkpoint_writes_nothing(tmp_path):
    import keras_classics

    checkpoint = RunCheckpoint(str(tmp_path), writes=False)
    checkpoint.set_model(keras_classics.lenet5())
    checkpoint.model.compile("sgd", "sparse_categorical_crossentropy")
    checkpoint.on_epoch_end(0, {"loss": 1.0, "val_accuracy": 0.5})
    assert [row["epoch"] for row in checkpoint.rows] == [0]
    assert list(tmp_path.iterdir()) == []
