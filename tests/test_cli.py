"""The `keras-classics` command."""

import os
import subprocess
import sys

import numpy as np
import pytest

import keras_classics
from keras_classics.cli import build_parser, main

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(keras_classics.__file__)))


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


def test_train_passes_the_values_given_and_leaves_the_rest_to_the_recipe(monkeypatch, tmp_path, capsys):
    from keras_classics.training import TrainResult

    calls = []

    def fake_train(name, **kwargs):
        calls.append(kwargs)
        return TrainResult(None, {}, 0.5, None, run_dir="runs/x")

    monkeypatch.setattr("keras_classics.training.train", fake_train)
    assert main(["train", "lenet5", "--export-dir", str(tmp_path)]) == 0
    assert main(["train", "lenet5", "--epochs", "3", "--batch-size", "8", "--export-dir", str(tmp_path)]) == 0
    assert main(["train", "lenet5", "--no-export"]) == 0
    assert [(c["epochs"], c["batch_size"]) for c in calls] == [(None, None), (3, 8), (None, None)]
    assert [c["export_dir"] for c in calls] == [str(tmp_path), str(tmp_path), None]
    assert "held-out accuracy 50.00%" in capsys.readouterr().out


# ----------------------------------------------------------------------------------------- bad input
def _one_error_line(capsys, command):
    """The stderr of a failed run: exactly one line, `keras-classics COMMAND: error: ...`, no traceback."""
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"keras-classics {command}: error: "), err
    return lines[0]


@pytest.fixture
def a_file(tmp_path):
    path = tmp_path / "a_file"
    path.write_text("not a folder")
    return str(path)


BAD_INPUTS = {
    "negative epochs": (["train", "lenet5", "--epochs", "-1"], "--epochs: must be a positive integer; got '-1'"),
    "zero epochs": (["train", "lenet5", "--epochs", "0"], "--epochs: must be a positive integer; got '0'"),
    "zero batch size": (["train", "lenet5", "--batch-size", "0"], "--batch-size: must be a positive integer"),
    "text epochs": (["train", "lenet5", "--epochs", "ten"], "--epochs: must be a positive integer; got 'ten'"),
    "unknown dataset": (
        ["train", "lenet5", "--data", "mnist"],
        "--data/--dataset: must be an image folder, 'digits' or tfds:NAME; 'mnist' is not a folder",
    ),
    "unknown recipe": (["train", "lenet5", "--recipe", "adam"], "--recipe: invalid choice: 'adam'"),
    "resume nothing": (["train", "lenet5", "--resume", "--run-dir", "{dir}/run"], "resume: no checkpoint to resume"),
    "tfds without a name": (["train", "lenet5", "--data", "tfds:"], "--data/--dataset: tfds: needs a TFDS data set name"),
    "train export dir is a file": (["train", "lenet5", "--export-dir", "{file}"], "'{file}' cannot be a folder: it is"),
    "export dir is a file": (["export", "lenet5", "--export-dir", "{file}"], "--export-dir: '{file}' cannot be"),
    "export dir under a file": (["export", "lenet5", "--export-dir", "{file}/sub"], "'{file}' is a file"),
    "zero version": (["export", "lenet5", "--version", "0"], "--version: must be a positive integer; got '0'"),
    "missing weights": (["export", "lenet5", "--weights", "{file}.h5"], "--weights: no such file: '{file}.h5'"),
    "weights is a folder": (["export", "lenet5", "--weights", "{dir}"], "is a folder, not a file"),
    "unsupported weights": (["export", "lenet5", "--weights", "{file}"], "unsupported weights file"),
    "pattern matching nothing": (["list", "foo*", "--markdown"], "no model matches 'foo*'"),
    "unknown family": (["list", "--family", "nope"], "unknown family 'nope'"),
    "unknown model": (["summary", "lenet4"], "did you mean lenet5"),
    "missing source": (["convert-weights", "lenet5", "{file}.npz", "{dir}/x.weights.h5"], "src: no such file"),
    "dst not .weights.h5": (["convert-weights", "lenet5", "{file}", "{dir}/x.h5"], "dst: must end in .weights.h5"),
}


@pytest.mark.parametrize("argv, message", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_is_one_clear_line_and_a_failure(argv, message, a_file, tmp_path, capsys):
    fill = {"file": a_file, "dir": str(tmp_path)}
    assert main([arg.format(**fill) for arg in argv]) == 2
    assert message.format(**fill) in _one_error_line(capsys, argv[0])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_file"]  # nothing written


def test_an_unexpected_error_is_one_line_pointing_to_verbose(monkeypatch, capsys):
    def broken(name):
        raise RuntimeError("the disk is on fire")

    monkeypatch.setattr("keras_classics.registry.model_info", broken)
    assert main(["summary", "lenet5"]) == 1
    assert _one_error_line(capsys, "summary").endswith(
        "RuntimeError: the disk is on fire (run with --verbose for the traceback)"
    )
    with pytest.raises(RuntimeError, match="on fire"):  # --verbose lets the traceback through
        main(["summary", "lenet5", "--verbose"])


def test_the_command_lists_the_recipes_the_package_has():
    from keras_classics.cli import NAMED_RECIPES
    from keras_classics.training.recipes import RECIPES

    assert sorted(NAMED_RECIPES) == sorted(RECIPES)


def test_every_option_has_help_and_shows_its_default(capsys):
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    for name, sub in commands.items():
        for action in sub._actions:
            assert action.help, f"{name} {action.dest} has no help"
    assert main(["train", "--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "--data FOLDER|digits|tfds:NAME, --dataset FOLDER|digits|tfds:NAME an image folder" in out
    assert "(default: digits)" in out
    assert "(default: saved_models)" in out and "(default: the recipe's" in out


def test_verbose_is_accepted_before_and_after_the_command():
    parser = build_parser()
    assert parser.parse_args(["--verbose", "list"]).verbose is True
    assert parser.parse_args(["list", "--verbose"]).verbose is True
    assert parser.parse_args(["list"]).verbose is False


# ----------------------------------------------------------------------------------------- fresh processes
def _run(code_or_args, env_extra=None):
    env = {**os.environ, "PYTHONPATH": REPO_ROOT + os.pathsep + os.environ.get("PYTHONPATH", "")}
    env.pop("TF_CPP_MIN_LOG_LEVEL", None)  # the CLI itself must keep TensorFlow's lines away
    args = ["-c", code_or_args] if isinstance(code_or_args, str) else code_or_args
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, timeout=300)


def test_help_and_version_answer_without_importing_tensorflow():
    done = _run(
        "import sys\n"
        "from keras_classics.cli import main\n"
        "assert main(['--help']) == 0 and main(['train', '--help']) == 0 and main(['--version']) == 0\n"
        "assert main(['train', 'lenet5', '--epochs', '0']) == 2\n"  # parse-time checks need no TensorFlow either
        "heavy = sorted({'tensorflow', 'keras', 'pandas'} & set(sys.modules))\n"
        "assert not heavy, heavy\n"
    )
    assert done.returncode == 0, done.stderr
    assert "usage: keras-classics train" in done.stdout
    assert f"keras-classics {keras_classics.__version__}" in done.stdout
    module = _run(["-m", "keras_classics.cli", "--version"])
    assert module.returncode == 0 and module.stdout == f"keras-classics {keras_classics.__version__}\n"


def test_a_normal_command_keeps_tensorflow_start_up_lines_off_stderr():
    done = _run(["-m", "keras_classics.cli", "list", "lenet*"])
    assert done.returncode == 0 and "lenet5" in done.stdout
    assert "oneDNN" not in done.stderr and "absl::InitializeLog" not in done.stderr, done.stderr


# ----------------------------------------------------------------------------------------- export
def test_export_writes_both_formats_and_prints_what_it_checked(tmp_path, capsys):
    argv = ["export", "lenet5", "--format", "both", "--quantize", "int8", "--data", "digits", "--top-k", "3"]
    assert main(argv + ["--output", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert (tmp_path / "lenet5" / "1" / "saved_model.pb").is_file() and (tmp_path / "lenet5_int8.tflite").is_file()
    assert "signatures serving_default, classify_image_bytes" in out and "matches the Keras model to" in out
    assert "int8 (float32 in, float32 out)" in out and "top-1 agrees with the Keras model on" in out
    assert main(argv[:2] + ["--output", str(tmp_path)]) == 0  # the next version, not an overwrite
    assert sorted(p.name for p in (tmp_path / "lenet5").iterdir()) == ["1", "2"]


def test_export_writes_one_tflite_file_per_mode_asked(tmp_path, capsys):
    argv = ["export", "lenet5", "--format", "tflite", "--quantize", "none,dynamic", "--output", str(tmp_path)]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lenet5.tflite", "lenet5_dynamic.tflite"]
    assert "max relative difference to Keras" in out and "dynamic-range int8 weights" in out
    argv = ["export", "lenet5", "--format", "tflite", "--quantize", "int8", "--data", "digits", "--keep-float", "none"]
    assert main(argv + ["--output", str(tmp_path / "full")]) == 0  # a fully integer file: no float islands
    assert "int8 (float32 in, float32 out)" in capsys.readouterr().out


def test_export_takes_a_keras_file(tmp_path, capsys):
    model = keras_classics.lenet5(include_preprocessing=True)
    model.save(tmp_path / "mine.keras")
    assert main(["export", str(tmp_path / "mine.keras"), "--format", "tflite", "--output", str(tmp_path)]) == 0
    assert "max relative difference to Keras" in capsys.readouterr().out
    assert (tmp_path / "lenet5.tflite").is_file()


def test_export_folds_batch_norm_unless_asked_to_keep_it(tmp_path, capsys):
    keras_classics.resnet18(input_shape=(32, 32, 3), classes=3).save(tmp_path / "small.keras")
    argv = ["export", str(tmp_path / "small.keras"), "--output", str(tmp_path / "out")]
    assert main(argv) == 0
    assert "20 BatchNormalization layers folded" in capsys.readouterr().out
    assert main([*argv, "--keep-batch-norm"]) == 0
    out = capsys.readouterr().out
    assert "folded" not in out and "matches the Keras model to" in out


EXPORT_BAD_INPUTS = {
    "int8 without images": (
        ["export", "lenet5", "--format", "tflite", "--quantize", "int8"],
        "needs representative images",
    ),
    "data not a folder": (["export", "lenet5", "--data", "{file}"], "--data: must be an image folder or 'digits'"),
    "unknown format": (["export", "lenet5", "--format", "onnx"], "--format: invalid choice: 'onnx'"),
    "bad keep-float": (["export", "lenet5", "--keep-float", "hard swish"], "--keep-float: must be TFLite op names"),
    "unknown quantize mode": (
        ["export", "lenet5", "--quantize", "none,int4"],
        "--quantize: unknown mode(s) 'int4'; choose from none, float16, dynamic, int8",
    ),
    "missing .keras": (["export", "{dir}/none.keras"], "no such .keras file"),
    "weights with .keras": (
        ["export", "{file}.keras", "--weights", "{file}"],
        "weights (--weights) go with a registered model name",
    ),
}


@pytest.mark.parametrize("argv, message", EXPORT_BAD_INPUTS.values(), ids=EXPORT_BAD_INPUTS.keys())
def test_export_bad_input_is_one_clear_line(argv, message, a_file, tmp_path, capsys):
    fill = {"file": a_file, "dir": str(tmp_path)}
    assert main([arg.format(**fill) for arg in argv] + ["--output", str(tmp_path / "out")]) == 2
    assert message.format(**fill) in _one_error_line(capsys, "export")
    assert not (tmp_path / "out").exists()


# ----------------------------------------------------------------------------------------- evaluate, filters
@pytest.fixture
def two_class_folder(tmp_path):
    import tensorflow as tf

    rng = np.random.default_rng(0)
    for name in ("cats", "dogs"):
        (tmp_path / "photos" / name).mkdir(parents=True)
        for i in range(3):
            pixels = rng.integers(0, 256, (40, 36, 3)).astype("uint8")
            tf.io.write_file(str(tmp_path / "photos" / name / f"{i}.png"), tf.io.encode_png(pixels))
    return tmp_path / "photos"


def test_evaluate_prints_and_saves_one_row_per_model_and_method(two_class_folder, tmp_path, capsys):
    first, second = tmp_path / "a.keras", tmp_path / "b.keras"
    keras_classics.lenet5(classes=2, include_preprocessing=True).save(first)
    keras_classics.lenet5(classes=2, include_preprocessing=True).save(second)
    csv = tmp_path / "table.csv"
    argv = ["evaluate", str(first), "--data", str(two_class_folder), "--tta", "none,flip,ten_crop"]
    assert main(argv + ["--ensemble", str(second), "--output", str(csv)]) == 0
    out = capsys.readouterr().out
    assert "evaluating on 6 images of 2 classes" in out and f"table written to {csv}" in out
    import pandas as pd

    table = pd.read_csv(csv)
    assert list(table["method"]) == ["none"] * 3 + ["flip"] * 3 + ["ten_crop"] * 3
    assert list(table["views"][::3]) == [1, 2, 10] and "ensemble of 2" in set(table["model"])


def test_evaluate_refuses_a_model_with_other_classes_and_a_bad_method(two_class_folder, tmp_path, capsys):
    assert main(["evaluate", "lenet5", "--data", str(two_class_folder), "--output", str(tmp_path / "t.csv")]) == 2
    assert "lenet5 has 10 classes; " in _one_error_line(capsys, "evaluate")
    assert main(["evaluate", "lenet5", "--data", str(two_class_folder), "--tta", "none,twelve_crop"]) == 2
    assert "--tta: must be a comma-separated list of none, flip" in _one_error_line(capsys, "evaluate")
    assert not (tmp_path / "t.csv").exists()


def test_filters_draws_one_tile_per_first_layer_kernel(tmp_path, capsys):
    import tensorflow as tf

    assert main(["filters", "alexnet", "--scale", "2", "--output", str(tmp_path / "f.png")]) == 0
    picture = tf.io.decode_png(tf.io.read_file(str(tmp_path / "f.png"))).numpy()
    assert picture.shape == (8 * 22 + 7, 12 * 22 + 11, 3)  # 96 kernels of 11x11, enlarged 2x, 12 per row
    assert "alexnet: 275x183 picture written to" in capsys.readouterr().out


def test_export_takes_a_run_folder_with_its_class_names(tmp_path, capsys):
    import tensorflow as tf

    from keras_classics.training import train

    train("lenet5", epochs=1, run_dir=str(tmp_path / "run"), export_dir=None, verbose=0)
    assert main(["export", str(tmp_path / "run"), "--output", str(tmp_path / "out"), "--top-k", "2"]) == 0
    loaded = tf.saved_model.load(str(tmp_path / "out" / "lenet5" / "1"))
    names = loaded.signatures["serving_default"](images=tf.zeros((1, 32, 32, 1)))["top_k_classes"].numpy()
    assert set(names.ravel().astype(str)) <= {str(d) for d in range(10)}
    assert main(["export", str(tmp_path / "out")]) == 2  # a folder, but not a run
    assert "is not a run folder from `train`" in capsys.readouterr().err
