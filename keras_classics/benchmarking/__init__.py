"""The performance suite: our models timed side by side with keras.applications and the PyTorch references.

`keras-classics benchmark` runs it (`suite.run_suite` from Python). Each part is one module with a `plan`
(what to time, from the command's settings: the full list or the `--quick` one) and a `measure` (the
table); all of them time through `harness.interleave`, so every number is a median of interleaved rounds
measured in one process, and every comparison a ratio of such medians.

- `inference`: batch-1 latency and large-batch throughput on the CPU, ours / keras.applications / torch;
- `training`: images/s of one SGD training step, ours / keras.applications;
- `pipeline`: images/s of decoding and of each augmentation preset, against the training rate of the
  fastest network trained with that preset;
- `tflite`: LiteRT interpreter latency (1 and 2 threads) of float32 and int8 files, ours / keras.applications;
- `grouped`: the grouped-convolution networks (ResNeXt, ShuffleNet v1, AlexNet's two-GPU split) against
  their dense twins (`groups=1`), Keras' own XLA grouped path and themselves without the grouped
  convolutions, by time and by MACs (inference; a training step on request);
- `gpu`: mixed-precision XLA training throughput, ours / keras.applications (skipped without a GPU).

Importing this package loads nothing heavy (the command checks `--only` against `PARTS` before TensorFlow).

Example:
    keras-classics benchmark --quick                      # every part, a few small models: minutes
    keras-classics benchmark --only inference --models resnet50 mobilenet_v2
"""

import os as _os

PARTS = ("inference", "training", "pipeline", "tflite", "grouped", "gpu")
DEFAULT_DATA = _os.path.join("..", "shared", "datasets", "cats_vs_dogs")  # relative to the working folder
DEFAULT_OUTPUT = _os.path.join("benchmarks", "results")


class Skipped(Exception):
    """A part cannot run here (no GPU, no data folder, a missing optional package); the message says why."""
