"""A training run killed mid-way (here: SIGKILL, as a power cut or an out-of-memory kill would) and resumed.

The run is started in a child process, which this script kills as soon as the first epoch's checkpoint is
on disk, wherever the second epoch has got to. Resuming (`train(..., resume=True)`, or `keras-classics train
NAME --resume` with the same `--run-dir`) continues after the last completed epoch with the optimizer state,
the schedule position and each epoch's seeded data order, so no completed epoch is lost or repeated in the
history. `--compare` also trains the same run without interruption and prints how far the two final weights
are apart (0.0 for a network without dropout: the resumed run is the uninterrupted one).

Usage:
    python examples/resume_after_a_crash.py [--model lenet5] [--data digits] [--epochs 4] [--compare]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time


def start_and_kill(args, run_dir):
    """Starts the run in a child process and SIGKILLs it once epoch 1's checkpoint exists."""
    state = os.path.join(run_dir, "state.json")
    child = subprocess.Popen([sys.executable, __file__, "--child", "--run-dir", run_dir, *settings_argv(args)])
    while child.poll() is None:
        if os.path.exists(state) and json.load(open(state))["epochs_completed"] >= 1:
            time.sleep(0.5)  # now somewhere in the second epoch
            child.send_signal(signal.SIGKILL)
            child.wait()
            print(f"killed the run with SIGKILL after {json.load(open(state))['epochs_completed']} completed epoch(s)")
            return
        time.sleep(0.05)
    sys.exit(f"the run ended before it could be killed (exit code {child.returncode}); give it more --epochs")


def settings_argv(args):
    return ["--model", args.model, "--data", args.data, "--epochs", str(args.epochs)]


def run(args, run_dir, resume=False):
    from keras_classics.training import train

    return train(args.model, args.data, epochs=args.epochs, run_dir=run_dir, resume=resume, export_dir=None, verbose=0)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default="lenet5")
    parser.add_argument("--data", default="digits", help="digits, an image folder, or tfds:NAME")
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--run-dir", default=None, help="default: a new temporary folder")
    parser.add_argument("--compare", action="store_true", help="also train without interruption and compare")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)  # the run that gets killed
    args = parser.parse_args(argv)
    run_dir = args.run_dir or tempfile.mkdtemp(prefix="resume_")
    if args.child:
        run(args, run_dir)
        return None

    start_and_kill(args, run_dir)
    resumed = run(args, run_dir, resume=True)
    epochs = [int(epoch) for epoch in resumed.history["epoch"]]
    print(f"resumed and finished: epochs {epochs} in history.csv, held-out accuracy {resumed.test_accuracy:.4f}")
    if args.compare:
        import numpy as np

        straight = run(args, tempfile.mkdtemp(prefix="uninterrupted_"))
        difference = max(
            float(np.max(np.abs(a - b))) for a, b in zip(resumed.model.get_weights(), straight.model.get_weights())
        )
        print(f"uninterrupted run: held-out accuracy {straight.test_accuracy:.4f}; ", end="")
        print(f"largest weight difference {difference}")
    return resumed


if __name__ == "__main__":
    main()
