"""Training one model on two machines (here: two processes on this one) with `strategy="multiworker"`.

Every worker runs the same training call; `TF_CONFIG` tells each one the cluster and which worker it is.
The workers exchange gradients after every step, so their weights stay identical; each reads its own shard
of the data; only the chief (worker 0) writes the run folder and the export.

On real machines, run on each one (index 0 on the first, 1 on the second, same addresses everywhere):

    TF_CONFIG='{"cluster": {"worker": ["host1:12345", "host2:12345"]}, "task": {"type": "worker", "index": 0}}' \\
        keras-classics train resnet18 --data /shared/photos --strategy multiworker --run-dir /shared/runs/r18

(the run folder must be on storage every worker reads, for `--resume`). This script does the same with two
local processes and then compares what they learned:

    python examples/train_two_workers.py [--model lenet5] [--data digits] [--epochs 2] [--run-dir DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import socket
import subprocess
import sys
import tempfile


def free_ports(count):
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("localhost", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def weights_digest(model) -> str:
    """A fingerprint of every weight's bytes: equal digests mean bit-identical weights."""
    digest = hashlib.sha256()
    for weight in model.get_weights():
        digest.update(weight.tobytes())
    return digest.hexdigest()[:16]


def run_worker(args):
    """One worker: the training call every machine of the cluster makes (TF_CONFIG is already set)."""
    from keras_classics.training import train

    result = train(
        args.model,
        args.data,
        epochs=args.epochs,
        batch_size=args.batch_size,
        run_dir=args.run_dir,
        export_dir=os.path.join(args.run_dir, "export"),
        strategy="multiworker",
        verbose=2 if args.worker == 0 else 0,
    )
    print(f"worker {args.worker}: held-out accuracy {result.test_accuracy:.4f}, weights {weights_digest(result.model)}")
    print(f"worker {args.worker}: export {result.export_path}")


def launch(args):
    """Starts two workers on localhost, waits for both, and says whether they ended with the same weights."""
    ports = free_ports(2)
    cluster = {"worker": [f"localhost:{port}" for port in ports]}
    workers = []
    for index in range(2):
        task = {"type": "worker", "index": index}
        environment = dict(os.environ, TF_CONFIG=json.dumps({"cluster": cluster, "task": task}))
        command = [sys.executable, __file__, "--worker", str(index), "--model", args.model, "--data", args.data]
        command += ["--epochs", str(args.epochs), "--batch-size", str(args.batch_size), "--run-dir", args.run_dir]
        workers.append(subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, text=True))
    outputs = [worker.communicate()[0] for worker in workers]
    for output in outputs:
        print(output, end="")
    if any(worker.returncode for worker in workers):
        sys.exit(f"a worker failed (exit codes {[worker.returncode for worker in workers]})")
    digests = {line.rsplit(" ", 1)[1] for output in outputs for line in output.splitlines() if "weights" in line}
    print("the workers' weights are identical" if len(digests) == 1 else f"the workers' weights differ: {digests}")
    print(f"run folder (written by worker 0 alone): {args.run_dir}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default="lenet5")
    parser.add_argument("--data", default="digits", help="digits, an image folder, or tfds:NAME")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=32, help="the global batch, split between the workers")
    parser.add_argument("--run-dir", default=None, help="default: a new temporary folder")
    parser.add_argument("--worker", type=int, default=None, help=argparse.SUPPRESS)  # set by the launcher
    args = parser.parse_args(argv)
    args.run_dir = args.run_dir or tempfile.mkdtemp(prefix="two_workers_")
    if args.worker is None:
        launch(args)
    else:
        run_worker(args)


if __name__ == "__main__":
    main()
