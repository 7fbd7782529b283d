"""The benchmark suite: the timing harness's arithmetic, the command's options, and tiny runs of the parts.

Nothing here asserts a time: timings belong in benchmarks/results, and these machines are shared.
"""

import dataclasses
import math
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from keras_classics.benchmarking import Skipped, contenders
from keras_classics.benchmarking.harness import interleave
from keras_classics.benchmarking.suite import Settings
from keras_classics.cli import build_parser, main

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


# ----------------------------------------------------------------------------------------- harness
class ScriptedClock:
    """A fake clock: each contender's call advances it by that contender's next scripted duration."""

    def __init__(self, durations):
        self.now, self.durations, self.calls = 0.0, {name: list(values) for name, values in durations.items()}, []

    def __call__(self):
        return self.now

    def contender(self, name):
        def call():
            self.calls.append(name)
            self.now += self.durations[name].pop(0)

        return call


def test_rounds_visit_every_contender_in_turn_after_the_warm_up():
    clock = ScriptedClock({name: [1.0] * 5 for name in "abc"})
    timings = interleave({name: clock.contender(name) for name in "abc"}, rounds=3, warmup=2, clock=clock)
    # 2 warm-up rounds, then 3 timed ones, never "aaabbbccc"; each timed round starts one place further on,
    # so every contender comes first, second and third once (each pays once for following each other one).
    assert "".join(clock.calls) == "abc" * 2 + "abc" + "bca" + "cab"
    assert timings.rounds == 3 and all(len(values) == 3 for values in timings.seconds.values())


def test_medians_ratios_and_rates_come_from_each_contenders_timed_rounds():
    # The warm-up call (first value) is slow and not kept; b's second round is disturbed and the median drops it.
    clock = ScriptedClock({"ours": [50.0, 3.0, 1.0, 2.0], "theirs": [70.0, 4.0, 100.0, 6.0]})
    timings = interleave({name: clock.contender(name) for name in ("ours", "theirs")}, 3, warmup=1, clock=clock)
    assert timings.seconds == {"ours": [3.0, 1.0, 2.0], "theirs": [4.0, 100.0, 6.0]}
    assert timings.median("ours") == 2.0 and timings.median("theirs") == 6.0
    assert timings.ratio("ours", "theirs") == pytest.approx(1 / 3)
    assert timings.per_second("ours", 8) == 4.0 and timings.milliseconds("theirs") == 6000.0
    row = timings.columns(("ours", "theirs", "absent"), items=8)
    assert list(row) == [
        "ours_ms", "theirs_ms", "absent_ms",
        "ours_images_per_s", "theirs_images_per_s", "absent_images_per_s",
        "ours_vs_theirs", "ours_vs_absent",
    ]  # fmt: skip
    assert row["ours_ms"] == 2000.0 and row["theirs_images_per_s"] == pytest.approx(8 / 6)
    assert row["ours_vs_theirs"] == pytest.approx(1 / 3)
    assert math.isnan(row["absent_ms"]) and math.isnan(row["ours_vs_absent"])


def test_fast_calls_get_rounds_until_each_contender_has_min_seconds_of_them():
    # a: 0.1 s a call, b: 0.3 s: 3 rounds give a only 0.3 s, so rounds go on until a has 1 s (10 rounds)
    clock = ScriptedClock({"a": [0.1] * 60, "b": [0.3] * 60})
    timings = interleave({n: clock.contender(n) for n in "ab"}, rounds=3, warmup=0, clock=clock, min_seconds=1.0)
    assert timings.rounds == 10 and "".join(clock.calls) == "abba" * 5
    clock = ScriptedClock({"a": [0.01] * 60, "b": [0.01] * 60})  # never 1 s: capped at max_rounds
    timings = interleave({n: clock.contender(n) for n in "ab"}, 3, 0, clock, min_seconds=1.0, max_rounds=7)
    assert timings.rounds == 7
    clock = ScriptedClock({"a": [2.0] * 9, "b": [2.0] * 9})  # slow calls: just the rounds asked for
    assert interleave({n: clock.contender(n) for n in "ab"}, 3, 0, clock, min_seconds=1.0).rounds == 3


@pytest.mark.parametrize(
    "contenders_, rounds, warmup, message",
    [({}, 3, 1, "no contenders"), ({"a": print}, 0, 1, "rounds"), ({"a": print}, 2, -1, "warmup")],
)
def test_the_harness_refuses_what_cannot_give_a_median(contenders_, rounds, warmup, message):
    with pytest.raises(ValueError, match=message):
        interleave(contenders_, rounds, warmup)


def test_large_networks_get_smaller_batches_to_fit_the_time_budget():
    assert contenders.capped_batch(32, 300.8, 160) == 32  # MobileNetV2: 9.6 GMACs at 32
    assert contenders.capped_batch(32, 15470.3, 160) == 8  # VGG-16: 124 GMACs at 8
    assert contenders.capped_batch(32, 37745.9, 160) == 4  # EfficientNet-B7 at 600x600
    assert contenders.capped_batch(32, 1e9, 160) == 1 and contenders.capped_batch(16, None, 1) == 16


# ----------------------------------------------------------------------------------------- the command
def _one_error_line(capsys):
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("keras-classics benchmark: error: "), err
    return lines[0]


def test_the_command_parses_its_options(tmp_path):
    argv = ["benchmark", "--quick", "--only", "tflite, inference,tflite", "--models", "resnet50", "mobilenet_v2"]
    args = build_parser().parse_args([*argv, "--rounds", "4", "--no-reference", "--output", str(tmp_path)])
    assert args.only == ("tflite", "inference")  # each part once, in the order given
    assert (args.quick, args.models, args.rounds, args.no_reference) == (True, ["resnet50", "mobilenet_v2"], 4, True)
    defaults = build_parser().parse_args(["benchmark"])
    assert defaults.only == ("inference", "training", "pipeline", "tflite", "grouped", "gpu") and not defaults.quick
    assert defaults.output == os.path.join("benchmarks", "results") and defaults.models is None


def test_an_unknown_part_is_one_clear_line(tmp_path, capsys):
    assert main(["benchmark", "--only", "inference,speed", "--output", str(tmp_path)]) == 2
    line = _one_error_line(capsys)
    assert "--only: must be a comma-separated list of inference, training, pipeline, tflite, grouped, gpu" in line
    assert "got 'inference,speed'" in line
    assert main(["benchmark", "--rounds", "0"]) == 2
    assert "--rounds: must be a positive integer" in _one_error_line(capsys)
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_model_fails_before_anything_is_timed(tmp_path, capsys):
    assert main(["benchmark", "--only", "inference", "--models", "lenet4", "--output", str(tmp_path)]) == 2
    assert "did you mean lenet5" in _one_error_line(capsys)
    assert list(tmp_path.iterdir()) == []
    assert main(["benchmark", "--only", "grouped", "--models", "twinz", "--output", str(tmp_path)]) == 2
    assert "unknown model 'twinz'" in (line := _one_error_line(capsys)) and "'all' or 'twins'" in line


def test_the_parts_are_checked_without_importing_tensorflow():
    code = (
        "import sys\n"
        "from keras_classics.cli import main\n"
        "assert main(['benchmark', '--only', 'gpu,bogus']) == 2\n"
        "assert main(['benchmark', '--help']) == 0\n"
        "heavy = sorted({'tensorflow', 'keras', 'pandas'} & set(sys.modules))\n"
        "assert not heavy, heavy\n"
    )
    env = {**os.environ, "PYTHONPATH": REPO_ROOT + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "--only: must be a comma-separated list" in done.stderr and "usage: keras-classics benchmark" in done.stdout


# ----------------------------------------------------------------------------------------- tiny runs
INFERENCE_COLUMNS = [
    "model", "input", "batch", "preprocessing", "reference", "rounds",
    "ours_ms", "ours_folded_ms", "keras_applications_ms", "reference_ms",
    "ours_images_per_s", "ours_folded_images_per_s", "keras_applications_images_per_s", "reference_images_per_s",
    "ours_vs_keras_applications", "ours_vs_reference", "ours_folded_vs_keras_applications", "ours_folded_vs_ours",
]  # fmt: skip


def test_a_tiny_run_writes_each_parts_table_and_skips_the_gpu_without_one(tmp_path, capsys):
    pytest.importorskip("tensorflow")
    out = tmp_path / "results"
    argv = ["benchmark", "--only", "inference,training,gpu", "--models", "lenet5", "--rounds", "2"]
    assert main([*argv, "--output", str(out)]) == 0
    printed = capsys.readouterr().out
    inference = pd.read_csv(out / "inference.csv")
    assert list(inference.columns) == INFERENCE_COLUMNS
    assert inference["batch"].tolist() == [1, 32] and (inference["rounds"] == 2).all()
    assert (inference["ours_ms"] > 0).all() and (inference["input"] == 32).all()
    rate = inference["batch"] / inference["ours_ms"] * 1e3
    np.testing.assert_allclose(inference["ours_images_per_s"], rate, rtol=1e-3)
    assert inference["keras_applications_ms"].isna().all()  # keras.applications has no LeNet-5
    training = pd.read_csv(out / "training.csv")
    assert training["model"].tolist() == ["lenet5"] and training["ours_images_per_s"].iloc[0] > 0
    expected = {"inference.csv", "training.csv"}
    import tensorflow as tf

    if not tf.config.list_physical_devices("GPU"):
        assert "gpu: skipped: no GPU visible to TensorFlow" in printed
    try:
        import matplotlib  # noqa: F401

        expected |= {"inference.png", "training.png"}
    except ImportError:
        assert "matplotlib is not installed" in printed
    assert {p.name for p in out.iterdir()} == expected
    assert "lenet5" in printed and "benchmark finished in" in printed


def _first_layer_types(model):
    return [type(layer).__name__ for layer in model.layers[1:3]]


def test_a_network_capped_to_batch_one_is_timed_once_not_twice():
    from keras_classics.benchmarking import inference

    # MobileNetV3-Small costs 0.06 GMACs an image: under a 0.03 GMACs cap, batch 4 falls to 1, which is timed.
    plan = inference.Plan(
        models=("mobilenet_v3_small",), batches=(1, 4), rounds=1, warmup=0, reference=False, max_gmacs_per_step=0.03
    )
    table = inference.measure(plan)
    contenders.release()
    assert table["batch"].tolist() == [1]


def test_pairs_compare_like_with_like_preprocessing():
    from keras_classics.benchmarking import inference

    # MobileNetV3: keras.applications rescales inside by default, so ours does too.
    assert "Rescaling" in _first_layer_types(contenders.build_ours("mobilenet_v3_small"))
    assert "Rescaling" in _first_layer_types(contenders.build_keras_twin("mobilenet_v3_small"))
    table = inference.measure(
        inference.Plan(models=("mobilenet_v3_small",), batches=(2,), rounds=1, warmup=1, reference=False)
    )
    row = table.iloc[0]
    assert (row["preprocessing"], row["batch"], row["reference"]) == ("in-graph", 2, "")
    assert row["ours_vs_keras_applications"] == pytest.approx(row["ours_ms"] / row["keras_applications_ms"])
    assert row["ours_folded_vs_keras_applications"] == pytest.approx(
        row["ours_folded_ms"] / row["keras_applications_ms"]
    )
    assert row["ours_folded_vs_ours"] == pytest.approx(row["ours_folded_ms"] / row["ours_ms"])
    assert math.isnan(row["reference_ms"])
    contenders.release()
    # MobileNetV2: neither normalises inside.
    assert "Rescaling" not in _first_layer_types(contenders.build_ours("mobilenet_v2"))
    assert "Rescaling" not in _first_layer_types(contenders.build_keras_twin("mobilenet_v2"))


def test_the_pipeline_part_skips_cleanly_without_its_folder(tmp_path):
    from keras_classics.benchmarking import pipeline

    with pytest.raises(Skipped, match="no image folder at .*give one with --data"):
        pipeline.measure(pipeline.Plan(folder=str(tmp_path / "absent"), presets=("inception",)))


def test_the_pipeline_part_times_decoding_and_presets_on_a_folder(tmp_path):
    import tensorflow as tf

    from keras_classics.benchmarking import pipeline

    for label in ("cats", "dogs"):
        (tmp_path / label).mkdir()
        for i in range(3):
            pixels = tf.constant(np.random.default_rng(i).integers(0, 255, (48, 64, 3)), tf.uint8)
            (tmp_path / label / f"{i}.jpg").write_bytes(tf.io.encode_jpeg(pixels).numpy())
    plan = pipeline.Plan(folder=str(tmp_path), presets=("inception",), size=32, batch=2, batches_per_round=2, rounds=2,
                         consumers=False)  # fmt: skip
    table = pipeline.measure(plan)
    assert table["stage"].tolist() == ["decode", "inception"] and (table["images_per_s"] > 0).all()
    np.testing.assert_allclose(table["ms_per_batch"], 2 * 1e3 / table["images_per_s"], rtol=1e-6)
    assert table["headroom"].isna().all()  # no consumer timed
    assert "small" not in pipeline.photo_presets() and "inception" in pipeline.photo_presets()


def test_a_presets_consumer_is_the_cheapest_network_its_recipe_trains():
    from keras_classics.benchmarking.pipeline import fastest_consumer
    from keras_classics.registry import model_info
    from keras_classics.training.recipes import recipe_for

    name = fastest_consumer("inception")
    spec = model_info(name)
    assert recipe_for(name, spec.family).augmentation == "inception" and spec.default_size == 224
    assert spec.mmacs <= model_info("mobilenet_v3_small").mmacs  # trained with the same preset
    assert fastest_consumer("no_such_preset") is None


def test_the_tflite_part_times_float32_and_int8_files():
    pytest.importorskip("ai_edge_litert")
    from keras_classics.benchmarking import tflite

    kinds = ("float32", "int8", "int8_full")
    plan = tflite.Plan(models=("lenet5",), threads=(1,), rounds=2, warmup=1, calibration_images=2, kinds=kinds)
    table = tflite.measure(plan)
    row = table.iloc[0]
    assert (row["model"], row["threads"], row["rounds"]) == ("lenet5", 1, 2)
    assert row["ours_float32_ms"] > 0 and row["ours_int8_ms"] > 0 and row["ours_int8_full_ms"] > 0
    assert row["ours_int8_speedup"] == pytest.approx(row["ours_float32_ms"] / row["ours_int8_ms"])
    assert row["ours_int8_full_speedup"] == pytest.approx(row["ours_float32_ms"] / row["ours_int8_full_ms"])
    assert math.isnan(row["keras_applications_float32_ms"]) and math.isnan(row["ours_vs_keras_applications_int8"])
    # The full run's default: the fully integer file is not converted, and its columns stay empty.
    assert tflite.plan(Settings()).kinds == ("float32", "int8")
    assert set(tflite.flatbuffers("lenet5", tflite.calibration_images("lenet5", 2), ("float32",))) == {"ours_float32"}


def test_the_gpu_part_takes_the_largest_batch_that_fits(monkeypatch):
    import tensorflow as tf

    from keras_classics.benchmarking import gpu

    tried = []

    def step(model, images, labels, jit_compile=False):
        assert jit_compile  # XLA on the GPU
        batch = int(images.shape[0])

        def call():
            tried.append(batch)
            if batch > 64:
                raise tf.errors.ResourceExhaustedError(None, None, "OOM when allocating tensor")

        return call

    monkeypatch.setattr(contenders, "keras_train_step", step)
    sides = {"ours": None, "keras_applications": None}
    batch, calls = gpu._steps_at_largest_batch(sides, "lenet5", (256, 128, 64, 32), "/CPU:0")
    assert batch == 64 and tried == [256, 128, 64, 64] and set(calls) == {"ours", "keras_applications"}


def test_the_grouped_parts_twins_are_the_same_network_with_keras_groups_or_none():
    from keras_classics.analysis.profile import count_macs
    from keras_classics.benchmarking.grouped import grouped_layers, with_groups
    from keras_classics.registry import create_model

    model = create_model("resnext50_32x4d", input_shape=(32, 32, 3), classes=10)
    keras_groups, dense = with_groups(model, grouped=True), with_groups(model, grouped=False)
    assert [layer.groups for layer in grouped_layers(keras_groups)] == [32] * 16
    assert type(grouped_layers(keras_groups)[0]).__name__ == "Conv2D" and not grouped_layers(dense)
    # Keras' own grouped path with our weights gives our numbers: only the computation differs.
    keras_groups.set_weights(model.get_weights())
    images = contenders.random_images(2, (32, 32, 3))
    np.testing.assert_allclose(keras_groups(images), model(images), rtol=1e-4, atol=1e-5)
    # The dense twin has Wide ResNet-50-2's shapes: the 3x3 convolutions carry 32 times the multiply-adds.
    wide = create_model("wide_resnet50_2", input_shape=(32, 32, 3), classes=10)
    assert count_macs(dense) == count_macs(wide) > count_macs(model)
    contenders.release()


def test_the_grouped_part_compares_against_the_dense_twin_by_time_and_macs(capsys):
    from keras_classics.benchmarking import grouped

    # AlexNet's two-GPU split: the grouped network with the fewest layers, so the fewest to compile for training
    plan = grouped.Plan(models=("lenet5", "alexnet_2gpu"), batch=2, rounds=1, warmup=0, min_seconds=0.0,
                        input_side=67, modes=("inference", "training"))  # fmt: skip
    table = grouped.measure(plan)
    contenders.release()
    assert "lenet5 has no grouped convolution: not timed" in capsys.readouterr().out
    assert table[["model", "mode", "batch"]].values.tolist() == [
        ["alexnet_2gpu", "inference", 1], ["alexnet_2gpu", "inference", 2], ["alexnet_2gpu", "training", 2],
    ]  # fmt: skip
    assert (table["ours_gmacs"] < table["dense_gmacs"]).all()
    mac_share = table["ours_gmacs"] / table["dense_gmacs"]
    np.testing.assert_allclose(table["ours_vs_mac_proportional"], table["ours_vs_dense"] / mac_share)
    np.testing.assert_allclose(table["ours_vs_dense"], table["ours_ms"] / table["dense_ms"])
    assert table["keras_xla_ms"].notna().tolist() == [True, True, False]  # no XLA backward pass timed
    assert table["without_ms"].notna().all()
    convs = (table["ours_ms"] - table["without_ms"]) / (table["dense_ms"] - table["without_ms"])
    np.testing.assert_allclose(table["grouped_convs_vs_dense_convs"], convs)
    # AlexNet's grouped convolutions (conv2, conv4, conv5) have 2 groups: half of their dense MACs.
    np.testing.assert_allclose(table["grouped_convs_vs_mac_proportional"], 2 * convs, rtol=1e-6)
    assert grouped.plan(Settings()).modes == ("inference",)  # the full run: inference only
    with pytest.raises(Skipped, match="none of lenet5 has a grouped convolution"):
        grouped.measure(dataclasses.replace(plan, models=("lenet5",)))


def test_twins_names_every_shared_network_and_the_defaults_are_among_them():
    from keras_classics.benchmarking.suite import Settings, _checked

    assert _checked(Settings(models=("twins",))).models == tuple(contenders.TWINS)
    assert len(contenders.TWINS) == 40 and len(contenders.DEFAULT_TWINS) == 23
    assert set(contenders.FAMILY_REPRESENTATIVES) <= set(contenders.DEFAULT_TWINS) <= set(contenders.TWINS)
