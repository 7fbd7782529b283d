"""The `keras-classics` command: list, summary, train, export, evaluate, filters, convert-weights, benchmark.

This module parses arguments and prints; the work lives in the package. It imports nothing heavy until a
command runs, so `--help` and `--version` answer at once, and every value is checked before TensorFlow
loads: a bad one ends in one line `keras-classics COMMAND: error: ...` on stderr and exit status 2.

Examples:
    keras-classics list 'resnet*'
    keras-classics summary resnet50
    keras-classics train lenet5 --epochs 10
    keras-classics export resnet18 --weights resnet18.weights.h5 --format both
    keras-classics evaluate run.keras --data photos/ --tta none,flip,ten_crop
    keras-classics filters alexnet --weights alexnet.weights.h5 --output filters.png
    keras-classics convert-weights resnet50 resnet50.safetensors resnet50.weights.h5
    keras-classics benchmark --quick --only inference,training

    >>> from keras_classics.cli import main
    >>> main(["--version"])
    keras-classics 0.1.0
    0
    >>> build_parser().parse_args(["train", "lenet5", "--epochs", "3"]).epochs
    3
    >>> main(["train", "lenet5", "--epochs", "0"])  # prints the error line on stderr
    2
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
import tempfile

from keras_classics import __version__

# The recipe names, for --help without importing TensorFlow (tests/test_cli.py checks they match).
NAMED_RECIPES = (
    "alexnet",
    "digits",
    "efficientnet",
    "googlenet",
    "inception_v3",
    "mobilenet",
    "modern",
    "resnet",
    "small_photos",
    "vgg",
)

PROG = "keras-classics"

# What TensorFlow's C++ side prints on stderr while it loads, ignoring TF_CPP_MIN_LOG_LEVEL: absl's
# "WARNING: All log messages before absl::InitializeLog() ..." notice, glog-style lines
# ("I0000 00:00:1796395957.266926    3486 port.cc:153] oneDNN custom operations are on ..."), and the second line
# of the CPU-instructions note.
_TF_START_UP_NOISE = re.compile(
    r"^(WARNING: All log messages before absl::InitializeLog\(\)"
    r"|[IWEF]\d{4} [\d:.]+ +\d+ \S+:\d+\]"
    r"|To enable the following instructions:)"
)


# ----------------------------------------------------------------------------------------- argument checks
def _quantize_modes(text: str) -> tuple:
    from keras_classics.export.tflite import QUANTIZATIONS

    modes = tuple(dict.fromkeys(mode.strip() for mode in text.split(",")))
    unknown = [mode for mode in modes if mode not in QUANTIZATIONS]
    if unknown or not modes:
        raise argparse.ArgumentTypeError(
            f"unknown mode(s) {', '.join(map(repr, unknown))}; choose from {', '.join(QUANTIZATIONS)}"
        )
    return modes


def _op_names(text: str) -> tuple:
    if text.strip().lower() == "none":
        return ()
    names = tuple(name.strip().upper() for name in text.split(",") if name.strip())
    if not names or not all(re.fullmatch(r"[A-Z0-9_]+", name) for name in names):
        raise argparse.ArgumentTypeError(
            f"must be TFLite op names like HARD_SWISH, comma-separated, or 'none'; got {text!r}"
        )
    return names


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer; got {text!r}")
    return value


def _non_negative_int(text: str) -> int:
    return 0 if text.strip() == "0" else _positive_int(text)


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number; got {text!r}")
    return value


def _existing_file(text: str) -> str:
    if not os.path.exists(text):
        raise argparse.ArgumentTypeError(f"no such file: {text!r}")
    if not os.path.isfile(text):
        raise argparse.ArgumentTypeError(f"{text!r} is a folder, not a file")
    return text


def _output_dir(text: str) -> str:
    from keras_classics.io import file_in_the_way

    blocker = file_in_the_way(text)
    if blocker is not None:
        where = "it" if blocker == os.path.abspath(text) else repr(blocker)
        raise argparse.ArgumentTypeError(f"{text!r} cannot be a folder: {where} is a file")
    return text


def _data_source(text: str, allowed: str = "an image folder or 'digits'") -> str:
    if text != "digits" and not os.path.isdir(text):
        raise argparse.ArgumentTypeError(f"must be {allowed}; {text!r} is not a folder")
    return text


def _training_data(text: str) -> str:
    """`train --data`: what `_data_source` takes, or a TFDS set as tfds:NAME."""
    if text.startswith("tfds:"):
        if not text.removeprefix("tfds:"):
            raise argparse.ArgumentTypeError("tfds: needs a TFDS data set name, as in tfds:tf_flowers")
        return text
    return _data_source(text, allowed="an image folder, 'digits' or tfds:NAME")


def _data_folder(text: str) -> str:
    if not os.path.isdir(text):
        raise argparse.ArgumentTypeError(
            f"must be an image folder (one sub-folder per class); {text!r} is not a folder"
        )
    return text


def _weights_h5(text: str) -> str:
    if not text.endswith(".weights.h5"):
        raise argparse.ArgumentTypeError(f"must end in .weights.h5 (Keras' weights format); got {text!r}")
    if os.path.isdir(text):
        raise argparse.ArgumentTypeError(f"{text!r} is a folder; give the path of the file to write")
    from keras_classics.io import file_in_the_way

    blocker = file_in_the_way(os.path.dirname(os.path.abspath(text)))
    if blocker is not None:
        raise argparse.ArgumentTypeError(f"cannot write {text!r}: {blocker!r} is a file")
    return text


# ----------------------------------------------------------------------------------------- commands
def cmd_list(args):
    import pandas as pd

    from keras_classics.registry import list_models, model_info

    names = list_models(args.pattern, args.family)
    if not names:
        family = f" in family {args.family!r}" if args.family else ""
        raise ValueError(f"no model matches {args.pattern!r}{family}; `{PROG} list` shows them all")
    table = pd.DataFrame(
        [
            {
                "name": spec.name,
                "family": spec.family,
                "params": spec.params,
                "MMACs": spec.mmacs,
                "input": spec.default_size,
                "reference": spec.reference,
            }
            for spec in map(model_info, names)
        ]
    )
    table["MMACs"] = pd.to_numeric(table["MMACs"])  # None (not pinned) becomes NaN, printed as "-"
    if args.markdown:
        table["params"] = table["params"].map("{:,}".format)
        print(_markdown(table))
        return
    with pd.option_context("display.max_rows", None, "display.width", 200, "display.max_colwidth", 60):
        print(table.to_string(index=False, formatters={"params": "{:,}".format}, na_rep="-"))


def _markdown(table):
    def cell(value):
        return "-" if value is None or value != value else str(value)  # None and NaN print as "-"

    lines = ["| " + " | ".join(table.columns) + " |", "|" + "---|" * len(table.columns)]
    return "\n".join(lines + ["| " + " | ".join(map(cell, row)) + " |" for row in table.itertuples(index=False)])


def cmd_summary(args):
    from keras_classics.analysis import count_macs, layer_table
    from keras_classics.registry import model_info

    spec = model_info(args.name)
    model = spec.builder()
    model.summary(line_length=110)
    table = layer_table(model)
    trainable = int(sum(w.numpy().size for w in model.trainable_weights))
    print(f"{spec.name}: {trainable:,} trainable parameters (reference {spec.params:,}: {spec.params_source})")
    print(
        f"{count_macs(model) / 1e6:,.1f} MMACs at {spec.default_size}x{spec.default_size}; "
        f"largest activation {table['memory_bytes'].max() / 2**20:,.2f} MiB; paper: {spec.paper}"
    )


def cmd_train(args):
    from keras_classics.training import train

    result = train(
        args.name,
        dataset=args.dataset,
        epochs=args.epochs,
        batch_size=args.batch_size,
        export_dir=None if args.no_export else args.export_dir,
        recipe_name=args.recipe,
        image_size=args.image_size,
        run_dir=args.run_dir,
        resume=args.resume,
        seed=args.seed,
        precision=args.precision,
        strategy=args.strategy,
        hidden_mixing=args.hidden_mixing,
        early_stopping=args.early_stopping,
        tensorboard=args.tensorboard,
        steps_per_execution=args.steps_per_execution,
        jit_compile=args.jit_compile,
        kernel_init=args.kernel_init,
        warm_start=args.warm_start,
    )
    print(f"{args.name} on {args.dataset}: held-out accuracy {result.test_accuracy:.2%}; run folder {result.run_dir}")
    if result.export_path:
        print(result.export_report or f"SavedModel written to {result.export_path}")
        _export_trained_tflite(result.model, args.export_dir, args.dataset)


def _export_trained_tflite(model, folder, dataset):
    """float32 and int8 TFLite files of a trained model, int8 calibrated on training images and both
    checked on held-out ones."""
    calibration = _export_images(dataset, model, split="train")
    held_out = _export_images(dataset, model)
    _write_tflite_files(model, folder, ("none", "int8"), calibration, held_out)


def _write_tflite_files(model, folder, modes, calibration, check, io_dtype="float32", keep_float=None):
    """One checked TFLite file per mode, the conversions sharing one staged SavedModel."""
    from keras_classics.export import TFLiteConversion
    from keras_classics.export.tflite import INT8_KEEP_FLOAT

    keep_float = INT8_KEEP_FLOAT if keep_float is None else keep_float
    with TFLiteConversion(model, representative=calibration, check_images=check) as conversion:
        for mode in modes:
            path = os.path.join(folder, f"{model.name}{_tflite_suffix(mode)}.tflite")
            print(f"converting {model.name} to TFLite ({mode}) ...", flush=True)
            int8 = mode == "int8"
            report = conversion.export(path, mode, io_dtype if int8 else "float32", keep_float=keep_float)
            print(f"{report} ({report.latency_ms:.2f} ms per image with XNNPACK here)")


def _tflite_suffix(mode):
    return "" if mode == "none" else f"_{mode}"


def cmd_export(args):
    from keras_classics.export import export_saved_model

    if args.format in ("tflite", "both") and "int8" in args.quantize and not args.data:
        raise ValueError("--quantize int8 needs representative images (a few hundred of yours) to calibrate with: "
                         "give --data FOLDER|digits")
    model = _load_model(args.model, args.weights)
    check = _export_images(args.data, model) if args.data else None
    if args.format in ("saved_model", "both"):
        base = os.path.join(args.output, model.name)
        print(f"exporting {model.name} as a SavedModel under {base} ...", flush=True)
        names = getattr(model, "class_names", None)
        report = export_saved_model(
            model, base, version=args.version, top_k=args.top_k, sample=check, class_names=names,
            fold_batch_norm=not args.keep_batch_norm,
        )
        print(report)
    if args.format in ("tflite", "both"):
        _write_tflite_files(model, args.output, args.quantize, check, check, args.io_dtype, args.keep_float)


def _load_model(source, weights):
    from keras_classics.weights import load_trained

    return load_trained(source, weights)


def _export_images(data, model, limit: int = 256, split: str = "test"):
    """Up to `limit` pixel images in [0, 255] sized for `model`, to calibrate int8 and check exports."""
    import numpy as np

    height, width, channels = model.inputs[0].shape[1:]
    if data == "digits":
        from keras_classics.data import load_digits

        train, test = load_digits(size=height)
        images = (train if split == "train" else test)[0]
        images = np.repeat(images, channels, axis=-1) if channels != 1 else images
        return images[:limit] * 255.0
    from keras_classics.data import folder_source
    from keras_classics.data.augment import center_crop_eval

    source = folder_source(data, on_bad_file="skip")
    images = [
        center_crop_eval(_read_pixels(path, channels), (height, width)).numpy() for path in _spread(source.paths, limit)
    ]
    return np.stack(images).astype("float32")


def _spread(items, limit):
    """Every n-th of `items`, at most `limit`: spread over a sorted folder, every class gets its share."""
    return list(items)[:: max(1, len(items) // limit)][:limit]


def _read_pixels(path, channels: int):
    """The image at `path` as uint8 RGB, or grayscale for a 1-channel model."""
    import tensorflow as tf

    from keras_classics.data import decode_rgb

    image = decode_rgb(tf.io.read_file(path))
    return tf.image.rgb_to_grayscale(image) if channels == 1 else image


def cmd_retrieve(args):
    from keras_classics.io import atomic_path
    from keras_classics.reuse import ImageIndex, contact_sheet, embedding_model, load_images

    embed = embedding_model(_load_model(args.model, args.weights), layer=args.layer)
    index = ImageIndex.from_folder(embed, args.index)
    print(f"indexed {len(index.names)} images by {embed.output.shape[-1]}-d features ...", flush=True)
    queries = load_images(args.query, embed)
    results = index.search(queries, k=min(args.top, len(index.names)), metric=args.metric, query_names=args.query)
    print(results.to_string(index=False, float_format="{:.4f}".format))
    with atomic_path(args.table) as staged:
        results.to_csv(staged, index=False)
    hits = list(dict.fromkeys(results["name"]))
    contact_sheet(results, queries, dict(zip(hits, load_images(hits, embed))), args.output)
    print(f"table written to {args.table}, contact sheet to {args.output}")


def cmd_finetune(args):
    from keras_classics.reuse.finetune import finetune

    backbone = _load_model(args.backbone, args.weights)
    print(f"training a new head for {args.data} on {backbone.name}'s features ...", flush=True)
    result = finetune(
        backbone, args.data, args.output, epochs=args.epochs, batch_size=args.batch_size,
        learning_rate=args.learning_rate, cache_dir=args.cache, augment=args.augment,
        fine_tune_epochs=args.fine_tune_epochs, fine_tune_stages=args.fine_tune_stages,
        fine_tune_learning_rate=args.fine_tune_learning_rate, layer=args.layer, seed=args.seed,
        verbose=2 if args.verbose else 0,
    )  # fmt: skip
    if args.cache:
        print(f"features {'read from' if result.from_cache else 'computed and cached in'} {args.cache}")
    if result.opened_layers:
        first, last = result.opened_layers[0], result.opened_layers[-1]
        print(f"fine-tuned {len(result.opened_layers)} layers with weights: {first} ... {last}")
    print(f"held-out accuracy {result.accuracy:.4f} in {result.seconds:.1f} s; run folder {result.run_dir}")


def cmd_evaluate(args):
    from keras_classics.data import folder_source
    from keras_classics.evaluation import evaluate

    models = [
        _load_model(source, args.weights if i == 0 else None) for i, source in enumerate([args.model, *args.ensemble])
    ]
    source = folder_source(args.data, on_bad_file="skip")
    for model in models:
        classes = model.outputs[0].shape[-1]
        if classes != len(source.class_names):
            raise ValueError(
                f"{model.name} has {classes} classes; {args.data!r} has {len(source.class_names)} class folders"
            )
    if source.skipped:
        print(f"skipped {len(source.skipped)} files that cannot be decoded")
    paths, labels = list(source.paths), list(source.labels)
    if args.limit:
        paths, labels = _spread(paths, args.limit), _spread(labels, args.limit)
    print(f"evaluating on {len(paths)} images of {len(source.class_names)} classes ...", flush=True)
    channels = models[0].inputs[0].shape[-1]
    images = [_read_pixels(path, channels).numpy() for path in paths]
    table = evaluate(models, images, labels, tta=args.tta)
    print(table.to_string(index=False, float_format="{:.4f}".format))
    from keras_classics.io import atomic_path

    with atomic_path(args.output) as staged:
        table.to_csv(staged, index=False)
    print(f"table written to {args.output}")
    if args.confusion:
        _draw_confusion(table, labels, source.class_names, args.confusion)


def _draw_confusion(table, labels, class_names, path):
    from keras_classics.analysis.pictures import confusion_matrix, save_confusion_matrix

    best = table.loc[table["top1_accuracy"].idxmax()]
    predicted = table.attrs["probabilities"][(best["model"], best["method"])].argmax(axis=1)
    title = f"{best['model']}, {best['method']}: top-1 {best['top1_accuracy']:.4f} on {len(labels)} images"
    save_confusion_matrix(confusion_matrix(labels, predicted, len(class_names)), class_names, path, title)
    print(f"confusion matrix ({best['model']}, {best['method']}) drawn in {path}")


def cmd_filters(args):
    from keras_classics.analysis.pictures import filter_grid, save_png

    model = _load_model(args.model, args.weights)
    picture = filter_grid(model, layer=args.layer, scale=args.scale)
    print(f"{model.name}: {picture.shape[1]}x{picture.shape[0]} picture written to {save_png(picture, args.output)}")


def _benchmark_parts(text: str):
    from keras_classics.benchmarking import PARTS  # constants only: no TensorFlow at parse time

    parts = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [part for part in parts if part not in PARTS]
    if unknown or not parts:
        raise argparse.ArgumentTypeError(f"must be a comma-separated list of {', '.join(PARTS)}; got {text!r}")
    return tuple(dict.fromkeys(parts))  # each part once, in the order given


def cmd_benchmark(args):
    from keras_classics.benchmarking.suite import Settings, run_suite

    settings = Settings(
        parts=args.only,
        quick=args.quick,
        models=tuple(args.models) if args.models else None,
        rounds=args.rounds,
        reference=not args.no_reference,
        data=args.data,
        output=args.output,
    )
    run_suite(settings)


def _tta_methods(text: str):
    from keras_classics.evaluation.tta import METHODS

    methods = [m.strip() for m in text.split(",") if m.strip()]
    unknown = [m for m in methods if m not in METHODS]
    if unknown or not methods:
        raise argparse.ArgumentTypeError(f"must be a comma-separated list of {', '.join(METHODS)}; got {text!r}")
    return methods


def cmd_convert_weights(args):
    from keras_classics.weights import convert_reference_weights

    skipped = convert_reference_weights(args.name, args.src, args.dst, progress=lambda line: print(line, flush=True))
    if skipped:
        print(f"      skipped {len(skipped)} keys of parts the default build lacks (auxiliary heads)")
    print(f"done: {args.name} weights in {args.dst}")


# ----------------------------------------------------------------------------------------- parser
class _Parser(argparse.ArgumentParser):
    """An argparse parser whose errors are one line, `keras-classics COMMAND: error: ...`, and status 2."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Appends `(default: ...)` to each option's help where the default says something."""

    def _get_help_string(self, action):
        text = action.help or ""
        if "%(default)" in text or action.default in (None, False, argparse.SUPPRESS) or not action.option_strings:
            return text
        return f"{text} (default: %(default)s)"


_VERBOSE_HELP = "show TensorFlow's log lines, and the traceback of an error"


def build_parser() -> argparse.ArgumentParser:
    """The `keras-classics` argument parser (one subparser per command)."""
    parser = _Parser(
        prog=PROG,
        description=__doc__.split("\n\n")[0],
        formatter_class=_HelpFormatter,
        epilog="Run 'keras-classics COMMAND --help' for a command's options.",
    )
    parser.add_argument(
        "--version", action="version", version=f"{PROG} {__version__}", help="print the package version and exit"
    )
    parser.add_argument("--verbose", action="store_true", help=_VERBOSE_HELP)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name, help, func):
        p = sub.add_parser(
            name, help=help, description=help[0].upper() + help[1:] + ".", formatter_class=_HelpFormatter
        )
        # Also accepted after the command; SUPPRESS keeps a `--verbose` given before it.
        p.add_argument("--verbose", action="store_true", default=argparse.SUPPRESS, help=_VERBOSE_HELP)
        p.set_defaults(func=func)
        return p

    p = command("list", "print the table of registered models", cmd_list)
    p.add_argument("pattern", nargs="?", default="*", help="shell-style name pattern, quoted (default: all models)")
    p.add_argument("--family", help="only this family (resnet, mobilenet, ...; default: every family)")
    p.add_argument("--markdown", action="store_true", help="print a Markdown table (as in the README)")

    p = command("summary", "print a model's Keras summary, trainable count against its reference, MACs", cmd_summary)
    p.add_argument("name", help="registered model name, e.g. resnet50")

    p = command("train", "train a model, print its test accuracy, export a SavedModel", cmd_train)
    p.add_argument("name", help="registered model name, e.g. lenet5")
    p.add_argument(
        "--data",
        "--dataset",
        dest="dataset",
        type=_training_data,
        default="digits",
        metavar="FOLDER|digits|tfds:NAME",
        help="an image folder (one sub-folder per class; a seeded fifth is held out), the digits, or a prepared "
        "TensorFlow Datasets set (needs the tfds extra; its validation or test split is held out)",
    )
    p.add_argument(
        "--recipe",
        choices=sorted(NAMED_RECIPES),
        metavar="RECIPE",
        help=f"training recipe: {', '.join(sorted(NAMED_RECIPES))} (default: the family's paper; digits "
        "for the digits)",
    )
    p.add_argument(
        "--image-size",
        type=_positive_int,
        metavar="S",
        help="square input side (default: the recipe's, else the model's)",
    )
    p.add_argument(
        "--run-dir",
        type=_output_dir,
        metavar="DIR",
        help="run folder: config, history.csv, curves.png, checkpoints (default: runs/NAME-DATA)",
    )
    p.add_argument(
        "--resume",
        action="store_true",
        help="continue the run in --run-dir after its last completed epoch, with the recipe, epochs, batch size, "
        "image size and seed it started with",
    )
    p.add_argument(
        "--seed",
        type=_non_negative_int,
        default=None,
        help="seeds the split, the initial weights and the data order (default: 0, or the resumed run's)",
    )
    p.add_argument(
        "--early-stopping",
        type=_positive_int,
        metavar="N",
        help="stop after N epochs without a better validation accuracy (default: run every epoch)",
    )
    p.add_argument("--tensorboard", action="store_true", help="write TensorBoard logs to RUN_DIR/logs")
    p.add_argument(
        "--steps-per-execution",
        type=_positive_int,
        default=1,
        metavar="N",
        help="training steps per call into TensorFlow; more helps small models",
    )
    p.add_argument("--jit-compile", action="store_true", help="compile the training step with XLA")
    p.add_argument(
        "--kernel-init",
        choices=("reference", "paper", "he", "glorot", "torch"),
        help="initialisation scheme (default: the recipe's, else the reference implementation's; 'paper' for the "
        "alexnet, lenet, resnet, vgg and zfnet families)",
    )
    p.add_argument(
        "--warm-start",
        metavar="MODEL",
        help="a trained shallower VGG (.keras file or run folder) whose first 4 convs and FC layers start this one",
    )
    p.add_argument(
        "--strategy",
        choices=("auto", "mirrored", "multiworker", "default"),
        default="auto",
        help="auto: every local GPU (MirroredStrategy) when there are several; multiworker: one of several machines, "
        "the cluster in TF_CONFIG (run the same command on each; the chief writes the run folder)",
    )
    p.add_argument(
        "--hidden-mixing",
        choices=("manifold_mixup", "patchup", "puzzlemix"),
        help="train through keras_classics.training.HiddenMixing: mix hidden feature maps (manifold mixup, "
        "PatchUp) or saliency-chosen image cells (PuzzleMix) with a shuffled copy of each batch",
    )
    p.add_argument(
        "--precision",
        choices=("float32", "mixed_float16", "mixed_bfloat16"),
        default="float32",
        help="layers compute in float32, or in half precision with float32 weights",
    )
    p.add_argument(
        "--epochs",
        type=_positive_int,
        metavar="N",
        help="epochs, a positive integer (default: the recipe's, 30 for lenet5 on digits)",
    )
    p.add_argument(
        "--batch-size",
        type=_positive_int,
        metavar="N",
        help="batch size, a positive integer (default: the recipe's, 32 for lenet5 on digits)",
    )
    p.add_argument(
        "--export-dir",
        "--export",
        type=_output_dir,
        default="saved_models",
        metavar="DIR",
        help="folder for the SavedModel (DIR/NAME/VERSION, the next version) and the TFLite files",
    )
    p.add_argument("--no-export", action="store_true", help="train only: write no SavedModel or TFLite file")

    p = command(
        "export", "export a model as a TF Serving SavedModel and/or a TFLite file, checked after export", cmd_export
    )
    p.add_argument("model", help="registered model name (e.g. resnet18), a .keras file, or a run folder from train")
    p.add_argument(
        "--weights",
        type=_existing_file,
        metavar="FILE",
        help="with a model name: local .weights.h5/.keras/.safetensors/.npz/.pth file (default: random initialization)",
    )
    p.add_argument(
        "--format",
        choices=("saved_model", "tflite", "both"),
        default="saved_model",
        help="SavedModel for TF Serving, TFLite for phones, or both",
    )
    p.add_argument(
        "--output",
        "--export-dir",
        dest="output",
        type=_output_dir,
        default="saved_models",
        metavar="DIR",
        help="folder: the SavedModel goes to DIR/NAME/VERSION, the TFLite file to DIR/NAME[_QUANTIZE].tflite",
    )
    p.add_argument(
        "--version",
        type=_positive_int,
        metavar="N",
        help="the SavedModel's version folder (default: one more than the highest there)",
    )
    p.add_argument(
        "--top-k",
        type=_positive_int,
        default=5,
        metavar="K",
        help="best classes the SavedModel's signatures return (capped at the number of classes)",
    )
    p.add_argument(
        "--keep-batch-norm",
        action="store_true",
        help="SavedModel: serve BatchNormalization layers as they are (default: folded into the convolution "
        "before them, the same outputs and faster; TFLite files are folded by the converter either way)",
    )
    p.add_argument(
        "--quantize",
        type=_quantize_modes,
        default=("none",),
        metavar="MODE[,MODE...]",
        help="TFLite: float32 (none), float16 weights, int8 weights (dynamic), or full integer (int8); "
        "several, comma-separated, write one file each (default: none)",
    )
    p.add_argument(
        "--keep-float",
        type=_op_names,
        metavar="OP[,OP...]|none",
        help="TFLite int8: ops to leave in float (default HARD_SWISH, which XNNPACK cannot run in int8); "
        "'none' for a fully integer file",
    )
    p.add_argument(
        "--io-dtype",
        choices=("float32", "int8", "uint8"),
        default="float32",
        help="TFLite int8: the file's input and output type",
    )
    p.add_argument(
        "--data",
        type=_data_source,
        metavar="FOLDER|digits",
        help="images to check the export on and, for int8, to calibrate with (up to 256; "
        "one sub-folder per class, or the embedded digits)",
    )

    p = command(
        "evaluate", "top-1/top-5 accuracy on an image folder, with test-time augmentation and ensembles", cmd_evaluate
    )
    p.add_argument("model", help="registered model name (with --weights), a .keras file, or a run folder from train")
    p.add_argument(
        "--data",
        type=_data_folder,
        required=True,
        metavar="FOLDER",
        help="one sub-folder per class, sorted names in the model's class order",
    )
    p.add_argument("--weights", type=_existing_file, metavar="FILE", help="weights for a registered model name")
    p.add_argument(
        "--tta",
        type=_tta_methods,
        default=["none"],
        metavar="M1,M2",
        help="comma-separated: none, flip, ten_crop, multi_scale, multi_crop",
    )
    p.add_argument(
        "--ensemble",
        nargs="*",
        default=[],
        metavar="MODEL",
        help="more .keras files whose softmax is averaged with MODEL's",
    )
    p.add_argument("--limit", type=_positive_int, metavar="N", help="evaluate on N images spread over the folder")
    p.add_argument("--output", default="evaluation.csv", metavar="CSV", help="where the table is saved")
    p.add_argument("--confusion", metavar="PNG", help="also draw the confusion matrix of the table's best row")

    p = command("filters", "draw the first convolution's kernels as a PNG grid (AlexNet's Fig. 3)", cmd_filters)
    p.add_argument("model", help="registered model name (with --weights), a .keras file, or a run folder from train")
    p.add_argument("--weights", type=_existing_file, metavar="FILE", help="weights for a registered model name")
    p.add_argument("--layer", help="a convolution layer's name (default: the first)")
    p.add_argument("--scale", type=_positive_int, default=4, metavar="N", help="pixels per kernel weight")
    p.add_argument("--output", default="filters.png", metavar="PNG", help="the picture to write")

    p = command(
        "retrieve", "nearest images in a folder by a network's features (AlexNet's fc7 retrieval)", cmd_retrieve
    )
    p.add_argument("model", help="registered model name (with --weights), a .keras file, or a run folder from train")
    p.add_argument("--weights", type=_existing_file, metavar="FILE", help="weights for a registered model name")
    p.add_argument("--index", type=_data_folder, required=True, metavar="FOLDER", help="the images to search")
    p.add_argument("--query", type=_existing_file, nargs="+", required=True, metavar="IMAGE", help="images to look up")
    p.add_argument("--layer", help="the layer whose output is the feature (default: the classifier's input)")
    p.add_argument("--metric", choices=("cosine", "euclidean"), default="cosine", help="distance between features")
    p.add_argument("--top", type=_positive_int, default=5, metavar="K", help="neighbours per query")
    p.add_argument("--table", default="retrieval.csv", metavar="CSV", help="where the result table is saved")
    p.add_argument("--output", default="retrieval.png", metavar="PNG", help="the contact sheet to write")

    p = command(
        "finetune", "train a new classifier head on a trained network's features (transfer learning)", cmd_finetune
    )
    p.add_argument("backbone", help="a .keras file, a run folder from train, or a registered name with --weights")
    p.add_argument("--weights", type=_existing_file, metavar="FILE", help="weights for a registered model name")
    p.add_argument("--data", type=_data_folder, required=True, metavar="FOLDER", help="one sub-folder per new class")
    p.add_argument("--output", type=_output_dir, default="runs/finetune", metavar="RUN_DIR", help="the run folder")
    p.add_argument("--epochs", type=_positive_int, default=10, help="epochs of the new head on the frozen backbone")
    p.add_argument("--batch-size", type=_positive_int, default=32, help="images per step")
    p.add_argument("--learning-rate", type=_positive_float, default=1e-3, help="the head's Adam learning rate")
    p.add_argument(
        "--cache", metavar="DIR", help="train the head on the backbone's features saved here (reused by later runs)"
    )
    p.add_argument("--augment", action="store_true", help="random resized crops and flips (not with --cache)")
    p.add_argument("--fine-tune-epochs", type=_non_negative_int, default=0, help="then train the last stages too")
    p.add_argument("--fine-tune-stages", type=_positive_int, default=1, help="how many of the last stages to open")
    p.add_argument(
        "--fine-tune-learning-rate", type=_positive_float, default=1e-5, help="the opened stages' Adam learning rate"
    )
    p.add_argument("--layer", help="the backbone layer feeding the head (default: its classifier's input)")
    p.add_argument("--seed", type=int, default=0, help="the held-out split's and the head's seed")

    p = command("convert-weights", "convert a reference state dict into a Keras .weights.h5 file", cmd_convert_weights)
    p.add_argument("name", help="registered model name, e.g. resnet50")
    p.add_argument("src", type=_existing_file, help=".safetensors, .npz, .pth or .pt reference state dict")
    p.add_argument("dst", type=_weights_h5, help="output .weights.h5 path (written atomically)")

    from keras_classics import benchmarking  # constants only

    p = command(
        "benchmark",
        "time our models against keras.applications and the PyTorch references; a CSV and a PNG per part",
        cmd_benchmark,
    )
    p.add_argument(
        "--quick", action="store_true", help="a few small networks and fewer rounds: minutes, not half an hour"
    )
    p.add_argument(
        "--only",
        type=_benchmark_parts,
        default=",".join(benchmarking.PARTS),
        metavar="PART1,PART2",
        help="comma-separated parts to run: inference, training, pipeline, tflite, grouped, gpu (skipped without "
        "a GPU)",
    )
    p.add_argument(
        "--models",
        nargs="+",
        metavar="NAME",
        help="registered names, 'all', or 'twins' (the 40 networks keras.applications shares), for the inference, "
        "training, tflite, grouped and gpu parts (default: each part's)",
    )
    p.add_argument(
        "--rounds",
        type=_positive_int,
        metavar="N",
        help="timed rounds per contender, exactly (default: each part's; inference adds rounds to fast calls "
        "until each contender has half a second of them, at most 40)",
    )
    p.add_argument("--no-reference", action="store_true", help="leave out the torchvision/timm inference column")
    p.add_argument(
        "--data",
        default=benchmarking.DEFAULT_DATA,
        metavar="FOLDER",
        help="the JPEG folder the pipeline part reads (skipped when absent)",
    )
    p.add_argument(
        "--output",
        type=_output_dir,
        default=benchmarking.DEFAULT_OUTPUT,
        metavar="DIR",
        help="folder for PART.csv and PART.png",
    )
    return parser


# ----------------------------------------------------------------------------------------- running
@contextlib.contextmanager
def _tensorflow_start_up_filtered(verbose: bool):
    """Keeps TensorFlow's C++ start-up lines off stderr while the block loads it; other output passes.

    Those lines are written by C++ straight to file descriptor 2 before TF_CPP_MIN_LOG_LEVEL is read, so
    the descriptor itself is pointed at a temporary file for the block and the kept lines replayed after.
    """
    if verbose or "tensorflow" in sys.modules:
        yield
        return
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # what comes later: C++ info and warnings, not errors
    sys.stderr.flush()
    try:
        saved = os.dup(2)
    except OSError:  # no descriptor 2 to redirect
        yield
        return
    with tempfile.TemporaryFile(mode="w+b") as captured:
        os.dup2(captured.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            captured.seek(0)
            lines = captured.read().decode(errors="replace").splitlines(keepends=True)
            sys.stderr.write("".join(line for line in lines if not _TF_START_UP_NOISE.match(line)))
            sys.stderr.flush()


def main(argv=None) -> int:
    """Runs `keras-classics` with `argv` (default: the command line); returns the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # --help, --version, or a bad value (already reported)
        return stop.code if isinstance(stop.code, int) else 1
    where = f"{PROG} {args.command}"
    try:
        with _tensorflow_start_up_filtered(args.verbose):
            from keras_classics.registry import list_models

            list_models()  # loads the models, and with them Keras and TensorFlow
        args.func(args)
    except KeyboardInterrupt:
        print(f"{where}: interrupted", file=sys.stderr)
        return 130
    except (ValueError, OSError, ImportError) as error:  # what a user's input or machine can cause
        if args.verbose:
            raise
        print(f"{where}: error: {error}", file=sys.stderr)
        return 2
    except Exception as error:  # a bug: one line, and where to get the traceback
        if args.verbose:
            raise
        print(
            f"{where}: error: {type(error).__name__}: {error} (run with --verbose for the traceback)", file=sys.stderr
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
