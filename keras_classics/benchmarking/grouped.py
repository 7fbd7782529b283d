"""Grouped convolutions on the CPU: each grouped network against its dense twin and Keras' own grouped path.

The targets: a grouped-convolution family (ResNeXt, ShuffleNet v1, AlexNet's two-GPU split) runs within
1.5x of its MAC-proportional time and no slower than its dense equivalent. The dense twin is the same
network with every grouped convolution made dense (`groups=1`: the same shapes, g times the multiply-adds;
ResNeXt-50 32x4d's twin has Wide ResNet-50-2's shapes), so `ours_vs_dense` is the second target directly, and
the MAC-proportional time is the twin's time scaled by the MAC ratio: `ours_vs_mac_proportional` =
(our time / the twin's) / (our MACs / the twin's), 1.5 at most. `keras_xla` is the network with
`keras.layers.Conv2D(groups=g)`, which Keras on TensorFlow runs as an XLA-compiled function. `without` is
the network with its grouped convolutions replaced by stand-ins of no multiply-adds (`without_grouped`): what
the rest of the network costs. A small network's rest (channel shuffles, depthwise convolutions, pools) costs
much the same in ours and in the twin and does not shrink with the MACs, so the grouped convolutions are
also compared on their own: `grouped_convs_vs_dense_convs` = (ours - without) / (dense - without), and
`grouped_convs_vs_mac_proportional`, that divided by the convolutions' MAC share (1 / groups).

Each network is timed in inference (batch 1, and 16 halved until the twin's forward pass costs at most 32
GMACs) and, when `Plan.modes` asks, in one SGD `train_on_batch` step at that batch, the contenders in
interleaved rounds (training leaves out `keras_xla`: its backward pass alone takes 5-87x a dense one's, see
`benchmarks/grouped_conv.py`).

Columns: model, mode, batch, rounds, `ours_gmacs`, `dense_gmacs` (per image), then `NAME_ms`,
`NAME_images_per_s` of ours / keras_xla / dense / without, `ours_vs_NAME`, `ours_vs_mac_proportional`,
`grouped_convs_vs_dense_convs` and `grouped_convs_vs_mac_proportional`.

A network without grouped convolutions is left out with a message.

Example:
    keras-classics benchmark --only grouped --models shufflenet_v1_g8
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from keras_classics.benchmarking import Skipped
from keras_classics.benchmarking import contenders as c
from keras_classics.benchmarking.harness import interleave
from keras_classics.benchmarking.inference import FAST_CALL_SECONDS
from keras_classics.benchmarking.report import Chart

TITLE = "grouped convolutions against the dense twin (groups=1), images/s (higher is faster)"
MODELS = ("resnext50_32x4d", "shufflenet_v1_g3", "alexnet_2gpu")  # one per family; `--models` adds g8 etc.
QUICK_MODELS = ("shufflenet_v1_g3",)
NAMES = ("ours", "keras_xla", "dense", "without")
CHART = Chart(
    columns=tuple(f"{name}_images_per_s" for name in NAMES),
    legend=(
        "keras_classics (split groups)",
        "keras Conv2D(groups) (XLA)",
        "dense twin (groups=1)",
        "without the grouped convolutions",
    ),
    xlabel="images per second (median of interleaved rounds)",
    label=lambda row: f"{row['model']}, {row['mode']}, batch {row['batch']}",
    log=True,
)


@dataclasses.dataclass(frozen=True)
class Plan:
    models: tuple[str, ...]
    batch: int = 16
    rounds: int = 3
    warmup: int = 1
    min_seconds: float = FAST_CALL_SECONDS  # inference: more rounds for fast calls, as in the inference part
    max_gmacs_per_step: float = 32.0
    input_side: int | None = None  # None: each network's default size
    # The full run times inference only, to fit its half hour (compiling the three training steps of a network
    # takes a minute); Plan(..., modes=("inference", "training")) adds one SGD step.
    modes: tuple[str, ...] = ("inference",)


def plan(settings) -> Plan:
    models = settings.models or (QUICK_MODELS if settings.quick else MODELS)
    return Plan(
        models=tuple(models),
        batch=8 if settings.quick else 16,
        rounds=settings.rounds or 3,
        min_seconds=0.0 if settings.rounds else FAST_CALL_SECONDS,
    )


def grouped_layers(model):
    """The model's convolutions with groups > 1 (our `GroupConv2D`s)."""
    import keras

    return [layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D) and layer.groups > 1]


def with_groups(model, grouped: bool):
    """A copy of `model` (fresh random weights) whose grouped convolutions are Keras' own
    `Conv2D(groups=g)` (`grouped=True`) or dense `Conv2D(groups=1)` (`grouped=False`).

    Example:
        >>> import keras_classics
        >>> from keras_classics.benchmarking.grouped import grouped_layers, with_groups
        >>> model = keras_classics.shufflenet_v1_g3(input_shape=(64, 64, 3), classes=10)
        >>> len(grouped_layers(model)) > 0, grouped_layers(with_groups(model, grouped=False))
        (True, [])
    """
    import keras

    from keras_classics.layers import GroupConv2D

    def clone(layer):
        config = layer.get_config()
        if isinstance(layer, GroupConv2D) and layer.groups > 1:
            config["groups"] = layer.groups if grouped else 1
            return keras.layers.Conv2D.from_config(config)
        return layer.__class__.from_config(config)

    return keras.models.clone_model(model, clone_function=clone)


def without_grouped(model):
    """A copy of `model` whose grouped convolutions are replaced by stand-ins of the same output shape and no
    multiply-adds (the input's channels, repeated or cut to the output's number, sampled at the stride's pixels):
    its time is that of everything else in the network, so the grouped convolutions' own time is ours minus it.

    Example:
        >>> import keras_classics
        >>> from keras_classics.benchmarking.grouped import grouped_layers, without_grouped
        >>> model = keras_classics.resnext50_32x4d(input_shape=(32, 32, 3), classes=10)
        >>> bare = without_grouped(model)
        >>> grouped_layers(bare), bare.output.shape == model.output.shape
        ([], True)
    """
    import keras
    from keras import ops

    from keras_classics.layers import GroupConv2D

    class ShapeOnly(keras.layers.Layer):
        def __init__(self, output_shape, strides, **kwargs):
            super().__init__(**kwargs)
            self.target, self.strides = tuple(output_shape), tuple(strides)

        def call(self, x):
            (height, width, channels), (sh, sw) = self.target, self.strides
            x = x[:, : height * sh : sh, : width * sw : sw, :]
            copies = -(-channels // x.shape[-1])
            return (ops.concatenate([x] * copies, axis=-1) if copies > 1 else x)[..., :channels]

    def clone(layer):
        if isinstance(layer, GroupConv2D) and layer.groups > 1:
            return ShapeOnly(layer.output.shape[1:], layer.strides, name=layer.name)
        return layer.__class__.from_config(layer.get_config())

    return keras.models.clone_model(model, clone_function=clone)


def measure(plan: Plan) -> pd.DataFrame:
    from keras_classics.analysis.profile import count_macs
    from keras_classics.registry import model_info

    rows = []
    for i, name in enumerate(plan.models, 1):
        print(f"[{i}/{len(plan.models)}] {name}", flush=True)
        side = plan.input_side
        ours = model_info(name).builder(**({"input_shape": (side, side, 3)} if side else {}))
        if not grouped_layers(ours):
            print(f"{name} has no grouped convolution: not timed", flush=True)
            continue
        built = {
            "ours": ours,
            "keras_xla": with_groups(ours, grouped=True),
            "dense": with_groups(ours, grouped=False),
            "without": without_grouped(ours),
        }
        macs = {key: count_macs(built[key]) for key in ("ours", "dense", "without")}  # keras_xla's are ours
        conv_share = (macs["ours"] - macs["without"]) / (macs["dense"] - macs["without"])
        batch = c.capped_batch(plan.batch, macs["dense"] / 1e6, plan.max_gmacs_per_step)
        shape = tuple(ours.inputs[0].shape[1:])
        labels = c.random_labels(batch, model_info(name).classes)
        steps = [("inference", 1), ("inference", batch), ("training", batch)]
        for mode, size in dict.fromkeys(step for step in steps if step[0] in plan.modes):
            images = c.random_images(size, shape)
            if mode == "inference":
                calls = {key: c.keras_forward(model, images) for key, model in built.items()}
            else:  # no keras_xla: its backward pass takes 5-87x a dense one (README, "Grouped convolutions")
                trained = ("ours", "dense", "without")
                calls = {key: c.keras_train_step(built[key], images, labels) for key in trained}
            seconds = plan.min_seconds if mode == "inference" else 0.0
            timings = interleave(calls, plan.rounds, plan.warmup, min_seconds=seconds)
            row = {"model": name, "mode": mode, "batch": size, "rounds": timings.rounds}
            row.update({f"{key}_gmacs": macs[key] / 1e9 for key in ("ours", "dense")})
            row.update(timings.columns(NAMES, size))
            row["ours_vs_mac_proportional"] = row["ours_vs_dense"] / (macs["ours"] / macs["dense"])
            convs = (row["ours_ms"] - row["without_ms"]) / (row["dense_ms"] - row["without_ms"])
            row["grouped_convs_vs_dense_convs"] = convs
            row["grouped_convs_vs_mac_proportional"] = convs / conv_share
            rows.append(row)
        del built, calls
        c.release()
    if not rows:
        raise Skipped(f"none of {', '.join(plan.models)} has a grouped convolution")
    return pd.DataFrame(rows)
