"""Interrupted work loses nothing: killed runs, damaged checkpoints, a full disk (issue 13, item 3)."""

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time

import keras
import numpy as np
import pytest

from keras_classics.io import atomic_directory, atomic_path
from keras_classics.training import train
from keras_classics.weights import load_keras_file

TRAIN = (
    "import sys; from keras_classics.training import train; "
    "train('lenet5', epochs=int(sys.argv[2]), run_dir=sys.argv[1], export_dir=None, verbose=0, "
    "resume=len(sys.argv) > 3)"
)


def _epochs_listed(run):
    return [int(line.split(",")[0]) for line in (run / "history.csv").read_text().splitlines()[1:]]


def _weights(path):
    return keras.saving.load_model(path, compile=False).get_weights()


def _assert_same_weights(a_path, b_path):
    for a, b in zip(_weights(a_path), _weights(b_path), strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.slow
def test_runs_killed_at_random_moments_always_resume_to_the_uninterrupted_weights(tmp_path):
    # Three SIGKILLs at seeded random moments of the run's life (start-up, mid-epoch, while checkpointing),
    # each followed by --resume; then a last resume runs to the end. Every epoch is listed once and,
    # TF on the CPU being deterministic here, the weights equal an uninterrupted run's.
    epochs = 6
    started = time.monotonic()
    subprocess.run([sys.executable, "-c", TRAIN, str(tmp_path / "straight"), str(epochs)], check=True, timeout=600)
    lifetime = time.monotonic() - started
    rng = np.random.default_rng(13)
    killed = tmp_path / "killed"
    for trial in range(3):
        command = [sys.executable, "-c", TRAIN, str(killed), str(epochs)] + (["resume"] if trial else [])
        process = subprocess.Popen(command)
        time.sleep(rng.uniform(0.35, 0.9) * lifetime)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        if not (killed / "checkpoints" / "last.keras").exists() and not trial:
            continue  # killed before the first checkpoint: the next trial starts afresh
    resume = ["resume"] if (killed / "checkpoints").exists() else []
    subprocess.run([sys.executable, "-c", TRAIN, str(killed), str(epochs)] + resume, check=True, timeout=600)
    assert _epochs_listed(killed) == list(range(epochs))
    assert json.loads((killed / "state.json").read_text())["epochs_completed"] == epochs
    _assert_same_weights(tmp_path / "straight" / "checkpoints" / "last.keras", killed / "checkpoints" / "last.keras")


def test_a_damaged_last_checkpoint_is_reported_and_the_previous_one_resumes(tmp_path):
    run = tmp_path / "run"
    train("lenet5", epochs=3, run_dir=str(run), export_dir=None, verbose=0)
    last = run / "checkpoints" / "last.keras"
    (tmp_path / "intact.keras").write_bytes(last.read_bytes())
    last.write_bytes(last.read_bytes()[: last.stat().st_size // 2])  # a copy cut short
    with pytest.warns(UserWarning) as caught:
        train("lenet5", epochs=3, run_dir=str(run), export_dir=None, verbose=0, resume=True)
    said = [str(warning.message) for warning in caught if warning.category is UserWarning]
    assert "last.keras cannot be read" in said[0] and "empty or damaged" in said[0]
    assert "resuming from" in said[1] and "previous.keras (epoch 2)" in said[1]
    assert _epochs_listed(run) == [0, 1, 2]  # epoch 2 was redone from previous.keras, listed once
    _assert_same_weights(tmp_path / "intact.keras", last)


def test_when_no_checkpoint_reads_resume_names_each_file_and_why(tmp_path):
    run = tmp_path / "run"
    train("lenet5", epochs=2, run_dir=str(run), export_dir=None, verbose=0)
    for name in ("last.keras", "previous.keras"):
        path = run / "checkpoints" / name
        path.write_bytes(path.read_bytes()[:100])
    with (
        pytest.warns(UserWarning),
        pytest.raises(ValueError, match=r"no readable checkpoint .*last\.keras.*previous\.keras"),
    ):
        train("lenet5", run_dir=str(run), export_dir=None, verbose=0, resume=True)


@pytest.mark.parametrize("damage", ["truncated", "flipped", "empty"])
def test_a_damaged_keras_file_gets_an_error_naming_it(tmp_path, damage):
    path = tmp_path / "model.keras"
    keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)]).save(path)
    data = bytearray(path.read_bytes())
    if damage == "truncated":
        data = data[: len(data) // 2]
    elif damage == "flipped":  # the middle of the archive: the zip still opens, a member fails its CRC
        middle = len(data) // 2
        data[middle : middle + 64] = bytes(b ^ 0xFF for b in data[middle : middle + 64])
    else:
        data = b""
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match=r"could not read '.*model\.keras'.*damaged"):
        load_keras_file(path)


def test_out_of_space_names_the_file_and_keeps_the_previous_version(tmp_path):
    target = tmp_path / "state.json"
    target.write_text("old")

    def fill_the_disk(staged):
        with open(staged, "w") as file:
            file.write("half")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    no_room = r"could not write '.*state\.json': No space left on device .*unchanged"
    with pytest.raises(OSError, match=no_room), atomic_path(target) as staged:
        fill_the_disk(staged)
    assert target.read_text() == "old" and sorted(p.name for p in tmp_path.iterdir()) == ["state.json"]
    no_room = r"could not write '.*export/1': No space left .*nothing was left"
    with pytest.raises(OSError, match=no_room), atomic_directory(tmp_path / "export" / "1") as staged:
        os.makedirs(staged)
        fill_the_disk(os.path.join(staged, "saved_model.pb"))
    assert list((tmp_path / "export").iterdir()) == []


@pytest.mark.slow
def test_a_full_disk_while_checkpointing_or_exporting_fails_clearly_and_keeps_the_old_files(tmp_path):
    # A real writer running out of room: the process may not grow a file past 64 KB (RLIMIT_FSIZE, the way
    # a full disk looks to the writer), which the LeNet-5 checkpoint (~800 KB) and export both exceed.
    run, base = tmp_path / "run", tmp_path / "serving"
    train("lenet5", epochs=2, run_dir=str(run), export_dir=str(base), verbose=0)
    shutil.copyfile(run / "checkpoints" / "previous.keras", run / "checkpoints" / "last.keras")  # epoch 2 to redo
    before = {p.name: p.read_bytes() for p in (run / "checkpoints").iterdir()}
    state_before = (run / "state.json").read_text()
    script = textwrap.dedent(
        f"""
        import resource, signal, sys
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails with EFBIG instead of a signal
        import keras_classics
        from keras_classics.export import export_saved_model
        from keras_classics.training import train
        resource.setrlimit(resource.RLIMIT_FSIZE, (64_000, 64_000))
        for job in (
            lambda: train("lenet5", run_dir={str(run)!r}, export_dir=None, verbose=0, resume=True),
            lambda: export_saved_model(keras_classics.lenet5(), {str(base / "lenet5")!r}),
        ):
            try:
                job()
            except OSError as error:
                print("ERROR", error)
        """
    )
    done = subprocess.run([sys.executable, "-c", script], check=False, capture_output=True, text=True, timeout=600)
    errors = [line for line in done.stdout.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 2, done.stdout + done.stderr
    assert "last.keras': File too large" in errors[0] and "previous version is unchanged" in errors[0]
    assert "/lenet5/2': File too large" in errors[1] and "nothing was left in its place" in errors[1]
    assert {p.name: p.read_bytes() for p in (run / "checkpoints").iterdir()} == before
    assert (run / "state.json").read_text() == state_before
    assert sorted(p.name for p in (base / "lenet5").iterdir()) == ["1"]
