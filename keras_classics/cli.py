"""The `keras-classics` command: list, summary, train, export, convert-weights.

Examples:
    keras-classics list --family resnet
    keras-classics summary resnet50
    keras-classics train lenet5
    keras-classics export resnet18 --weights resnet18.weights.h5
    keras-classics convert-weights resnet50 resnet50.safetensors resnet50.weights.h5
"""

from __future__ import annotations

import argparse
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def _zoo_table(pattern, family):
    import pandas as pd

    from keras_classics.registry import list_models, model_info

    rows = []
    for name in list_models(pattern, family):
        spec = model_info(name)
        rows.append(
            {
                "name": name,
                "family": spec.family,
                "params": spec.params,
                "MMACs": spec.mmacs,
                "input": spec.default_size,
                "reference": spec.reference,
            }
        )
    return pd.DataFrame(rows)


def cmd_list(args):
    import pandas as pd

    table = _zoo_table(args.pattern, args.family)
    if args.markdown:
        table["params"] = table["params"].map("{:,}".format)
        print(_markdown(table))
        return
    with pd.option_context("display.max_rows", None, "display.width", 200, "display.max_colwidth", 60):
        print(table.to_string(index=False, formatters={"params": "{:,}".format}, na_rep="-"))


def _markdown(table):
    cells = [[("-" if value is None or value != value else str(value)) for value in row] for row in table.itertuples(index=False)]
    lines = ["| " + " | ".join(table.columns) + " |", "|" + "---|" * len(table.columns)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in cells])


def cmd_summary(args):
    from keras_classics.analysis import count_macs, layer_table
    from keras_classics.registry import model_info

    spec = model_info(args.name)
    model = spec.builder()
    model.summary(line_length=110)
    table = layer_table(model)
    trainable = int(sum(w.numpy().size for w in model.trainable_weights))
    print(f"{spec.name}: {trainable:,} trainable parameters (reference {spec.params:,}: {spec.params_source})")
    print(f"{count_macs(model) / 1e6:,.1f} MMACs at {spec.default_size}x{spec.default_size}; "
          f"largest activation {table['memory_bytes'].max() / 2**20:,.2f} MiB; paper: {spec.paper}")


def cmd_train(args):
    from keras_classics.training import train

    result = train(args.name, dataset=args.dataset, epochs=args.epochs, batch_size=args.batch_size, export_dir=args.export_dir)
    print(f"{args.name} on {args.dataset}: test accuracy {result.test_accuracy:.2%}")
    if result.export_path:
        print(f"SavedModel written to {result.export_path}")


def cmd_export(args):
    from keras_classics.export import export_saved_model
    from keras_classics.registry import model_info

    model = model_info(args.name).builder(weights=args.weights)
    path = export_saved_model(model, os.path.join(args.export_dir, model.name), version=args.version)
    print(f"SavedModel written to {path} (outputs checked against the Keras model)")


def cmd_convert_weights(args):
    from keras_classics.registry import model_info
    from keras_classics.weights.reference import load_reference_weights

    spec = model_info(args.name)
    print(f"[1/3] building {spec.name}", flush=True)
    # The default build, so the .weights.h5 loads into `NAME(weights=DST)`; auxiliary heads are skipped.
    model = spec.builder()
    print(f"[2/3] importing {args.src}", flush=True)
    skipped = load_reference_weights(model, args.src, spec=spec)
    if skipped:
        print(f"      skipped {len(skipped)} keys of parts not built")
    from keras_classics.io import atomic_path

    print(f"[3/3] writing {args.dst}", flush=True)
    with atomic_path(args.dst) as tmp:
        model.save_weights(tmp)
    print(f"done: {spec.name} weights in {args.dst}")


def build_parser():
    parser = argparse.ArgumentParser(prog="keras-classics", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("list", help="table of the registered models")
    p.add_argument("pattern", nargs="?", default="*", help="shell-style name pattern (default: all)")
    p.add_argument("--family")
    p.add_argument("--markdown", action="store_true", help="print a Markdown table (as in the README)")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("summary", help="Keras summary of a model plus totals")
    p.add_argument("name")
    p.set_defaults(func=cmd_summary)

    p = sub.add_parser("train", help="train a model, print test accuracy, export a SavedModel")
    p.add_argument("name")
    p.add_argument("--dataset", default="digits")
    p.add_argument("--epochs", type=int)
    p.add_argument("--batch-size", type=int)
    p.add_argument("--export-dir", default="saved_models")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("export", help="export a model as a TF Serving SavedModel")
    p.add_argument("name")
    p.add_argument("--weights", help="local .weights.h5/.keras/.safetensors/.npz/.pth file")
    p.add_argument("--export-dir", default="saved_models")
    p.add_argument("--version", type=int, default=1)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("convert-weights", help="convert a reference state dict into a Keras .weights.h5")
    p.add_argument("name")
    p.add_argument("src", help=".safetensors, .npz, .pth or .pt reference state dict")
    p.add_argument("dst", help="output .weights.h5 path")
    p.set_defaults(func=cmd_convert_weights)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        args.func(args)
    except (ValueError, FileNotFoundError, ImportError) as error:
        print(f"keras-classics {args.command}: error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
